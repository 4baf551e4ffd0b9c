"""Never stale, property-based (issue 12): whatever editors do, in whatever order, a page
served through the page cache is the page a fresh render would give.

Random sequences of what editors do:

- articles: create (as a draft or published), edit the title, dek or body (a body may
  show a library image in a figure), retag, submit for review, publish, schedule and move
  the clock past the time, unpublish, delete, move to another section, change the byline,
  set or clear the lead image; edits land on published articles as often as on drafts;
- tags: merge two (editorial.tag_merging, as the admin's action) and rename one (name and
  slug through the admin's form, which leaves the old address redirecting);
- a section renamed (name, and sometimes slug), an author's name or bio, an image's credit
  or alt text, one of the magazine's own pages (title, body, published or not).

After every step every URL of a crawled set (home, articles, tag, section and author
pages, the A–Z indexes, the About page, feeds, sitemaps and the URLs they list, search,
the API's lists and details) is fetched through the cache and compared with a render
that bypasses it (no page cache, no remembered counts or masthead): the same status,
Content-Type, Location and body. Derandomized and small, so the suite stays fast; runs on
SQLite with local memory and on PostgreSQL with Redis.
"""

import re
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.forms import ModelForm, model_to_dict, modelform_factory
from django.test import override_settings
from django.utils import timezone
from django.utils.text import slugify
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.models import Article, ArticleAuthor, Author, Person, Section, Status
from articles.vocabularies import VOCABULARIES
from editorial.admin.tag_editing import TagRenameForm
from editorial.tag_merging import merge_tags
from images.models import Image
from pagecache import versions
from pages.models import Page
from tests.builders import make_article, make_author, make_image, make_page, make_section

SLOTS = 3
STANDING = "standing"
TARGETS = [STANDING] + [f"story-{n}" for n in range(SLOTS)]
TAGS = ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
# What a tag may be renamed to: new names, and names (and so slugs) of the other tags,
# which the rename form refuses, or which a merge or an earlier rename has freed.
TAG_NAMES = [*TAGS, "Ada King"]
PLACES = ["Paris", "Lima"]
SECTIONS = ["News", "Culture"]
SECTION_NAMES = SECTIONS + ["World", "Arts and Letters"]
AUTHORS = [("Ann Writer", "ann"), ("Ben Writer", "ben")]
WORDS = ["saffron", "cobalt", "juniper"]

target = st.sampled_from(TARGETS)
steps = st.one_of(
    st.tuples(st.just("create"), st.integers(0, SLOTS - 1), st.booleans()),
    st.tuples(
        st.just("edit"), target, st.sampled_from(["title", "dek", "body", "figure"]), st.sampled_from(WORDS)
    ),
    st.tuples(
        st.just("retag"),
        target,
        st.lists(st.sampled_from(TAGS), unique=True, max_size=2),
        st.lists(st.sampled_from(PLACES), unique=True, max_size=1),
    ),
    st.tuples(st.just("submit"), target),
    st.tuples(st.just("publish"), target),
    st.tuples(st.just("schedule"), target, st.integers(1, 90)),
    st.tuples(st.just("tick"), st.integers(1, 120)),
    st.tuples(st.just("unpublish"), target),
    st.tuples(st.just("delete"), target),
    st.tuples(st.just("merge-tags"), st.integers(0, len(TAGS) - 1), st.integers(0, len(TAGS) - 1)),
    st.tuples(st.just("rename-tag"), st.integers(0, len(TAGS) - 1), st.sampled_from(TAG_NAMES)),
    st.tuples(st.just("rename-section"), st.integers(0, 1), st.sampled_from(SECTION_NAMES), st.booleans()),
    st.tuples(st.just("move"), target, st.sampled_from([None, 0, 1])),
    st.tuples(st.just("image"), st.sampled_from(["credit", "alt"]), st.sampled_from(WORDS)),
    st.tuples(st.just("lead-image"), target, st.booleans()),
    st.tuples(st.just("author"), st.integers(0, 1), st.sampled_from(["name", "bio"]), st.sampled_from(WORDS)),
    st.tuples(st.just("byline"), target, st.lists(st.integers(0, 1), unique=True, max_size=2)),
    st.tuples(st.just("page"), st.sampled_from(["title", "body", "is_published"]), st.sampled_from(WORDS)),
)

