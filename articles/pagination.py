"""Paginating article listings at magazine scale (issue 5).

Two costs grow with the archive. The count behind "33,000 articles" and "page 1 of
1,650" reads every index entry of the listing: at 100,000 articles that is most of a
tag page's time, on every request. And a deep page (`?page=1000`) makes the database
step over 20,000 rows to reach its 20.

So a listing's count is kept in the cache, under a generation that any change to
articles, bylines or tags replaces (receivers below, and `content_changed` for bulk
edits), with a short timeout as a backstop for scheduled articles coming due. And a
page is fetched as "the rows whose ids are this page's ids": the inner query that walks
past the skipped rows selects only ids, from indexes, and only the page's 20 rows are
read in full, joined and prefetched (from `page_rows`, which repeats none of the
listing's filters, so the database looks the 20 ids up instead of re-scanning). Pages
KEYSET_DEPTH rows deep or more go further: the (published_at, id) that ends each page is
found in one pass and cached like the count, and a deep page asks for "the next 20
after that", which costs what page 1 costs, however deep.
"""

import uuid

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.functional import cached_property

from .signals import content_changed

# Article.Meta.ordering: the order keyset pages rely on.
ARTICLE_ORDER = [F("published_at").desc(nulls_first=True), "-id"]

GENERATION_KEY = "holr:listing-counts-generation"
# A scheduled article becomes visible with no write to announce it: its listings'
# counts catch up within this many seconds.
COUNT_TIMEOUT = 60
# Pages that start this many rows in or deeper start from a cached boundary instead.
KEYSET_DEPTH = 1000


class ArticlePaginator(Paginator):
    """A Paginator with a cached count (given `count_key`) and id-first pages (given `page_rows`).

    `page_rows` is an unfiltered queryset of the same model with the joins and prefetches
    a page needs, e.g. `Article.objects.for_listing()`.
    """

    def __init__(self, *args, count_key=None, page_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.page_rows = page_rows

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        key = f"holr:listing-count:{listing_generation()}:{self.count_key}"
        count = cache.get(key)
        if count is None:
            count = Paginator.count.func(self)
            cache.set(key, count, COUNT_TIMEOUT)
        return count

    def page(self, number):
        if self.page_rows is None or self.object_list.query.distinct:
            # DISTINCT over ordered rows cannot be narrowed to a one-column id subquery.
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        listing = self.object_list.select_related(None).prefetch_related(None)
        boundary = self.boundary(listing, bottom) if bottom >= KEYSET_DEPTH else None
        if boundary is None:
            page_ids = listing.values("pk")[bottom:top]
        else:  # start right after the previous page's last row, not `bottom` rows in
            published_at, pk = boundary
            after = Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
            page_ids = listing.filter(after).values("pk")[: top - bottom]
        rows = self.page_rows.filter(pk__in=page_ids)
        if self.object_list.query.order_by:
            rows = rows.order_by(*self.object_list.query.order_by)
        return self._get_page(rows, number, self)


    def boundary(self, listing, bottom):
        """(published_at, pk) of the row before `bottom` in the articles' own order, or None.

        Only for a listing in that order (newest first, then by id), with a count key to
        cache under: the boundaries of every page are found in one pass over the listing's
        index entries, kept per generation like the count, and every deep page after that
        starts from its boundary (keyset pagination behind ?page=N URLs).
        """
        if self.count_key is None or listing.query.order_by or list(listing.model._meta.ordering) != ARTICLE_ORDER:
            return None
        key = f"holr:listing-boundaries:{listing_generation()}:{self.count_key}"
        boundaries = cache.get(key)
        if boundaries is None:
            boundaries = {}
            rows = listing.values_list("published_at", "pk").iterator(chunk_size=2000)
            for position, row in enumerate(rows, start=1):
                if position % self.per_page == 0:
                    boundaries[position] = row
            cache.set(key, boundaries, COUNT_TIMEOUT)
        boundary = boundaries.get(bottom)
        return boundary if boundary is not None and boundary[0] is not None else None


def listing_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def forget_listing_counts(**kwargs):
    """Every cached listing count is stale: a new generation leaves them behind."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def connect_receivers():
    """Listing counts are forgotten whenever what they count may have changed."""
    from .models import Article, ArticleAuthor
    from .vocabularies import VOCABULARIES

    through_models = set()
    for sender in (Article, ArticleAuthor):
        post_save.connect(forget_listing_counts, sender=sender, dispatch_uid=f"listing-counts-save-{sender.__name__}")
        post_delete.connect(forget_listing_counts, sender=sender, dispatch_uid=f"listing-counts-delete-{sender.__name__}")
    for vocabulary in VOCABULARIES.values():
        # A tag's deletion takes its through rows with it (fast, without their signals).
        post_delete.connect(forget_listing_counts, sender=vocabulary.model, dispatch_uid=f"listing-counts-{vocabulary}")
        through_models.add(Article._meta.get_field(vocabulary.key).remote_field.through)

    @receiver(m2m_changed, weak=False, dispatch_uid="listing-counts-tags")  # a closure: keep it alive
    def tags_changed(sender, action, **kwargs):
        if sender in through_models and action.startswith("post_"):
            forget_listing_counts()

    content_changed.connect(forget_listing_counts, dispatch_uid="listing-counts-content")
