"""Read a WordPress eXtended RSS export (WXR 1.0–1.2), streaming, with hostile XML refused.

`read_wxr(path)` yields the site, then authors, terms and items one at a time as plain
dataclasses, never holding the whole document: each <item> is dropped from the tree once
read (issue 11: a 100 MB export in under 300 MB). defusedxml refuses any DTD, so external
entities, entity-expansion bombs and DTD fetches stop at the first line, before any of it
is expanded.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")
WP_NAMESPACE = re.compile(r"^\{http://wordpress\.org/export/(\d+\.\d+)/\}")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
EXCERPT = re.compile(r"^\{http://wordpress\.org/export/\d+\.\d+/excerpt/\}encoded$")


class WXRError(Exception):
    """The file cannot be imported; the message says why and, when known, on which line."""

    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""

    @property
    def url(self):
        """The key that ties imported objects to this site across runs."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Author:
    login: str
    display_name: str = ""
    email: str = ""


@dataclass
class Term:
    kind: str  # "category" or "post_tag"
    slug: str
    name: str
    parent: str = ""  # the parent's slug (categories)


@dataclass
class Item:
    post_id: int
    post_type: str = "post"
    status: str = ""
    title: str = ""
    link: str = ""
    slug: str = ""
    content: str = ""
    excerpt: str = ""
    creator: str = ""
    password: str = ""
    parent_id: int = 0
    menu_order: int = 0
    date_gmt: datetime | None = None
    date: datetime | None = None  # the site's local time, for posts without a GMT date
    attachment_url: str = ""
    categories: list = field(default_factory=list)  # [(slug, name)] in the export's order
    tags: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    line: int = 0


def decode_slug(value):
    """WordPress stores non-ASCII slugs percent-encoded (%ce%b5…): give them back as text."""
    return unquote(value or "", errors="replace").strip()


def parse_date(value):
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _int(value):
    try:
        return int((value or "").strip())
    except ValueError:
        return 0


def _text(element):
    return (element.text or "") if element is not None else ""


def read_wxr(path):
    """Yield ("site", Site), then ("author", Author), ("term", Term) and ("item", Item) in file order."""
    site = Site()
    version = None
    channel = None
    depth = 0
    site_sent = False
    try:
        with open(path, "rb") as source:
            parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
            events = iterparse(source, events=("start", "end"), parser=parser)
            events.expat = parser.parser
            for event, element in events:
                tag = element.tag
                if event == "start":
                    depth += 1
                    if depth == 1 and tag != "rss":
                        raise WXRError(
                            f"this is not a WordPress export: the document starts with <{_local(tag)}>, "
                            "not <rss>."
                        )
                    if depth == 2 and tag == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth != 2 or channel is None:  # only the channel's children are read
                    if depth == 0 and version is None:
                        raise WXRError(
                            "this is not a WordPress export: it has no <wp:wxr_version>.", _line(events)
                        )
                    continue
                match = WP_NAMESPACE.match(tag)
                local = tag[match.end() :] if match else tag
                if match and local == "wxr_version":
                    version = _text(element).strip()
                    if version not in SUPPORTED_VERSIONS:
                        raise WXRError(
                            f"WXR version {version or '(empty)'} is not supported; "
                            f"this importer reads {', '.join(SUPPORTED_VERSIONS)}.",
                            _line(events),
                        )
                    site.version = version
                elif (not match and local in ("title", "link") and not site_sent) or (
                    match and local in ("base_site_url", "base_blog_url")
                ):
                    setattr(site, local, _text(element).strip())
                elif match and local == "author":
                    yield from _site_first(site, site_sent, version, events)
                    site_sent = True
                    yield "author", _author(element)
                elif match and local in ("category", "tag", "term"):
                    yield from _site_first(site, site_sent, version, events)
                    site_sent = True
                    term = _term(element, local)
                    if term is not None:
                        yield "term", term
                elif local == "item":
                    yield from _site_first(site, site_sent, version, events)
                    site_sent = True
                    yield "item", _item(element, _line(events))
                else:
                    continue
                channel.remove(element)  # done with it: memory stays flat however long the file
            if not site_sent:
                yield from _site_first(site, site_sent, version, events)
    except DefusedXmlException as error:
        raise WXRError(
            f"refused: the file declares a DTD or entities ({type(error).__name__}). A WordPress "
            "export has none; this one may be built to attack the importer."
        ) from error
    except ParseError as error:
        line = error.position[0] if error.position else None
        raise WXRError(f"the XML is broken or cut short ({_reason(error)}).", line) from error


def _site_first(site, sent, version, events):
    if sent:
        return
    if version is None:
        raise WXRError(
            "this is not a WordPress export: no <wp:wxr_version> before its content.", _line(events)
        )
    yield "site", site


def _line(events):
    """About where the parser is: it reads ahead in 16 KB chunks, so this is the chunk's end."""
    return getattr(getattr(events, "expat", None), "CurrentLineNumber", None)


def _reason(error):
    return str(error).split(":")[0]


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element):
    """{local name: text} of an element's direct children (the first of each name)."""
    values = {}
    for child in element:
        values.setdefault(_local(child.tag), child.text or "")
    return values


def _author(element):
    values = _children(element)
    return Author(
        login=values.get("author_login", "").strip(),
        display_name=values.get("author_display_name", "").strip(),
        email=values.get("author_email", "").strip(),
    )


def _term(element, local):
    values = _children(element)
    if local == "category":
        return Term(
            "category",
            decode_slug(values.get("category_nicename")),
            values.get("cat_name", "").strip(),
            decode_slug(values.get("category_parent")),
        )
    if local == "tag":
        return Term("post_tag", decode_slug(values.get("tag_slug")), values.get("tag_name", "").strip())
    taxonomy = values.get("term_taxonomy", "").strip()
    if taxonomy not in ("category", "post_tag"):
        return None
    return Term(
        taxonomy,
        decode_slug(values.get("term_slug")),
        values.get("term_name", "").strip(),
        decode_slug(values.get("term_parent")),
    )


def _item(element, line):
    item = Item(post_id=0, line=line or 0)
    for child in element:
        tag = child.tag
        text = child.text or ""
        local = _local(tag)
        if tag == CONTENT:
            item.content = text
        elif EXCERPT.match(tag):
            item.excerpt = text
        elif tag == DC_CREATOR:
            item.creator = text.strip()
        elif local == "title" and tag == "title":
            item.title = text
        elif tag == "link":
            item.link = text.strip()
        elif tag == "category":
            domain = child.get("domain", "")
            if domain in ("category", "post_tag"):
                entry = (decode_slug(child.get("nicename", "")), text.strip())
                (item.categories if domain == "category" else item.tags).append(entry)
        elif not WP_NAMESPACE.match(tag):
            continue
        elif local == "post_id":
            item.post_id = _int(text)
        elif local == "post_type":
            item.post_type = text.strip()
        elif local == "status":
            item.status = text.strip()
        elif local == "post_name":
            item.slug = decode_slug(text)
        elif local == "post_password":
            item.password = text
        elif local == "post_parent":
            item.parent_id = _int(text)
        elif local == "menu_order":
            item.menu_order = _int(text)
        elif local == "post_date_gmt":
            item.date_gmt = parse_date(text)
        elif local == "post_date":
            item.date = parse_date(text)
        elif local == "attachment_url":
            item.attachment_url = text.strip()
        elif local == "postmeta":
            values = _children(child)
            key = values.get("meta_key", "")
            if key:
                item.meta.setdefault(key, values.get("meta_value", ""))
    return item
