"""The one rendition helper: resized AVIF, WebP and JPEG copies of library images.

Renditions are made once, when an image is saved (see receivers.py), at fixed widths
and under names derived from the original's, so pages compute their URLs without a
query or a file-system check. Everything goes through Django's storage API (no local
paths), so originals and renditions can live on local disk or in S3-compatible storage.
The crops (1200×630 for OpenGraph and Twitter cards;
4:3 and 1:1, which Google's article guidelines ask for beside it, for structured data)
are cut around the image's focal point; their names carry the focal point, so a moved
focal point gives new URLs that no social network or search engine has cached.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "progressive": True, "optimize": True}),
}
# AVIF at speed 8: about four times faster to encode than the default, at the same size.
FORMATS["avif"] = ("AVIF", {"quality": 60, "speed": 8})
# Crops around the focal point: name prefix → size. JPEG, which social networks still expect.
CROPS = {
    "share": (1200, 630),  # what Facebook, LinkedIn and X show for a large link card
    "4x3": (1200, 900),
    "1x1": (1200, 1200),
}
SHARE_SIZE = CROPS["share"]
SHARE_OPTIONS = FORMATS["jpg"][1]


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    url: str
    name: str = ""  # its name in storage


@dataclass(frozen=True)
class RenditionSet:
    webp: tuple
    jpeg: tuple
    avif: tuple = ()
    share: Rendition = None
    crops: tuple = ()  # the 4:3 and 1:1 crops, for structured data

    @property
    def every_crop(self):
        """The share crop, then the 4:3 and the 1:1 crops."""
        return (self.share, *self.crops)

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

    @property
    def avif_srcset(self):
        return self.srcset(self.avif)

    @property
    def largest(self):
        """The biggest JPEG, for consumers that take one full-size image (structured data, feeds)."""
        return self.jpeg[-1]


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
                url=default_storage.url(name),
                name=name,
            )
            for width in widths_for(image.width)
            for name in [rendition_name(image.file.name, width, extension)]
        )
    share, *crops = (
        Rendition(*size, url=default_storage.url(crop_name(image, kind)), name=crop_name(image, kind))
        for kind, size in CROPS.items()
    )
    return RenditionSet(
        webp=sets["webp"], jpeg=sets["jpg"], avif=sets["avif"], share=share, crops=tuple(crops)
    )


def crop_name(image, kind):
    """A crop's name: its kind and the focal point in thousandths, so a new point is a new file."""
    folder = PurePosixPath(rendition_name(image.file.name, 0, "x")).parent
    return f"{folder}/{kind}-{round(image.focal_x * 1000)}-{round(image.focal_y * 1000)}.jpg"


def jpeg_rendition(image, max_width=None):
    """One JPEG rendition (the widest up to `max_width`), without computing the whole set."""
    if not image.file or not image.width:
        return None
    widths = widths_for(image.width)
    width = max((w for w in widths if max_width is None or w <= max_width), default=widths[0])
    name = rendition_name(image.file.name, width, "jpg")
    return Rendition(width, round(image.height * width / image.width), default_storage.url(name), name)


def share_name(image):
    return crop_name(image, "share")


def share_box(width, height, focal_x, focal_y, size=SHARE_SIZE):
    """The largest box of `size`'s proportions inside width×height, centred on the focal point
    as far as the edges allow."""
    ratio = size[0] / size[1]
    crop_width = min(width, height * ratio)
    crop_height = crop_width / ratio
    left = min(max(focal_x * width - crop_width / 2, 0), width - crop_width)
    top = min(max(focal_y * height - crop_height / 2, 0), height - crop_height)
    return (round(left), round(top), round(left + crop_width), round(top + crop_height))


def _upright_rgb(image):
    """The original, turned upright and flattened onto white (first frame of an animation)."""
    image.file.open("rb")
    try:
        with PILImage.open(image.file) as original:
            original.seek(0)  # animated GIF/WebP: the first frame
            source = ImageOps.exif_transpose(original.convert("RGBA"))
    finally:
        image.file.close()
    flattened = PILImage.new("RGB", source.size, (255, 255, 255))
    flattened.paste(source, mask=source.getchannel("A"))
    return flattened


def _store(name, picture, pil_format, options):
    buffer = io.BytesIO()
    picture.save(buffer, pil_format, **options)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(buffer.getvalue()))


def make_crops(image, flattened=None):
    """Write the share, 4:3 and 1:1 crops around the focal point, removing crops of earlier points."""
    flattened = flattened or _upright_rgb(image)
    names = {kind: crop_name(image, kind) for kind in CROPS}
    folder = str(PurePosixPath(names["share"]).parent)
    if default_storage.exists(folder):
        for old in default_storage.listdir(folder)[1]:
            is_crop = old.startswith(tuple(f"{kind}-" for kind in CROPS))
            if is_crop and f"{folder}/{old}" not in names.values():
                default_storage.delete(f"{folder}/{old}")
    for kind, size in CROPS.items():
        box = share_box(*flattened.size, image.focal_x, image.focal_y, size)
        crop = flattened.crop(box).resize(size, PILImage.Resampling.LANCZOS)
        _store(names[kind], crop, "JPEG", SHARE_OPTIONS)


def make_renditions(image):
    """Write every rendition of `image` to storage, replacing old ones."""
    flattened = _upright_rgb(image)
    for width in widths_for(image.width):
        height = round(image.height * width / image.width)
        resized = (
            flattened
            if width == flattened.width
            else flattened.resize((width, height), PILImage.Resampling.LANCZOS)
        )
        for extension, (pil_format, options) in FORMATS.items():
            _store(rendition_name(image.file.name, width, extension), resized, pil_format, options)
    make_crops(image, flattened)


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
