"""The body field: the prose editor, with figures checked before the sanitizer runs."""

from django_prose_editor.fields import ProseEditorField, ProseEditorFormField

from .sanitizer import EDITOR_EXTENSIONS, sanitize_html
from .validation import validate_body


class BodyFormField(ProseEditorFormField):
    def clean(self, value):
        # On what the editor sent: once sanitized, a bad figure has silently gone.
        validate_body(value)
        return super().clean(value)


class BodyField(ProseEditorField):
    """Rich text stored as sanitized HTML (docs/rich-text.md); a plain TextField in migrations."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": EDITOR_EXTENSIONS})
        kwargs.setdefault("sanitize", sanitize_html)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BodyFormField, **kwargs})
