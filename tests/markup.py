"""Checks that a page, feed or JSON-LD block carries no live markup from hostile input.

`live_markup(html)` parses a document and returns a list of problems: any `<script>`
that is not ours (a same-origin static file, or a JSON data block that parses), any
`on*` event-handler attribute, any `javascript:`/`vbscript:`/`data:` URL, and any
element that can run or load code (iframe, object, embed, style, base, meta refresh…);
inline SVG is checked like the rest (its scripts, handlers and links).
`live_markup_in_feed(xml)` applies the same checks to every HTML-bearing element of an
RSS or Atom feed, since feed readers render those as HTML.
"""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

STATIC_PREFIX = "/static/"
JSON_TYPES = {"application/ld+json", "application/json", "importmap"}  # data, never run
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "cite",
    "poster",
    "codebase",
    "dynsrc",
    "lowsrc",
    "ping",
    "manifest",
    "srcdoc",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
CODE_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "isindex",
    "template",
    "marquee",
    "xml",
    "portal",
}
# Browsers drop these from URLs before reading the scheme ("java\tscript:" works).
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")
# Elements whose content a browser reads as raw text up to their end tag (noscript too,
# as scripting is on): a "</noscript>" inside an attribute ends it there.
RAW_TEXT_ELEMENTS = {"title", "textarea", "noscript", "xmp", "noembed", "noframes", "iframe", "plaintext"}
_BAD_STYLE = re.compile(r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.I)


def _scheme_is_bad(value):
    return _IGNORED_IN_URLS.sub("", value).lower().startswith(BAD_SCHEMES)


class _LiveMarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._script = None  # (attributes, collected text) while inside <script>

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attributes.items())}>"[:200]
        if tag in CODE_ELEMENTS:
            self.problems.append(f"element <{tag}>: {where}")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"meta refresh: {where}")
        if (
            tag == "link"
            and attributes.get("rel", "").lower() in {"import", "stylesheet"}
            and not attributes.get("href", "").startswith(STATIC_PREFIX)
        ):
            self.problems.append(f"foreign stylesheet: {where}")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}: {where}")
            if name in URL_ATTRIBUTES and _scheme_is_bad(value):
                self.problems.append(f"script URL in {name}: {where}")
            if name == "style" and _BAD_STYLE.search(value):
                self.problems.append(f"script in style: {where}")
        if tag == "script":
            self._script = (attributes, [])
        elif tag in RAW_TEXT_ELEMENTS:
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag != "script" or self._script is None:
            return
        attributes, text = self._script
        self._script = None
        text = "".join(text)
        source = attributes.get("src")
        if source is not None:
            same_origin = source.startswith("/") and not source.startswith("//")
            if not same_origin or text.strip():
                self.problems.append(f"foreign script: src={source!r} text={text[:80]!r}")
            return
        if attributes.get("type", "").lower() not in JSON_TYPES:
            self.problems.append(f"inline script: {text[:120]!r}")
            return
        try:
            json.loads(text)
        except ValueError as error:
            self.problems.append(f"data block is not JSON ({error}): {text[:120]!r}")

    def close(self):
        super().close()
        if self._script is not None:
            self.problems.append(f"unterminated script: {''.join(self._script[1])[:120]!r}")


def live_markup(html):
    """Problems found in an HTML document or fragment; an empty list means none."""
    finder = _LiveMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def _holds_html(element):
    """Whether feed readers render this element's text as HTML.

    RSS's own <description> and <content:encoded> are HTML; Atom's text constructs
    and MRSS's <media:description> are plain text unless type="html".
    """
    return element.tag in {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"} or (
        element.get("type") == "html"
    )


def live_markup_in_feed(xml):
    """Problems in an RSS/Atom document: it must parse, and its HTML-bearing texts must be inert."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        return [f"feed is not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in CODE_ELEMENTS | {"script"}:  # inline XHTML content
            problems.append(f"element <{name}> in the feed")
        for attribute, value in element.attrib.items():
            attribute = attribute.rsplit("}", 1)[-1]
            if attribute.startswith("on") or (attribute in URL_ATTRIBUTES and _scheme_is_bad(value)):
                problems.append(f"live attribute {attribute}={value[:60]!r} on <{name}>")
        if element.text and _holds_html(element):
            problems += [f"in <{name}>: {problem}" for problem in live_markup(element.text)]
    return problems
