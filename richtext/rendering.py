"""The one body renderer: stored references (docs/rich-text.md) → what readers see.

`render_body(obj)` serves the article page, staff and share-link previews, feeds
(`absolute=True`) and anything else with a `body`. A body is parsed once per distinct
text (kept in a small in-process cache) and every library image it refers to is fetched
in one query, remembered on the object for JSON-LD and the rest of the request.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from images.renditions import jpeg_rendition
from pagecache import dependencies

from . import tree
from .embeds import resolve
from .sanitizer import figure_kind, gallery_ids, image_id

# What share of the viewport each figure size takes (static/css/holr.css).
SIZES = {
    "inline": "(min-width: 46rem) 42rem, calc(100vw - 2rem)",
    "wide": "(min-width: 64rem) 60rem, 100vw",
    "full": "100vw",
    "gallery": "(min-width: 64rem) 20rem, (min-width: 30rem) 50vw, 100vw",
}


@dataclass(frozen=True)
class Figure:
    kind: str
    image_ids: tuple = ()
    size: str = "inline"
    embed: object = None
    caption: str = ""  # sanitized inline HTML
    quote: str = ""  # the pull quote's blockquote content


@lru_cache(maxsize=1024)
def segments(html):
    """The body as a tuple of HTML strings and Figures (parsed once per distinct body)."""
    parts, pending = [], []
    for node in tree.parse(html or ""):
        kind = figure_kind(node) if isinstance(node, tree.Element) and node.tag == "figure" else None
        figure = _figure(node, kind) if kind else None
        if figure is None:
            pending.append(node)
            continue
        if pending:
            parts.append(tree.serialize(pending))
            pending = []
        parts.append(figure)
    if pending:
        parts.append(tree.serialize(pending))
    return tuple(parts)


def _figure(node, kind):
    caption = node.first("figcaption")
    caption = tree.serialize(caption.children).strip() if caption is not None else ""
    if kind == "image":
        number = image_id(node.attrs["data-image"])
        size = node.attrs.get("data-size")
        return (
            Figure("image", (number,), size if size in SIZES else "inline", caption=caption)
            if number
            else None
        )
    if kind == "gallery":
        ids = gallery_ids(node.attrs["data-gallery"])
        return Figure("gallery", tuple(ids), caption=caption) if ids else None
    if kind == "embed":
        embed = resolve(node.attrs["data-embed"])
        return Figure("embed", embed=embed, caption=caption) if embed else None
    quote = node.first("blockquote")
    return Figure("pullquote", quote=tree.serialize(quote.children), caption=caption) if quote else None


def image_ids(html):
    """Ids of the library images a body shows, in order of appearance."""
    ids = [number for part in segments(html) if isinstance(part, Figure) for number in part.image_ids]
    return list(dict.fromkeys(ids))


def body_images(obj):
    """{id: Image} for every image `obj.body` refers to: one query, remembered on the object.

    A caller that keeps them longer (the article page, under the content version) hands
    them over with attach_body_images() first.
    """
    cache = obj.__dict__.get("_body_images")
    if cache is None or cache[0] != obj.body:
        ids = image_ids(obj.body)
        cache = (obj.body, load_images(ids))
        obj.__dict__["_body_images"] = cache
    return cache[1]


def load_images(ids):
    from images.models import Image

    # Every id asked for, found or not: a figure whose image is missing shows it once it is there.
    dependencies.record(*(f"image:{number}" for number in ids))
    return Image.objects.in_bulk(ids) if ids else {}


def attach_body_images(obj, images, html=None):
    """Hand over a body's images (and, optionally, its rendered HTML) kept elsewhere."""
    obj.__dict__["_body_images"] = (obj.body, images)
    if html is not None:
        obj.__dict__["_rendered_body"] = (obj.body, html)


def prefetch_body_images(objs):
    """body_images() for many objects in one query (feeds, listings)."""
    objs = list(objs)
    wanted = {obj.pk: image_ids(obj.body) for obj in objs}
    images = load_images(list({number for ids in wanted.values() for number in ids}))
    for obj in objs:
        obj.__dict__["_body_images"] = (obj.body, {n: images[n] for n in wanted[obj.pk] if n in images})
    return objs


def inline_images(obj):
    """The images of a body that still exist, in order (JSON-LD, feeds)."""
    images = body_images(obj)
    return [images[number] for number in image_ids(obj.body) if number in images]


def render_body(obj, *, absolute_url=None, clean=None):
    """`obj.body` with its figures rendered.

    For feeds, pass `absolute_url` (a path → URL function): figures become plain
    absolute-URL <img>s and embeds links; `clean` is applied to the stored text between
    figures (feeds sanitize again).
    """
    rendered = obj.__dict__.get("_rendered_body")
    if rendered is not None and rendered[0] == obj.body and absolute_url is None and clean is None:
        return mark_safe(rendered[1])
    parts = segments(obj.body)
    clean = clean or (lambda html: html)  # stored bodies are sanitized on save
    if not any(isinstance(part, Figure) for part in parts):
        return mark_safe(clean("".join(parts)))
    images = body_images(obj)
    if absolute_url:
        return mark_safe(
            "".join(
                clean(part) if isinstance(part, str) else _render_for_feed(part, images, absolute_url)
                for part in parts
            )
        )
    return mark_safe(
        "".join(clean(part) if isinstance(part, str) else _render_for_page(part, images) for part in parts)
    )


def _credits(images):
    return list(dict.fromkeys(image.credit for image in images if image.credit))


def _render_for_page(figure, images):
    shown = [images[number] for number in figure.image_ids if number in images]
    if figure.kind in {"image", "gallery"} and not shown:
        return ""  # an image deleted behind the library's back: nothing rather than a hole
    context = {
        "figure": figure,
        "caption": mark_safe(figure.caption),
        "images": shown,
        "credits": _credits(shown),
        "sizes": SIZES["gallery" if figure.kind == "gallery" else figure.size],
        "quote": mark_safe(figure.quote),
        "embed": figure.embed,
    }
    return _template(figure.kind).render(context)


@lru_cache(maxsize=8)
def _template(kind):
    return get_template(f"richtext/figure_{kind}.html")


def _render_for_feed(figure, images, absolute_url):
    caption = figure.caption
    if figure.kind == "embed":
        embed = figure.embed
        link = format_html('<a href="{}" rel="noopener">{}</a>', embed.url, embed.button_label)
        if not caption:
            return format_html("<p>{}</p>", link)
        # The caption is sanitized on save; the message is ours ("{link} : {caption}" in French).
        text = gettext("%(link)s: %(caption)s") % {"link": link, "caption": caption}
        return format_html("<p>{}</p>", mark_safe(text))
    if figure.kind == "pullquote":
        attribution = format_html("<p>— {}</p>", mark_safe(caption)) if caption else ""
        return format_html("<blockquote>{}{}</blockquote>", mark_safe(figure.quote), attribution)
    shown = [images[number] for number in figure.image_ids if number in images]
    pictures = []
    for image in shown:
        jpeg = jpeg_rendition(image, max_width=1280)
        if jpeg is None:
            continue
        pictures.append(
            format_html(
                '<img src="{}" width="{}" height="{}" alt="{}">',
                absolute_url(jpeg.url),
                jpeg.width,
                jpeg.height,
                image.alt,
            )
        )
    if not pictures:
        return ""
    credits = " ".join(escape(credit) for credit in _credits(shown))
    text = " ".join(part for part in (caption, credits) if part)
    return "<figure>" + "".join(pictures) + (f"<figcaption>{text}</figcaption>" if text else "") + "</figure>"
