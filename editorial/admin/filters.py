"""Admin list filters for the tag vocabularies that stay small at magazine scale.

A vocabulary has thousands of tags; Django's related-field filter would list every one
in the sidebar (and query them all on every page). This filter lists the most used
few, plus the one selected, and links to the vocabulary's own admin list, where any tag
can be searched and its article count leads back here, filtered.
"""

from django.contrib import admin
from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils.functional import lazy

from articles.vocabularies import VOCABULARIES

POPULAR_TAGS = 15
# Which tags are the most used changes slowly; recounting them is a scan of every tagging.
POPULAR_TAGS_TIMEOUT = 3600


def popular_tags(vocabulary):
    """(pk, name) of the vocabulary's most used tags, most used first; cached."""
    key = f"holr:admin-popular-tags:{vocabulary.key}"
    tags = cache.get(key)
    if tags is None:
        tags = list(
            vocabulary.model.objects.annotate(article_count=Count("tagged_articles"))
            .order_by("-article_count", "name")
            .values_list("pk", "name")[:POPULAR_TAGS]
        )
        cache.set(key, tags, POPULAR_TAGS_TIMEOUT)
    return tags


class TagFilter(admin.SimpleListFilter):
    """Articles with one tag of a vocabulary: `?people__id__exact=<pk>`, as Django's own filter spells it.

    A SimpleListFilter, not a field filter: Django assumes a filter across a many-to-many
    relation may repeat rows and adds DISTINCT over every column (bodies included), which
    at 100,000 articles takes seconds. One tag cannot repeat an article: the through
    table's (article, tag) pair is unique.
    """

    vocabulary = None
    template = "admin/articles/tag_filter.html"

    def lookups(self, request, model_admin):
        choices = popular_tags(self.vocabulary)
        selected = self.selected_pk()
        if selected is not None and selected not in {pk for pk, _ in choices}:
            tag = self.vocabulary.model.objects.filter(pk=selected).values_list("pk", "name").first()
            if tag:
                choices = [*choices, tag]
        return [(str(pk), name) for pk, name in choices]

    def queryset(self, request, queryset):
        selected = self.selected_pk()
        if self.value() is None:
            return queryset
        if selected is None:
            return queryset.none()  # a malformed id matches nothing
        return queryset.filter(**{f"{self.vocabulary.key}__id": selected})

    def selected_pk(self):
        try:
            return int(self.value())
        except (TypeError, ValueError):
            return None

    def all_tags_url(self):
        model = self.vocabulary.model
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


_lowered = lazy(lambda text: str(text).lower(), str)


def tag_filter(key):
    vocabulary = VOCABULARIES[key]
    return type(
        f"{vocabulary.model.__name__}Filter",
        (TagFilter,),
        # Lowered when shown, in the language of the moment ("By people", "Par personnes").
        {
            "vocabulary": vocabulary,
            "title": _lowered(vocabulary.label),
            "parameter_name": f"{key}__id__exact",
        },
    )
