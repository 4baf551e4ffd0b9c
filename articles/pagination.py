"""Paginating article listings at magazine scale (issue 5).

Two costs grow with the archive. The count behind "33,000 articles" and "page 1 of
1,650" reads every index entry of the listing: at 100,000 articles that is most of a
tag page's time, on every request. And a deep page (`?page=1000`) makes the database
step over 20,000 rows to reach its 20.

So a listing's count is kept in the cache under the site's content version
(pagecache/versions.py), which any change readers could see retires, a scheduled
article coming due included. And a
page is fetched as "the rows whose ids are this page's ids": the inner query that walks
past the skipped rows selects only ids, from indexes, and only the page's 20 rows are
read in full, joined and prefetched (from `page_rows`, which repeats none of the
listing's filters, so the database looks the 20 ids up instead of re-scanning). Pages
KEYSET_DEPTH rows deep or more go further: the (published_at, id) that ends each page is
found in one pass and kept like the count, and a deep page asks for "the next 20
after that", which costs what page 1 costs, however deep.
"""

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils.functional import cached_property

from pagecache.versions import remembered

# Article.Meta.ordering: the order keyset pages rely on.
ARTICLE_ORDER = [F("published_at").desc(nulls_first=True), "-id"]

# How long an unused count or set of boundaries stays in the cache.
COUNT_TIMEOUT = 3600
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
        return remembered(
            f"holr:listing-count:{self.count_key}", lambda: Paginator.count.func(self), COUNT_TIMEOUT
        )

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
        index entries, kept under the content version like the count, and every deep page after that
        starts from its boundary (keyset pagination behind ?page=N URLs).
        """
        if (
            self.count_key is None
            or listing.query.order_by
            or list(listing.model._meta.ordering) != ARTICLE_ORDER
        ):
            return None

        def every_pages_last_row():
            rows = listing.values_list("published_at", "pk").iterator(chunk_size=2000)
            return {
                position: row for position, row in enumerate(rows, start=1) if position % self.per_page == 0
            }

        boundaries = remembered(
            f"holr:listing-boundaries:{self.count_key}", every_pages_last_row, COUNT_TIMEOUT
        )
        boundary = boundaries.get(bottom)
        return boundary if boundary is not None and boundary[0] is not None else None


class UnevenPaginator(Paginator):
    """A Paginator whose pages start at given rows: an A–Z letter's pages are cut by size, not count.

    `starts` is the position of each page's first row (the first is 0); `count` is the
    number of rows, known beforehand, so there is no COUNT query.
    """

    def __init__(self, object_list, *, starts, count, **kwargs):
        super().__init__(object_list, max(1, count), **kwargs)
        self.starts = starts or [0]
        self.count = count  # count and num_pages are cached properties: these are their values
        self.num_pages = len(self.starts)

    def page(self, number):
        number = self.validate_number(number)
        bottom = self.starts[number - 1]
        top = self.starts[number] if number < self.num_pages else self.count
        return self._get_page(self.object_list[bottom:top], number, self)
