"""Listings at magazine scale: cached counts that follow every change, and deep pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import views
from articles.models import Article, Person, Status
from holr.signals import content_changed
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


def page(client, url):
    client.get(url)  # the steady state: masthead and count cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    titles = [article.title for article in response.context["articles"]]
    return titles, len(queries), response.context["paginator"].count


@pytest.fixture
def two_a_page(monkeypatch):
    """Twenty a page makes deep pages expensive to build; two a page makes them cheap."""
    monkeypatch.setattr(views.ArticleListView, "paginate_by", 2)


def test_deep_tag_pages_cost_the_queries_of_the_first_and_hold_the_right_articles(client, two_a_page):
    """Page 15 of 15: the same 3 queries as page 1, and the oldest two articles, newest first."""
    image, section, author = make_image(), make_section(), make_author()
    for n in range(30):
        make_article(
            title=f"Story {n:02}",
            people=["Many"],
            lead_image=image,
            section=section,
            authors=[author, make_author()],
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
    first, first_queries, count = page(client, "/people/many/")
    deepest, deep_queries, _ = page(client, "/people/many/?page=15")
    # tag + page of articles + their authors; the count and "often with" are kept
    assert first_queries == deep_queries == 3
    assert count == 30
    assert first == ["Story 00", "Story 01"]
    assert deepest == ["Story 28", "Story 29"]


def test_deep_home_pages_cost_the_queries_of_the_first(client, two_a_page):
    for _ in range(30):
        make_article(authors=[make_author()], lead_image=make_image(width=320, height=180))
    assert page(client, "/")[1] == page(client, "/?page=15")[1] == 2


@pytest.mark.parametrize(
    "change, expected",
    [
        pytest.param(lambda tagged, other: make_article(people=["Many"]), 3, id="new article"),
        pytest.param(lambda tagged, other: tagged.delete(), 1, id="deleted article"),
        pytest.param(lambda tagged, other: other.people.add("Many"), 3, id="tag added"),
        pytest.param(
            lambda tagged, other: tagged.people.remove(Person.objects.get(name="Many")), 1, id="tag removed"
        ),
        pytest.param(lambda tagged, other: unpublish(tagged), 1, id="unpublished"),
        pytest.param(lambda tagged, other: bulk_unpublish(tagged), 1, id="bulk update with content_changed"),
    ],
)
def test_a_cached_count_follows_every_change(client, change, expected):
    """The count on a tag page is cached, and right on the next request after any change."""
    tagged = make_article(people=["Many"])
    make_article(people=["Many"])
    other = make_article()
    assert page(client, "/people/many/")[2] == 2
    change(tagged, other)
    assert client.get("/people/many/").context["paginator"].count == expected


def unpublish(article):
    article.status = Status.DRAFT
    article.save()


def bulk_unpublish(article):
    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    content_changed.send(sender=Article)


def test_keyset_pages_hold_exactly_what_offset_pages_would(client, two_a_page, monkeypatch):
    """Deep pages start from a cached boundary; page by page they match OFFSET, also after a change."""
    from articles import pagination

    monkeypatch.setattr(pagination, "KEYSET_DEPTH", 2)
    now = timezone.now()
    for n in range(9):
        # Two pairs share a publication time: the id breaks the tie, as in the ordering.
        make_article(title=f"Story {n}", people=["Many"], published_at=now - timedelta(hours=n // 2 * 2 + 1))
    make_article(title="Elsewhere")

    def pages():
        return [page(client, f"/people/many/?page={number}")[0] for number in range(1, 6)]

    def expected():
        titles = list(Article.objects.published().filter(people__name="Many").values_list("title", flat=True))
        return [titles[start : start + 2] for start in range(0, 10, 2)]

    assert pages() == expected()
    make_article(title="Newest", people=["Many"], published_at=now - timedelta(minutes=1))
    assert pages() == expected()
    with CaptureQueriesContext(connection) as queries:
        client.get("/people/many/?page=5")
    assert not any("OFFSET" in query["sql"] for query in queries.captured_queries)  # a keyset page
