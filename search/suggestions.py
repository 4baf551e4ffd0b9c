"""Tags whose names match a search: a search for "Putin" also offers the page of Vladimir Putin."""

from django.db.models import Exists, OuterRef, Q, Value

from articles.discovery import TagLink
from articles.models import Article
from articles.vocabularies import VOCABULARIES

from .backends import serially

MIN_PARTIAL_LENGTH = 3  # shorter queries offer only tags with exactly that name
LIMIT = 5


def matching_tags(text, limit=LIMIT):
    """People, places and events named like `text` that readers can see, in one query."""
    if not text:
        return []
    name_matches = Q(name__iexact=text)
    if len(text) >= MIN_PARTIAL_LENGTH:
        name_matches |= Q(name__icontains=text)
    published = Article.objects.published()
    parts = [
        vocabulary.model.objects.filter(name_matches)
        # A tag known only from unpublished work must not show that it exists.
        .filter(
            Exists(
                vocabulary.model.tagged_articles.rel.related_model.objects.filter(
                    tag=OuterRef("pk"), content_object__in=published
                )
            )
        )
        .annotate(vocabulary_key=Value(vocabulary.key), is_exact=Q(name__iexact=text))
        .values_list("name", "slug", "vocabulary_key", "is_exact")
        .order_by()
        for vocabulary in VOCABULARIES.values()
    ]
    with serially():
        rows = list(parts[0].union(*parts[1:], all=True).order_by("-is_exact", "name")[:limit])
    return [TagLink(name, slug, VOCABULARIES[key]) for name, slug, key, _ in rows]
