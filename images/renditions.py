"""The one rendition helper: resized WebP and JPEG copies of library images.

Renditions are made once, when an image is saved (see receivers.py), at fixed widths
and under names derived from the original's, so pages compute their URLs without a
query or a file-system check. Everything goes through Django's storage API (no local
paths), so originals and renditions can live on local disk or in S3-compatible storage.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpg": ("JPEG", {"quality": 82, "progressive": True, "optimize": True})}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    url: str


@dataclass(frozen=True)
class RenditionSet:
    webp: tuple
    jpeg: tuple

    @property
    def fallback(self):
        """The JPEG a browser without srcset support loads: the middle size."""
        return self.jpeg[min(len(self.jpeg) - 1, 2)]

    @property
    def thumbnail(self):
        return self.webp[0]

    @staticmethod
    def srcset(renditions):
        return ", ".join(f"{r.url} {r.width}w" for r in renditions)

    @property
    def webp_srcset(self):
        return self.srcset(self.webp)

    @property
    def jpeg_srcset(self):
        return self.srcset(self.jpeg)


def widths_for(original_width):
    """Every standard width below the original, and the original width itself when smaller."""
    widths = [width for width in WIDTHS if width < original_width]
    if original_width <= WIDTHS[-1]:
        widths.append(original_width)
    return widths or [original_width]


def rendition_name(original_name, width, extension):
    path = PurePosixPath(original_name)
    return f"renditions/{path.stem}/{width}.{extension}"


def renditions_for(image):
    """Rendition URLs for an image, computed without touching disk or database."""
    if not image.file or not image.width:
        return None
    sets = {}
    for extension in FORMATS:
        sets[extension] = tuple(
            Rendition(
                width=width,
                height=round(image.height * width / image.width),
                url=default_storage.url(rendition_name(image.file.name, width, extension)),
            )
            for width in widths_for(image.width)
        )
    return RenditionSet(webp=sets["webp"], jpeg=sets["jpg"])


def make_renditions(image):
    """Write every rendition of `image` to storage, replacing old ones."""
    image.file.open("rb")
    try:
        with PILImage.open(image.file) as original:
            original.seek(0)  # animated GIF/WebP: the first frame
            source = ImageOps.exif_transpose(original.convert("RGBA"))
    finally:
        image.file.close()
    flattened = PILImage.new("RGB", source.size, (255, 255, 255))
    flattened.paste(source, mask=source.getchannel("A"))
    for width in widths_for(image.width):
        height = round(image.height * width / image.width)
        resized = flattened if width == flattened.width else flattened.resize((width, height), PILImage.Resampling.LANCZOS)
        for extension, (pil_format, options) in FORMATS.items():
            name = rendition_name(image.file.name, width, extension)
            buffer = io.BytesIO()
            resized.save(buffer, pil_format, **options)
            if default_storage.exists(name):
                default_storage.delete(name)
            default_storage.save(name, ContentFile(buffer.getvalue()))


def delete_renditions(original_name):
    # Object stores (S3) have no folders, only key prefixes: `exists(folder)` is False
    # there, so list instead; a local folder that is not there lists as nothing.
    folder = str(PurePosixPath(rendition_name(original_name, 0, "x")).parent)
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
