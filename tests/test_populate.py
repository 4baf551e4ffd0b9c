"""`manage.py populate`: the benchmark's synthetic archive."""

import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import strip_tags
from django.utils.text import slugify

from articles.models import Article, Author, Event, Person, Place, Status
from demo.synthetic import Archive
from holr.signals import content_changed
from images.models import Image
from richtext.sanitizer import sanitize_html

pytestmark = pytest.mark.django_db

ARTICLES = 300
UNTIL = datetime(2026, 1, 1, tzinfo=UTC)


def populate(seed=7, articles=ARTICLES):
    call_command("populate", articles=articles, seed=seed, images=1, until=UNTIL, verbosity=0)


def snapshot():
    """Everything that says which archive this is, without database ids."""
    return [
        (
            article.slug,
            article.title,
            article.dek,
            article.body,
            article.status,
            article.published_at,
            article.section.slug,
            article.lead_image_id is not None,
            [author.slug for author in article.authors.order_by("article_links__position")],
            sorted(tag.name for tag in article.people.all()),
            sorted(tag.name for tag in article.places.all()),
            sorted(tag.name for tag in article.events.all()),
        )
        for article in Article.objects.select_related("section").order_by("id")
    ]


def empty_the_archive():
    Article.objects.all().delete()
    for model in (Author, Person, Place, Event, Image):
        model.objects.all().delete()


def test_same_seed_makes_the_same_archive_and_another_seed_another():
    populate(seed=7, articles=60)
    first = snapshot()
    empty_the_archive()
    populate(seed=7, articles=60)
    assert snapshot() == first
    empty_the_archive()
    populate(seed=8, articles=60)
    assert snapshot() != first


def test_articles_have_the_shape_the_issue_asks_for():
    """1–4 authors, a section, 2–8 people, 1–5 places, 0–3 events; ten years; ~800 words."""
    populate()
    articles = list(
        Article.objects.select_related("section").prefetch_related("authors", "people", "places", "events")
    )
    assert len(articles) == ARTICLES
    for article in articles:
        assert 1 <= len(article.authors.all()) <= 4
        assert article.section is not None
        assert 2 <= len(article.people.all()) <= 8
        assert 1 <= len(article.places.all()) <= 5
        assert 0 <= len(article.events.all()) <= 3
        assert 500 <= article.word_count <= 1200
    assert 600 <= statistics.mean(article.word_count for article in articles) <= 1000
    published = [article for article in articles if article.status == Status.PUBLISHED]
    assert len(published) > 0.9 * ARTICLES
    dates = [article.published_at for article in published]
    assert UNTIL - timedelta(days=3660) <= min(dates)
    assert max(dates) <= UNTIL + timedelta(days=7)  # a few scheduled ones
    assert max(dates) - min(dates) > timedelta(days=8 * 365)  # spread over the decade
    assert Image.objects.count() == 1


def test_there_are_n_over_five_tags_and_every_one_is_used():
    populate()
    assert Person.objects.count() + Place.objects.count() + Event.objects.count() == ARTICLES // 5
    for vocabulary in ("people", "places", "events"):
        through = getattr(Article, vocabulary).through
        model = through._meta.get_field("tag").remote_field.model
        assert set(through.objects.values_list("tag_id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )


def test_tag_popularity_is_zipf_distributed_at_scale():
    """At 20,000 articles: the top person is in over a third of them, most people in a handful."""
    archive = Archive(random.Random(3), 20_000)
    uses = Counter(rank for index in range(20_000) for rank in archive.tags_for(index)["people"])
    counts = sorted(uses.values(), reverse=True)
    assert len(counts) == 2_000  # N/5 tags, half of them people, every one used
    assert counts[0] > 0.35 * 20_000
    assert counts[0] > counts[9] > counts[99] > counts[999]
    assert statistics.median(counts) <= 5
    assert min(counts) == 1


def test_rows_keep_the_invariants_save_keeps():
    """Sanitized body, its word count, the slug save() would give, publication time for published work."""
    populate()
    slugs = set()
    for article in Article.objects.all():
        assert article.body == sanitize_html(article.body)
        assert article.word_count == len(strip_tags(article.body).split())
        base = slugify(article.title, allow_unicode=True)[:190]
        assert article.slug == base or article.slug.startswith(f"{base}-")
        slugs.add(article.slug)
        if article.status == Status.PUBLISHED:
            assert article.published_at is not None
            assert not article.is_updated  # written when published, as a real archive was
    assert len(slugs) == ARTICLES


def test_announces_the_bulk_change_with_content_changed():
    received = []

    def listener(sender, **kwargs):
        received.append(sender)

    content_changed.connect(listener)
    try:
        populate(articles=20)
    finally:
        content_changed.disconnect(listener)
    assert received == [Article]


def test_refuses_a_database_that_already_has_articles():
    populate(articles=20)
    with pytest.raises(CommandError, match="already has articles"):
        populate(articles=20)
    assert Article.objects.count() == 20


def test_pages_of_the_generated_archive_answer(client):
    populate(articles=60)
    article = Article.objects.published().first()
    person = article.people.first()
    assert client.get("/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(person.get_absolute_url()).status_code == 200