# One sequence that takes every kind of step at least once, published articles included,
# whatever the random examples happen to draw.
EVERY_KIND = [
    ("edit", "story-0", "title", "saffron"),
    ("edit", STANDING, "figure", "cobalt"),
    ("image", "credit", "juniper"),
    ("image", "alt", "saffron"),
    ("lead-image", "story-0", True),
    ("retag", "story-0", ["Grace Hopper", "Alan Turing"], ["Lima"]),
    ("merge-tags", 0, 1),
    ("rename-tag", 1, "Grace Hopper"),  # Alan Turing takes the merged tag's old address
    ("rename-section", 0, "World", True),
    ("move", "story-0", 1),
    ("author", 0, "name", "cobalt"),
    ("byline", "story-0", [1, 0]),
    ("author", 1, "bio", "juniper"),
    ("page", "title", "saffron"),
    ("page", "is_published", "cobalt"),
    ("submit", "story-1"),
    ("publish", "story-1"),
    ("create", 2, False),
    ("schedule", "story-2", 30),
    ("schedule", "story-2", 90),  # later: retires nothing, and must still go live then
    ("tick", 45),
    ("tick", 60),
    ("unpublish", "story-0"),
    ("delete", STANDING),
]

LOC = re.compile(r"<loc>https?://[^/]+(?P<path>/[^<]*)</loc>")
CRAWLED = [
    "/",
    "/people/",
    "/people/a-z/a/",
    "/people/a-z/g/",
    "/places/",
    "/places/a-z/p/",
    "/events/",
    *(f"/people/{slugify(name)}/" for name in TAG_NAMES),
    "/places/paris/",
    "/people/ada-lovelace/feed/",
    "/people/grace-hopper/feed/atom/",
    *(f"/sections/{slugify(name)}/" for name in SECTION_NAMES),
    "/sections/news/feed/",
    "/sections/culture/feed/atom/",
    *(f"/authors/{slug}/" for _, slug in AUTHORS),
    "/authors/ann/feed/",
    "/about/",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/search/?q=saffron",
    *(f"/articles/{slug}/" for slug in TARGETS),
    "/api/v1/articles/",
    *(f"/api/v1/articles/{slug}/" for slug in TARGETS[:2]),
    "/api/v1/people/",
    "/api/v1/people/ada-lovelace/",
    "/api/v1/people/alan-turing/",
    "/api/v1/sections/",
    "/api/v1/sections/news/",
    "/api/v1/authors/",
    "/api/v1/authors/ann/",
    "/api/v1/pages/",
    "/api/v1/pages/about/",
    "/api/v1/search/?q=saffron",
]
# What a reader's software acts on besides the body.
COMPARED_HEADERS = ("Content-Type", "Location")


class Clock:
    def __init__(self):
        self.now = timezone.now().replace(microsecond=0)

    def __call__(self):
        return self.now


def admin_save(instance, fields, form=None, **changes):
    """Save `changes` through a model form, as the admin does; False when the form refuses them
    (a name or slug another row has)."""
    form_class = modelform_factory(type(instance), form=form or ModelForm, fields=fields)
    bound = form_class(data={**model_to_dict(instance, fields), **changes}, instance=instance)
    if not bound.is_valid():
        return False
    bound.save()
    return True


def figure(image, word):
    return (
        f"<p>Now with {word}.</p>"
        f'<figure data-image="{image.pk}" data-size="wide"><figcaption>The {word} desk.</figcaption></figure>'
    )


