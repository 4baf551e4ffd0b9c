"""Article body HTML: an allow-list, applied on the server to whatever arrives.

The editor widget, the importer and `Article.objects.create()` all end up here
(Article.save() calls it), so no path stores unsanitized markup. Media are stored as
references (docs/rich-text.md): a figure keeps its `data-*` attributes only with valid
values, ids only of images that exist, and an embed only a link to a known provider.
"""

import re

import nh3
from django.urls import reverse_lazy
from django_prose_editor.config import DEFAULT_MENU_GROUPS

from . import tree
from .embeds import resolve

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "code",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
FIGURE_ATTRIBUTES = {"data-image", "data-size", "data-gallery", "data-embed", "data-pullquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "figure": FIGURE_ATTRIBUTES}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
SIZES = ("inline", "wide", "full")
MAX_FIGURES = 200  # images, galleries and embeds in one body
MAX_GALLERY = 30
INLINE_TAGS = {"strong", "em", "b", "i", "u", "s", "sub", "sup", "a", "code", "br"}

# What the editor offers matches what the sanitizer keeps (headings start at h2:
# the page's h1 is the headline). ListItem and the table parts are listed explicitly,
# as the editor package otherwise warns. The figure nodes are the editor's (issue 10).
_PICKER = {"endpoint": reverse_lazy("bodyeditor:images"), "upload": reverse_lazy("bodyeditor:image-upload")}

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
    # Figures, pull quotes and simple tables (static/bodyeditor/story-editor.js). The
    # dialogs ask the staff JSON views in bodyeditor/ for images and embed checks.
    "HolrImage": _PICKER,
    "HolrGallery": _PICKER,
    "HolrEmbed": {"check": reverse_lazy("bodyeditor:embed-check")},
    "HolrPullQuote": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Menu": {"groups": [*DEFAULT_MENU_GROUPS[:-3], {"group": "media"}, *DEFAULT_MENU_GROUPS[-3:]]},
}

_ID = re.compile(r"[1-9][0-9]{0,9}")


def image_id(value):
    """An image id from an attribute, or None."""
    value = (value or "").strip()
    return int(value) if _ID.fullmatch(value) else None


def gallery_ids(value):
    """Image ids of a gallery attribute (duplicates kept once), or None when malformed."""
    ids = [image_id(part) for part in (value or "").split(",")]
    if None in ids or len(ids) > MAX_GALLERY:
        return None
    ids = list(dict.fromkeys(ids))
    return ids if len(ids) >= 2 else None


def _valid_attribute(tag, attribute, value):
    """Syntax only (no database): what nh3 keeps of a figure's data-* attributes."""
    if tag != "figure":
        return value
    if attribute == "data-image":
        number = image_id(value)
        return str(number) if number else None
    if attribute == "data-size":
        return value if value in SIZES else None
    if attribute == "data-gallery":
        ids = gallery_ids(value)
        return ",".join(map(str, ids)) if ids else None
    if attribute == "data-embed":
        embed = resolve(value)
        return embed.url if embed else None
    if attribute == "data-pullquote":
        return ""
    return None


# Every link gets rel="noopener" (the requirement is for external links; on a
# same-site link it is harmless, and one rule is simpler to trust than a URL test).
def body_cleaner(**options):
    """The body's nh3 allow-list; `options` replace parts of it (feeds.py makes links absolute)."""
    return nh3.Cleaner(
        **{
            "tags": ALLOWED_TAGS,
            "attributes": ALLOWED_ATTRIBUTES,
            "url_schemes": URL_SCHEMES,
            "link_rel": "noopener",
            "strip_comments": True,
            "attribute_filter": _valid_attribute,
            **options,
        }
    )


_cleaner = body_cleaner()


def figure_kind(element):
    """ "image", "gallery", "embed", "pullquote", or None for a figure that is none of them."""
    for kind in ("image", "gallery", "embed", "pullquote"):
        if f"data-{kind}" in element.attrs:
            return kind
    return None


