"""What the editor is told about a body's figures before anything is saved.

The sanitizer drops what it cannot keep; a form says why first, so an editor never
loses a figure without knowing (the bound form keeps everything typed).
"""

from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from . import tree
from .embeds import PROVIDER_NAMES, resolve
from .sanitizer import MAX_FIGURES, MAX_GALLERY, SIZES, existing_image_ids, figure_kind, gallery_ids, image_id


def body_problems(html):
    """Sentences naming each figure the sanitizer would drop or change, in order."""
    if not html or "<fig" not in html.lower():
        return []
    root = tree.Element("#root", {}, tree.parse(html))
    problems, wanted, media = [], {}, 0
    for figure in root.find_all("figure"):
        if any(True for _ in figure.find_all("figure")):
            problems.append("A figure cannot hold another figure; put them one after the other.")
        kind = figure_kind(figure)
        if kind in {"image", "gallery", "embed"}:
            media += 1
        if kind == "image":
            number = image_id(figure.attrs["data-image"])
            if number is None:
                problems.append(f"“{Truncator(figure.attrs['data-image']).chars(30)}” is not an image id.")
            else:
                wanted.setdefault(number, f"Image {number} is not in the library (was it deleted?).")
            if figure.attrs.get("data-size", "inline") not in SIZES:
                problems.append(f"An image's size is one of {', '.join(SIZES)}.")
        elif kind == "gallery":
            ids = gallery_ids(figure.attrs["data-gallery"])
            if ids is None:
                problems.append(f"A gallery holds 2 to {MAX_GALLERY} library images, given by their ids.")
            else:
                for number in ids:
                    wanted.setdefault(number, f"Image {number} is not in the library (was it deleted?).")
        elif kind == "embed":
            url = figure.attrs["data-embed"]
            if resolve(url) is None:
                problems.append(
                    f"“{Truncator(url).chars(80)}” is not a link to a video, audio or post we can embed. "
                    f"Paste the address of an item on {PROVIDER_NAMES}."
                )
        elif kind == "pullquote" and not (
            figure.first("blockquote") and figure.first("blockquote").text().strip()
        ):
            problems.append("A pull quote needs its sentence.")
    if media > MAX_FIGURES:
        problems.append(
            f"A story holds at most {MAX_FIGURES} images, galleries and embeds; this one has {media}."
        )
    existing = existing_image_ids(list(wanted)[: MAX_FIGURES * MAX_GALLERY])
    problems.extend(message for number, message in wanted.items() if number not in existing)
    return list(dict.fromkeys(problems))


def validate_body(html):
    problems = body_problems(html)
    if problems:
        raise ValidationError(problems[:20])
