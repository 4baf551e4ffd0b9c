"""URL converters: unicode slugs (习近平, zürich), the three vocabularies and the A–Z letters."""

from .letters import OTHER
from .vocabularies import VOCABULARIES, Vocabulary


class UnicodeSlugConverter:
    # Django's <slug:> is ASCII-only and will not reverse taggit's unicode slugs.
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class VocabularyConverter:
    regex = "|".join(VOCABULARIES)

    def to_python(self, value):
        return VOCABULARIES[value]

    def to_url(self, value):
        return value.key if isinstance(value, Vocabulary) else value


class IndexLetterConverter:
    """A letter of the A–Z indexes: "a"–"z", and "other" for the names filed under "#"."""

    regex = "[a-z]|other"

    def to_python(self, value):
        return OTHER if value == "other" else value.upper()

    def to_url(self, value):
        return "other" if value == OTHER else value.lower()
