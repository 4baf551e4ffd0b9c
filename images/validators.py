"""Upload checks for the image library: a real image, in a format we serve, of a sane size."""

import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Animated GIF/WebP/PNG: more frames than any real illustration needs means a file
# built to make every later read of it slow.
MAX_FRAMES = 200
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif"}


def open_checked(file):
    """Open an upload with Pillow and check it fully; return (format, width, height).

    Raises ValidationError with a message that names the problem. The whole image is
    decoded once, so truncated files are caught here and not when making renditions.
    """
    if file.size > MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(limit)s.",
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
        )
    file.seek(0)
    # Pillow only *warns* about decompression bombs below twice its own limit:
    # make the warning an error and apply our own, lower cap before decoding.
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(file) as image:
                image_format, (width, height) = image.format, image.size
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "%(format)s images are not accepted; upload a JPEG, PNG, WebP, AVIF or GIF.",
                        code="format",
                        params={"format": image_format or "This kind of"},
                    )
                if width * height > MAX_PIXELS:
                    # No rounded megapixel count here: 8000×5001 would read "40 megapixels;
                    # the limit is 40 megapixels".
                    raise ValidationError(
                        "This image is %(width)s×%(height)s pixels, over the limit of %(limit)s megapixels.",
                        code="too_many_pixels",
                        params={"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000},
                    )
                if getattr(image, "is_animated", False) and has_frame(image, MAX_FRAMES):
                    raise ValidationError(
                        "This animation has more than %(limit)s frames; upload a still image or a shorter animation.",
                        code="too_many_frames",
                        params={"limit": MAX_FRAMES},
                    )
                image.load()
        except ValidationError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
            raise ValidationError(
                "This image's dimensions are too large to process safely.", code="bomb"
            ) from error
        except UnidentifiedImageError as error:
            raise ValidationError(
                "This file is not an image Pillow can read; upload a JPEG, PNG, WebP, AVIF or GIF.",
                code="not_an_image",
            ) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                "This image file is damaged or incomplete (%(error)s).",
                code="damaged",
                params={"error": error},
            ) from error
        finally:
            file.seek(0)
    return image_format, width, height


def has_frame(image, index):
    """Whether the animation has a frame at `index`, reading no further than that frame."""
    try:
        image.seek(index)
    except EOFError:
        return False
    finally:
        image.seek(0)
    return True


def validate_image_file(value):
    """Model-field validator; checks only new uploads, not files already stored."""
    if getattr(value, "_committed", True):
        return
    open_checked(value)
