"""URL converters: unicode slugs (习近平, zürich) and the three vocabularies."""

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
