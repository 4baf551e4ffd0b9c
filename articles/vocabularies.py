"""The three tag vocabularies. One table of facts, so views, URLs and admin are written once."""

from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Vocabulary:
    key: str  # the URL segment and the Article field name: "people"
    label: str  # "People"
    singular: str  # "person", in the reader's language
    item: str  # "person" as an identifier: API filters and URL names, never translated

    def __str__(self):
        return self.key

    @cached_property
    def model(self):
        from .models import Article

        return Article._meta.get_field(self.key).remote_field.model


VOCABULARIES = {
    vocabulary.key: vocabulary
    for vocabulary in (
        Vocabulary("people", _("People"), _("person"), "person"),
        Vocabulary("places", _("Places"), _("place"), "place"),
        Vocabulary("events", _("Events"), _("event"), "event"),
    )
}
