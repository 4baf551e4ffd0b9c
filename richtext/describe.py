"""Figures in words, for people comparing two versions of a body (revisions)."""

from django.utils.text import Truncator

from . import tree
from .rendering import Figure, image_ids, segments


def _quoted(text, length=60):
    return f"“{Truncator(' '.join(text.split())).chars(length)}”"


def figures(html, images):
    """One phrase per figure and table of a body: "image “Crowds in Red Square”"; images is {id: Image}."""

    def alt(number):
        return (
            _quoted(images[number].alt) if number in images else f"image {number} (no longer in the library)"
        )

    phrases = []
    for part in segments(html or ""):
        if isinstance(part, Figure):
            if part.kind == "image":
                phrases.append(
                    f"{part.size} image {alt(part.image_ids[0])}"
                    if part.size != "inline"
                    else f"image {alt(part.image_ids[0])}"
                )
            elif part.kind == "gallery":
                phrases.append(
                    f"gallery of {len(part.image_ids)} images ({', '.join(map(alt, part.image_ids))})"
                )
            elif part.kind == "embed":
                phrases.append(f"{part.embed.provider.name} embed {part.embed.url}")
            else:
                phrases.append(f"pull quote {_quoted(tree.Element('q', {}, tree.parse(part.quote)).text())}")
        else:
            for node in tree.parse(part):
                if isinstance(node, tree.Element) and node.tag == "table":
                    rows = sum(1 for _ in node.find_all("tr"))
                    phrases.append(f"table of {rows} row{'s' if rows != 1 else ''}")
    return phrases


def changes(old_html, new_html):
    """What changed among the figures, in words: ["added image “Crowds in Red Square”", …]."""
    from images.models import Image

    ids = list(dict.fromkeys(image_ids(old_html or "") + image_ids(new_html or "")))
    images = Image.objects.in_bulk(ids) if ids else {}
    old, new = figures(old_html, images), figures(new_html, images)
    removed, added = list(old), []
    for phrase in new:
        if phrase in removed:
            removed.remove(phrase)
        else:
            added.append(phrase)
    return old, new, [f"removed {phrase}" for phrase in removed] + [f"added {phrase}" for phrase in added]
