"""Never stale, property-based (issue 12): whatever editors do, in whatever order, a page
served through the page cache is the page a fresh render would give.

Random sequences of: create a draft, edit its title, dek or body, retag it, submit it for
review, publish it, schedule it and move the clock past the time, unpublish, delete. After
every step every URL of a crawled set (home, article pages, tag pages, the A–Z indexes,
feeds, sitemaps, search) is fetched through the cache and compared with a render that
bypasses it (no page cache, no remembered counts or masthead). Derandomized and small, so
the suite stays fast; runs on SQLite with local memory and on PostgreSQL with Redis.
"""

import re
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.models import Article, Status
from pagecache import versions
from tests.builders import make_article

SLOTS = 3
TAGS = ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
PLACES = ["Paris", "Lima"]
WORDS = ["saffron", "cobalt", "juniper"]

slot = st.integers(0, SLOTS - 1)
steps = st.one_of(
    st.tuples(st.just("create"), slot),
    st.tuples(st.just("edit"), slot, st.sampled_from(["title", "dek", "body"]), st.sampled_from(WORDS)),
    st.tuples(
        st.just("retag"),
        slot,
        st.lists(st.sampled_from(TAGS), unique=True, max_size=2),
        st.lists(st.sampled_from(PLACES), unique=True, max_size=1),
    ),
    st.tuples(st.just("submit"), slot),
    st.tuples(st.just("publish"), slot),
    st.tuples(st.just("schedule"), slot, st.integers(1, 90)),
    st.tuples(st.just("tick"), st.integers(1, 120)),
    st.tuples(st.just("unpublish"), slot),
    st.tuples(st.just("delete"), slot),
)

LOC = re.compile(r"<loc>https?://[^/]+(?P<path>/[^<]*)</loc>")
CRAWLED = [
    "/",
    "/?page=2",
    "/people/",
    "/people/a-z/a/",
    "/people/a-z/g/",
    "/places/",
    "/places/a-z/p/",
    "/events/",
    "/people/ada-lovelace/",
    "/people/grace-hopper/",
    "/people/alan-turing/",
    "/places/paris/",
    "/people/ada-lovelace/feed/",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/search/?q=saffron",
    "/search/?q=juniper",
] + [f"/articles/story-{n}/" for n in range(SLOTS)]


class Clock:
    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now


class NeverStale:
    store = "auto"  # each subclass sets its own: the same test body runs per store

    @settings(
        max_examples=4,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(sequence=st.lists(steps, min_size=3, max_size=8))
    def test_every_cached_page_equals_a_fresh_render_after_every_step(self, sequence):
        cache.clear()  # the database is rolled back between examples, the cache is not
        clock = Clock()
        with (
            override_settings(PAGE_CACHE=True, CONTENT_VERSION_STORE=self.store),
            mock.patch.object(timezone, "now", clock),
        ):
            make_article(
                title="The standing story",
                slug="standing",
                people=["Ada Lovelace"],
                published_at=clock.now - timedelta(days=1),
            )
            self.crawl([])
            for number, step in enumerate(sequence):
                self.apply(step, clock)
                self.crawl(sequence[: number + 1])

    def apply(self, step, clock):
        kind, *args = step
        if kind == "tick":
            clock.now += timedelta(minutes=args[0])
            return
        article = Article.objects.filter(slug=f"story-{args[0]}").first()
        if kind == "create":
            if article is None:
                make_article(
                    title=f"Story {args[0]}",
                    slug=f"story-{args[0]}",
                    status=Status.DRAFT,
                    published_at=None,
                    people=[TAGS[args[0]]],
                )
            return
        if article is None:
            return
        if kind == "edit":
            field, word = args[1], args[2]
            setattr(article, field, f"<p>Now with {word}.</p>" if field == "body" else f"{field} {word}")
            article.save()
        elif kind == "retag":
            article.people.set(args[1])
            article.places.set(args[2])
        elif kind == "submit":
            article.status = Status.REVIEW
            article.save()
        elif kind == "publish":
            article.status, article.published_at = Status.PUBLISHED, clock.now
            article.save()
        elif kind == "schedule":
            article.status, article.published_at = Status.PUBLISHED, clock.now + timedelta(minutes=args[1])
            article.save()
        elif kind == "unpublish":
            article.status = Status.DRAFT
            article.save()
        elif kind == "delete":
            article.delete()

    def crawl(self, done):
        queue, seen = list(CRAWLED), set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            served = self.client.get(url)
            expected = self.fresh(url)
            self.assertEqual(
                (served.status_code, served.content.decode()),
                (expected.status_code, expected.content.decode()),
                f"{url} ({served.get('X-Page-Cache')}) after {done}",
            )
            if url.endswith("sitemap.xml"):
                queue += [match["path"] for match in LOC.finditer(expected.content.decode())]

    def fresh(self, url):
        """The page rendered now, with no page cache and nothing remembered from before."""

        def never_current(*keys):
            return versions.ContentVersion(-1, timezone.now()), {}

        with override_settings(PAGE_CACHE=False), mock.patch.object(versions, "current", never_current):
            return self.client.get(url)


class NeverStaleTests(NeverStale, TestCase):
    """The content version where the cache puts it: the database on local memory, Redis on Redis."""


class NeverStaleWithTheVersionInTheCacheTests(NeverStale, TestCase):
    """The shared-cache code path (the version beside the pages), on whatever cache runs."""

    store = "cache"
