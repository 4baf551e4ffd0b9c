from datetime import timedelta

from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

# How much one shared tag counts towards "related": a person or an event says more
# about what a story is about than a place does.
RELATED_WEIGHTS = {"people": 2, "events": 2, "places": 1}
# Candidates for "related" are each shared tag's newest taggings, so a tag on 40,000
# articles costs what one on 100 does; the score is then exact for every candidate.
RELATED_CANDIDATES_PER_TAG = 100
# …and published within a year either side of the article, which lets the database
# read only that stretch of its (status, published_at) index.
RELATED_WINDOW = timedelta(days=365)


def may_read_unpublished(user):
    """Staff with the article view permission read drafts and scheduled work at public addresses."""
    return user.is_staff and user.has_perm("articles.view_article")


def published_taggings(taggings):
    """Taggings of articles readers can see: a draft tagged, which retires no cached page
    (articles/cache_scope.py), must not take a place among a tag's newest taggings, or
    related stories and "often with" would change under the page cache."""
    from .models import Status

    return taggings.filter(
        content_object__status=Status.PUBLISHED, content_object__published_at__lte=timezone.now()
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and not scheduled for later."""
        from .models import Status

        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """published(), or every article for staff who may read unpublished work."""
        return self if may_read_unpublished(user) else self.published()

    def for_listing(self):
        """Everything a teaser shows (section, lead image, byline), in a fixed number of queries."""
        from .models import Author

        return self.select_related("section", "lead_image").prefetch_related(
            Prefetch(
                "authors", queryset=Author.objects.order_by("article_links__position", "article_links__id")
            )
        )

    def with_tags(self):
        return self.prefetch_related("people", "places", "events")

    def scheduled_after(self, moment):
        """Published with a publication time after `moment`: each goes live by itself at that time."""
        from .models import Status

        return self.filter(status=Status.PUBLISHED, published_at__gt=moment)

    def next_publication_after(self, moment):
        """When the next scheduled article after `moment` goes live, or None."""
        return (
            self.scheduled_after(moment)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def related_to(self, article):
        """Articles sharing the most people, places and events with `article`, newest first on ties.

        Reads the article's tags from its prefetched `with_tags()`; one query, with a
        score per candidate (RELATED_WEIGHTS) and never the article itself. Candidates are
        the newest RELATED_CANDIDATES_PER_TAG articles of each shared tag (newest by id,
        read backwards off the (tag, article) index) published within RELATED_WINDOW of
        it, so the cost stays flat however popular a tag or large the archive grows.
        """
        score, shares_a_tag = Value(0), Q(pk__in=[])
        for key, weight in RELATED_WEIGHTS.items():
            tag_ids = [tag.pk for tag in getattr(article, key).all()]
            if not tag_ids:
                continue
            through = self.model._meta.get_field(key).remote_field.through
            shared = (
                through.objects.filter(tag_id__in=tag_ids, content_object=OuterRef("pk"))
                .order_by()
                .values("content_object")
                .annotate(count=Count("pk"))
                .values("count")
            )
            score += weight * Coalesce(Subquery(shared), 0)
            for tag_id in tag_ids:
                newest = published_taggings(through.objects.filter(tag_id=tag_id)).order_by(
                    "-content_object_id"
                )
                shares_a_tag |= Q(pk__in=newest.values("content_object_id")[:RELATED_CANDIDATES_PER_TAG])
        nearby = self
        if article.published_at is not None:
            nearby = self.filter(
                published_at__range=(
                    article.published_at - RELATED_WINDOW,
                    article.published_at + RELATED_WINDOW,
                )
            )
        return (
            nearby.filter(shares_a_tag)
            .exclude(pk=article.pk)
            .annotate(related_score=score)
            .order_by("-related_score", "-published_at", "-id")
        )


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open their article: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