def _inline(nodes):
    """Inline content only: block elements inside a caption give up their tags."""
    kept = []
    for node in nodes:
        if isinstance(node, str):
            kept.append(node)
        elif node.tag in INLINE_TAGS:
            kept.append(tree.Element(node.tag, node.attrs, _inline(node.children)))
        else:
            if kept and node.tag not in INLINE_TAGS:
                kept.append(" ")
            kept.extend(_inline(node.children))
    return kept


def _caption(figure):
    caption = figure.first("figcaption")
    if caption is None:
        return []
    children = _inline(caption.children)
    return [tree.Element("figcaption", {}, children)] if tree.serialize(children).strip() else []


def _without_figures(nodes):
    """Figures are top-level blocks: one nested anywhere else is dropped, a stray caption unwrapped."""
    kept = []
    for node in nodes:
        if isinstance(node, str):
            kept.append(node)
        elif node.tag == "figure":
            continue
        elif node.tag == "figcaption":
            kept.extend(_without_figures(node.children))
        else:
            node.children = _without_figures(node.children)
            kept.append(node)
    return kept


def _figure(element):
    """The figure as stored, or a list of nodes to put in its place."""
    kind = figure_kind(element)
    if kind == "pullquote":
        quote = element.first("blockquote")
        if quote is None or not quote.text().strip():
            return []
        quote.children = _without_figures(quote.children)
        return [tree.Element("figure", {"data-pullquote": ""}, [quote, *_caption(element)])]
    if kind is None:  # a bare figure: its content stays, as ordinary blocks
        return [
            tree.Element("p", {}, _inline([child])) if getattr(child, "tag", "") == "figcaption" else child
            for child in _without_figures(element.children)
        ]
    attrs = {f"data-{kind}": element.attrs[f"data-{kind}"]}
    if kind == "image":
        attrs["data-size"] = element.attrs.get("data-size") or "inline"
    return [tree.Element("figure", attrs, _caption(element))]


def normalize(nodes, existing_images=None):
    """Top-level figures in their stored shape; references to missing images dropped."""
    result, media = [], 0
    for node in nodes:
        if isinstance(node, str) or node.tag != "figure":
            result.extend(_without_figures([node]))
            continue
        for replacement in _figure(node):
            if isinstance(replacement, tree.Element) and replacement.tag == "figure":
                kind = figure_kind(replacement)
                if kind != "pullquote":
                    media += 1
                    if media > MAX_FIGURES:
                        continue
                if existing_images is not None and not _keep_images(replacement, kind, existing_images):
                    continue
            result.append(replacement)
    return result


def _keep_images(figure, kind, existing):
    if kind == "image":
        return int(figure.attrs["data-image"]) in existing
    if kind == "gallery":
        ids = [number for number in gallery_ids(figure.attrs["data-gallery"]) if number in existing]
        if len(ids) >= 2:
            figure.attrs["data-gallery"] = ",".join(map(str, ids))
        elif ids:  # one image left of a gallery: an inline image
            figure.attrs = {"data-image": str(ids[0]), "data-size": "inline"}
        else:
            return False
    return True


def referenced_image_ids(nodes):
    """Ids of the library images the top-level figures refer to, in order of appearance."""
    ids = []
    for node in nodes:
        if isinstance(node, tree.Element) and node.tag == "figure":
            if "data-image" in node.attrs:
                ids.append(image_id(node.attrs["data-image"]))
            elif "data-gallery" in node.attrs:
                ids.extend(gallery_ids(node.attrs["data-gallery"]) or ())
    return [number for number in dict.fromkeys(ids) if number]


def existing_image_ids(ids):
    from images.models import Image  # the library app; imported late as apps load

    return set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def sanitize_html(html):
    """Return `html` reduced to the allow-list; empty editor output becomes ""."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html).strip()
    if "<fig" in cleaned:
        nodes = normalize(tree.parse(cleaned))
        nodes = normalize(nodes, existing_image_ids(referenced_image_ids(nodes)))
        cleaned = tree.serialize(nodes).strip()
    return "" if cleaned in {"", "<p></p>"} else cleaned
