import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from PIL import ExifTags
from PIL import Image as PILImage

from .validators import ALLOWED_FORMATS, validate_image_file


def upload_to(instance, filename):
    """Stored names are generated: the uploaded name is never used on disk."""
    extension = ".img"
    try:
        instance.file.file.seek(0)
        with PILImage.open(instance.file.file) as image:
            extension = ALLOWED_FORMATS.get(image.format, extension)
    except Exception:  # the validator has already refused anything unreadable
        pass
    finally:
        instance.file.file.seek(0)
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


unit_interval = [MinValueValidator(0.0), MaxValueValidator(1.0)]

# EXIF orientations 5–8 turn the image a quarter: its displayed width is its stored height.
ROTATED_ORIENTATIONS = {5, 6, 7, 8}


class UprightImageFieldFile(models.ImageField.attr_class):
    """Width and height as displayed: a photo with an EXIF rotation reports its turned size.

    Renditions are made upright (ImageOps.exif_transpose), so the stored width and
    height, and every size computed from them, must be upright too.
    """

    def _get_image_dimensions(self):
        if not hasattr(self, "_dimensions_cache"):
            width, height = super()._get_image_dimensions()
            close = self.closed
            self.open()
            try:
                self.seek(0)
                with PILImage.open(self) as image:
                    if image.getexif().get(ExifTags.Base.Orientation) in ROTATED_ORIENTATIONS:
                        width, height = height, width
            except Exception:  # unreadable files keep Django's answer; the validator refuses them
                pass
            finally:
                if close:
                    self.close()
                else:
                    self.seek(0)
            self._dimensions_cache = (width, height)
        return self._dimensions_cache


class UprightImageField(models.ImageField):
    attr_class = UprightImageFieldFile

    def deconstruct(self):
        # Stored exactly as a plain ImageField: only how dimensions are read differs.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


class Image(models.Model):
    file = UprightImageField(
        upload_to=upload_to,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
        help_text="JPEG, PNG, WebP, AVIF or GIF; at most 20 MB and 40 megapixels.",
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the image shows, for readers who cannot see it. Travels with the image.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text='Who made or supplied it, e.g. "Reuters Institute Digital News Report".',
    )
    focal_x = models.FloatField(
        "focal point (x)",
        default=0.5,
        validators=unit_interval,
        help_text="0 is the left edge, 1 the right; crops keep this point in frame.",
    )
    focal_y = models.FloatField(
        "focal point (y)",
        default=0.5,
        validators=unit_interval,
        help_text="0 is the top edge, 1 the bottom.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        text = Truncator(self.alt).chars(60)
        return f"{text} ({self.credit})" if self.credit else text

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember which file the stored renditions were made from (see receivers.py).
        # By now the ImageField's post_init has turned the stored name into a FieldFile.
        file = instance.__dict__.get("file")
        instance._renditions_for = getattr(file, "name", file)
        return instance

    def get_admin_url(self):
        return reverse("admin:images_image_change", args=[self.pk])

    @property
    def renditions(self):
        from .renditions import renditions_for

        return renditions_for(self)
