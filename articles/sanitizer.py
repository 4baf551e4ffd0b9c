"""Article body HTML: an allow-list, applied on the server to whatever arrives.

The editor widget, the importer and `Article.objects.create()` all end up here
(Article.save() calls it), so no path stores unsanitized markup.
"""

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr", "code",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What the editor offers matches what the sanitizer keeps (headings start at h2:
# the page's h1 is the headline). ListItem is listed explicitly, as the editor
# package otherwise warns.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
}


# Every link gets rel="noopener" (the requirement is for external links; on a
# same-site link it is harmless, and one rule is simpler to trust than a URL test).
def body_cleaner(**options):
    """The body's nh3 allow-list; `options` add to it (feeds.py makes links absolute)."""
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
        **options,
    )


_cleaner = body_cleaner()


def sanitize_html(html):
    """Return `html` reduced to the allow-list; empty editor output becomes ""."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    return "" if cleaned in {"", "<p></p>"} else cleaned
