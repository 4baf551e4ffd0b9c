import warnings

from django import forms
from django.core.exceptions import ValidationError
from PIL import Image as PILImage

from .validators import open_checked


class LibraryImageField(forms.ImageField):
    """Django's image form field, but a refusal names the problem.

    Django's own check opens the file with Pillow and turns any failure into one
    generic "invalid image" message, a decompression bomb included; that one gets our
    validator's message instead.
    """

    def __init__(self, **kwargs):
        # The uploaded name is never stored (images.models.upload_to generates one that
        # fits the column), so a long camera or phone file name is no reason to refuse.
        kwargs["max_length"] = None
        super().__init__(**kwargs)

    def to_python(self, data):
        try:
            with warnings.catch_warnings():  # a bomb under twice Pillow's limit only warns
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                return super().to_python(data)
        except ValidationError as error:
            if isinstance(
                error.__cause__, (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning)
            ):
                open_checked(data)  # raises the ValidationError that names the problem
            raise
