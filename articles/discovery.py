"""Ways from one tag to the next: the tags most often seen with a tag."""

from dataclasses import dataclass

from django.db.models import Count, Value
from django.urls import reverse

from .models import Article
from .querysets import published_taggings
from .vocabularies import VOCABULARIES

OFTEN_WITH = 8


@dataclass(frozen=True)
class TagLink:
    """A tag as a page links to it, without its model instance."""

    name: str
    slug: str
    vocabulary: object  # a Vocabulary

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"vocabulary": self.vocabulary, "slug": self.slug})


# Counted over the tag's newest articles: what it goes with now, at a cost that stays
# flat for a tag on 40,000 articles.
OFTEN_WITH_ARTICLES = 500


def often_with(tag, limit=OFTEN_WITH):
    """People, places and events most often on the same published articles as `tag`, in one query.

    Counted over the tag's OFTEN_WITH_ARTICLES newest articles (by id, read backwards off
    the (tag, article) index); most shared first, then by name; never `tag` itself.
    """
    newest = published_taggings(tag.tagged_articles.model.objects.filter(tag=tag)).order_by(
        "-content_object_id"
    )
    articles = (
        Article.objects.published()
        .filter(pk__in=newest.values("content_object_id")[:OFTEN_WITH_ARTICLES])
        .values("pk")
    )
    parts = []
    for vocabulary in VOCABULARIES.values():
        tags = vocabulary.model.objects.filter(tagged_articles__content_object__in=articles)
        if vocabulary.key == tag.vocabulary:
            tags = tags.exclude(pk=tag.pk)
        parts.append(
            tags.annotate(vocabulary_key=Value(vocabulary.key), shared=Count("tagged_articles"))
            .values_list("name", "slug", "vocabulary_key", "shared")
            .order_by()
        )
    rows = parts[0].union(*parts[1:], all=True).order_by("-shared", "name")[:limit]
    return [TagLink(name, slug, VOCABULARIES[key]) for name, slug, key, _ in rows]
