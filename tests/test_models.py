from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Person, Status
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_review_and_scheduled():
    """Only published articles whose time has come are visible to readers."""
    visible = make_article()
    make_article(status=Status.DRAFT)
    make_article(status=Status.REVIEW)
    make_article(published_at=timezone.now() + timedelta(minutes=5))

    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_goes_live_at_its_time_without_a_job():
    """Visibility is computed at query time, so no cron job publishes scheduled work."""
    later = timezone.now() + timedelta(hours=2)
    article = make_article(published_at=later)
    assert not article.is_published()
    assert article.is_scheduled

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    article.refresh_from_db()
    assert article.is_published()
    assert list(Article.objects.published()) == [article]


def test_is_published_agrees_with_the_queryset():
    """The per-object twin says exactly what published() says."""
    articles = [
        make_article(),
        make_article(status=Status.DRAFT),
        make_article(status=Status.REVIEW, published_at=timezone.now() - timedelta(days=1)),
        make_article(published_at=timezone.now() + timedelta(days=1)),
    ]
    published = set(Article.objects.published())
    for article in articles:
        assert article.is_published() is (article in published)


def test_publishing_without_a_time_publishes_now():
    """Saving as published with no publication time stamps the current time, to the second."""
    before = timezone.now().replace(microsecond=0)
    article = make_article(status=Status.PUBLISHED, published_at=None)
    assert before <= article.published_at <= timezone.now()
    assert article.published_at.microsecond == 0


def test_draft_keeps_an_empty_publication_time():
    article = make_article(status=Status.DRAFT, published_at=None)
    assert article.published_at is None
    assert article.state == "Draft"


def test_state_in_words():
    """The admin shows each article's state in words."""
    assert make_article(status=Status.REVIEW).state == "In review"
    assert make_article().state == "Published"
    scheduled = make_article(published_at=timezone.make_aware(timezone.datetime(2099, 3, 21, 9, 30)))
    assert scheduled.state == "Scheduled for 21 Mar 2099, 09:30"


def test_body_is_sanitized_on_every_save_path():
    """Even Article.objects.create() cannot store a script or an event handler."""
    article = make_article(
        body='<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>'
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert article.body.startswith("<p>Hi")


def test_word_count_and_reading_time_come_from_the_body():
    article = make_article(body="<p>" + "word " * 461 + "</p>")
    assert article.word_count == 461
    assert article.reading_minutes == 3  # 461 words at 230 a minute, rounded up


def test_short_article_reads_in_at_least_a_minute():
    assert make_article(body="").reading_minutes == 1


def test_updated_shows_only_after_a_real_later_edit():
    """An edit within minutes of publishing is not an update; a later one is."""
    article = make_article(published_at=timezone.now())
    assert not article.is_updated
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() + timedelta(hours=3))
    article.refresh_from_db()
    assert article.is_updated


def test_slug_is_made_from_the_title_when_missing_and_kept_unique():
    first = make_article(title="Putin meets Xi", slug="")
    second = make_article(title="Putin meets Xi", slug="")
    assert first.slug == "putin-meets-xi"
    assert second.slug == "putin-meets-xi-2"


def test_unicode_title_gives_a_unicode_slug():
    assert make_article(title="习近平 in Moscow", slug="").slug == "习近平-in-moscow"


def test_full_names_stay_one_tag_and_match_case_insensitively():
    """ "Vladimir Putin" is one person, and "vladimir putin" is the same person."""
    first = make_article(people=["Vladimir Putin"])
    second = make_article()
    second.people.add("vladimir putin")
    assert Person.objects.count() == 1
    assert set(Article.objects.filter(people__name="Vladimir Putin")) == {first, second}


def test_unicode_tag_gets_a_unicode_slug():
    article = make_article(people=["习近平"], places=["Zürich"])
    assert article.people.get().slug == "习近平"
    assert article.places.get().slug == "zürich"
    assert article.people.get().get_absolute_url() == "/people/%E4%B9%A0%E8%BF%91%E5%B9%B3/"


def test_tag_of_only_punctuation_still_gets_a_slug():
    """A name that slugifies to nothing gets a usable slug instead of an empty one."""
    article = make_article(events=["!!!", "???"])
    slugs = sorted(article.events.values_list("slug", flat=True))
    assert all(slugs)
    assert len(set(slugs)) == 2
