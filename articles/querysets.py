from django.db import models
from django.db.models import Prefetch
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and not scheduled for later."""
        from .models import Status

        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Everything a teaser shows (section, lead image, byline), in a fixed number of queries."""
        from .models import Author

        return self.select_related("section", "lead_image").prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("article_links__position", "article_links__id"))
        )

    def with_tags(self):
        return self.prefetch_related("people", "places", "events")


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open their article: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
