"""Visibility, property-based: whatever mix of draft, review, scheduled and published
articles shares tags, authors and sections (and of published and unpublished pages), an
anonymous reader walking every public surface, the API included, finds only the published ones.

Checked on every surface (tests/surfaces.py: pages, indexes and their counts, feeds,
sitemaps, search, related stories and JSON-LD inside article pages, tag autocomplete):
no title, slug, dek or unique body word of a hidden article, and no name of a tag or
author that only hidden articles use.
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.models import Article, Author, Status
from articles.vocabularies import VOCABULARIES
from pages.models import Page
from tests.builders import make_article, make_author, make_page, make_section
from tests.surfaces import all_surfaces, walk

STATES = ["draft", "review", "scheduled", "published"]
TAG_POOL = {key: [f"{key[:3].title()}{n}zq" for n in range(4)] for key in VOCABULARIES}
AUTHOR_POOL = [f"Writer {n}wq" for n in range(3)]


@st.composite
def article_specs(draw):
    spec = {
        "state": draw(st.sampled_from(STATES)),
        "dated": draw(st.booleans()),  # a draft or review copy may carry a past publication time
        "section": draw(st.integers(0, 1)),
        "authors": draw(st.lists(st.integers(0, len(AUTHOR_POOL) - 1), unique=True, max_size=2)),
    }
    for key, names in TAG_POOL.items():
        spec[key] = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
    return spec


def build(specs, pages=()):
    now = timezone.now()
    for n, is_published in enumerate(pages):
        make_page(
            title=f"Leaflet {n:03d}lq",
            slug=f"leaflet-{n:03d}-lq",
            body=f"<p>Page marker pm{n:03d}xq.</p>",
            is_published=is_published,
        )
    sections = [make_section(name=f"Desk {n}", slug=f"desk-{n}") for n in range(2)]
    authors = [make_author(name=name, slug=f"writer-{n}") for n, name in enumerate(AUTHOR_POOL)]
    for n, spec in enumerate(specs):
        status, published_at = {
            "draft": (Status.DRAFT, now - timedelta(days=1) if spec["dated"] else None),
            "review": (Status.REVIEW, now - timedelta(days=1) if spec["dated"] else None),
            "scheduled": (Status.PUBLISHED, now + timedelta(days=1 + n)),
            "published": (Status.PUBLISHED, now - timedelta(hours=1 + n)),
        }[spec["state"]]
        make_article(
            title=f"Headline {n:03d}hq",
            slug=f"story-{n:03d}-sq",
            dek=f"Standfirst {n:03d}dq",
            body=f"<p>Reported with marker mk{n:03d}xq in the text.</p>",
            status=status,
            published_at=published_at,
            section=sections[spec["section"]],
            authors=[authors[i] for i in spec["authors"]],
            **{key: spec[key] for key in VOCABULARIES},
        )


def secrets():
    """Strings only hidden articles, and the tags and authors only they use, may show."""
    published = Article.objects.published()
    hidden = []
    for article in Article.objects.exclude(pk__in=published):
        n = article.slug.split("-")[1]
        hidden += [article.title, article.slug, article.dek, f"mk{n}xq"]
    for vocabulary in VOCABULARIES.values():
        hidden += vocabulary.model.objects.exclude(tagged_articles__content_object__in=published).values_list(
            "name", flat=True
        )
    hidden += Author.objects.exclude(articles__in=published).values_list("name", flat=True)
    for page in Page.objects.exclude(pk__in=Page.objects.published()):
        n = page.slug.split("-")[1]
        hidden += [page.title, page.slug, f"pm{n}xq"]
    return hidden


INDEX_ENTRY = re.compile(r'<a href="(?P<url>[^"]+)">(?P<name>[^<]+)</a> <span class="count">(?P<count>\d+)<')


class VisibilityTests(TestCase):
    @settings(
        max_examples=12,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(specs=st.lists(article_specs(), min_size=1, max_size=7), pages=st.lists(st.booleans(), max_size=3))
    def test_anonymous_reader_finds_only_published_articles_everywhere(self, specs, pages):
        cache.clear()  # each example is a fresh magazine; the database is rolled back, the cache is not
        build(specs, pages)
        hidden = secrets()
        published = list(Article.objects.published().with_tags())
        markers = [f"mk{n:03d}xq" for n in range(len(specs))]

        # Staff preview every article first, so a cache that kept a preview would show here.
        staff = get_user_model().objects.create_superuser("desk", "desk@example.com", "pw")
        self.client.force_login(staff)
        for article in Article.objects.all():
            self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)
        self.client.logout()

        for surface, response in walk(self.client, all_surfaces(search_terms=markers)):
            body = response.content.decode()
            if surface.echoes:
                body = body.replace(surface.echoes, "")
            leaked = [secret for secret in hidden if secret in body]
            self.assertEqual(leaked, [], f"{surface.url} shows unpublished work")

        api_pages = self.client.get("/api/v1/pages/?limit=100").json()["results"]
        expected_pages = [p.slug for p in Page.objects.published().order_by("slug")]
        self.assertEqual([p["slug"] for p in api_pages], expected_pages)

        home = self.client.get(reverse("articles:home")).content.decode()
        for article in published:
            self.assertIn(article.title, home)

        # Index counts are the number of published articles, and each tag page lists them all.
        for key in VOCABULARIES:
            index = self.client.get(reverse("articles:tag-index", args=[key])).content.decode()
            counts = {m["name"]: int(m["count"]) for m in INDEX_ENTRY.finditer(index)}
            expected = {}
            for article in published:
                for tag in getattr(article, key).all():
                    expected[tag.name] = expected.get(tag.name, 0) + 1
            self.assertEqual(counts, expected, key)
            for tag in {tag for article in published for tag in getattr(article, key).all()}:
                page = self.client.get(tag.get_absolute_url()).content.decode()
                titles = {a.title for a in published if tag in getattr(a, key).all()}
                self.assertEqual({t for t in titles if t in page}, titles, tag.get_absolute_url())