class NeverStale:
    maxDiff = None

    store = "auto"  # each subclass sets its own: the same test body runs per store

    @settings(
        max_examples=4,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(sequence=st.lists(steps, min_size=3, max_size=6))
    @example(sequence=EVERY_KIND)
    def test_every_cached_page_equals_a_fresh_render_after_every_step(self, sequence):
        cache.clear()  # the database is rolled back between examples, the cache is not
        clock = Clock()
        with (
            override_settings(PAGE_CACHE=True, CONTENT_VERSION_STORE=self.store),
            mock.patch.object(timezone, "now", clock),
        ):
            self.setup_magazine(clock)
            self.crawl([])
            for number, step in enumerate(sequence):
                # A step with nothing to act on (a story not created yet) changes nothing.
                if self.apply(step, clock):
                    self.crawl(sequence[: number + 1])

    def setup_magazine(self, clock):
        """Two sections, two authors, an image, the About page, a published story that shows
        them all, another published story and a draft; story-2 is for "create"."""
        sections = [make_section(name=name, slug=slugify(name)) for name in SECTIONS]
        authors = [make_author(name=name, slug=slug, bio=f"{name} writes.") for name, slug in AUTHORS]
        image = make_image(width=320, height=180, alt="A lighthouse at dusk", credit="HOLR Photo Desk")
        make_page(title="About", slug="about", body="<p>Who we are.</p>")
        make_article(
            title="The standing story",
            slug=STANDING,
            body=figure(image, "standing"),
            section=sections[0],
            lead_image=image,
            authors=authors[:1],
            people=["Ada Lovelace"],
            published_at=clock.now - timedelta(days=1),
        )
        self.create(0, True, clock, published_at=clock.now - timedelta(hours=2))
        self.create(1, False, clock)

    @staticmethod
    def create(number, published, clock, **fields):
        if Article.objects.filter(slug=f"story-{number}").exists():
            return False
        fields.setdefault("published_at", clock.now if published else None)
        make_article(
            title=f"Story {number}",
            slug=f"story-{number}",
            status=Status.PUBLISHED if published else Status.DRAFT,
            people=[TAGS[number]],
            **fields,
        )
        return True

    def apply(self, step, clock):
        """Take one step; False when there was nothing to take it on."""
        kind, *args = step
        if kind == "tick":
            clock.now += timedelta(minutes=args[0])
            return True
        if kind == "create":
            return self.create(*args, clock)
        if kind in ("merge-tags", "rename-tag"):
            return self.apply_to_tags(kind, *args)
        if kind in ("rename-section", "image", "author", "page"):
            return self.apply_to_others(kind, *args)
        article = Article.objects.filter(slug=args[0]).first()
        if article is None:
            return False
        self.apply_to_article(article, kind, *args[1:], clock=clock)
        return True

    def apply_to_article(self, article, kind, *args, clock):
        if kind == "edit":
            field, word = args
            if field == "figure":
                article.body = figure(Image.objects.get(), word)
            elif field == "body":
                article.body = f"<p>Now with {word}.</p>"
            else:
                setattr(article, field, f"{field} {word}")
            article.save()
        elif kind == "retag":
            article.people.set(args[0])
            article.places.set(args[1])
        elif kind == "submit":
            article.status = Status.REVIEW
            article.save()
        elif kind == "publish":
            article.status, article.published_at = Status.PUBLISHED, clock.now
            article.save()
        elif kind == "schedule":
            article.status, article.published_at = Status.PUBLISHED, clock.now + timedelta(minutes=args[0])
            article.save()
        elif kind == "unpublish":
            article.status = Status.DRAFT
            article.save()
        elif kind == "delete":
            article.delete()
        elif kind == "move":
            sections = list(Section.objects.order_by("pk"))
            article.section = None if args[0] is None else sections[args[0]]
            article.save()
        elif kind == "lead-image":
            article.lead_image = Image.objects.get() if args[0] else None
            article.save()
        elif kind == "byline":
            # As the admin's author inline: rows removed, rows added or moved.
            authors = list(Author.objects.order_by("pk"))
            chosen = [authors[index] for index in args[0]]
            article.author_links.exclude(author__in=chosen).delete()
            for position, author in enumerate(chosen):
                ArticleAuthor.objects.update_or_create(
                    article=article, author=author, defaults={"position": position}
                )

    def apply_to_tags(self, kind, first, second):
        tags = list(Person.objects.order_by("pk"))
        if kind == "merge-tags":
            if max(first, second) >= len(tags) or first == second:
                return False
            merge_tags(VOCABULARIES["people"], tags[first], [tags[second]])
            return True
        if first >= len(tags):
            return False
        tag = tags[first]
        return admin_save(
            tag, ["name", "slug", "description"], form=TagRenameForm, name=second, slug=slugify(second)
        )

    def apply_to_others(self, kind, *args):
        if kind == "rename-section":
            index, name, with_slug = args
            section = Section.objects.order_by("pk")[index]
            changes = {"name": name, "slug": slugify(name)} if with_slug else {"name": name}
            return admin_save(section, ["name", "slug", "description", "position"], **changes)
        if kind == "image":
            field, word = args
            image = Image.objects.get()
            setattr(image, field, f"{field} {word}")
            image.save()
        if kind == "author":
            index, field, word = args
            author = Author.objects.order_by("pk")[index]
            setattr(author, field, f"{author.name.split()[0]} {word}" if field == "name" else f"Bio {word}.")
            author.save()
        if kind == "page":
            field, word = args
            page = Page.objects.get(slug="about")
            if field == "is_published":
                page.is_published = not page.is_published
            else:
                setattr(page, field, f"About {word}" if field == "title" else f"<p>We like {word}.</p>")
            page.save()
        return True

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
                self.seen_by_readers(served),
                self.seen_by_readers(expected),
                f"{url} ({served.get('X-Page-Cache')}) after {done}",
            )
            if "sitemap" in url:  # the index, and each sitemap it lists
                queue += [match["path"] for match in LOC.finditer(expected.content.decode())]

    @staticmethod
    def seen_by_readers(response):
        headers = {name: response.get(name) for name in COMPARED_HEADERS}
        return response.status_code, headers, response.content.decode()

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

    def setUp(self):
        super().setUp()
        with override_settings(CONTENT_VERSION_STORE="auto"):
            if versions.store() == "cache":
                self.skipTest("the cache is shared (Redis): NeverStaleTests already runs this store")
