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

    def scheduled_after(self, moment):
        """Published with a publication time after `moment`: each goes live by itself at that time."""
        from .models import Status

        return self.filter(status=Status.PUBLISHED, published_at__gt=moment)
