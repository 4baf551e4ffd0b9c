"""The content API's pages resource and article corrections (issue 14, once pages and corrections landed)."""

from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from articles.models import ArticleNote, NoteKind
from tests.builders import make_article, make_image, make_page

pytestmark = pytest.mark.django_db

PAGES = "/api/v1/pages/"
JSON = "application/json; charset=utf-8"


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == JSON
    return response.json()


def as_json_time(moment):
    """A datetime as the API writes it (milliseconds, Z)."""
    return DjangoJSONEncoder().default(moment)


def slugs(data):
    return [item["slug"] for item in data["results"]]


def test_page_list_is_published_pages_by_slug(client):
    """Unpublished pages are never listed, and are a JSON 404 by slug."""
    make_page(slug="contact", title="Contact")
    make_page(slug="about", title="About")
    hidden = make_page(slug="masthead-draft", title="Masthead (draft)", is_published=False)
    data = get_json(client, PAGES)
    assert slugs(data) == ["about", "contact"]
    assert data["next"] is None and data["next_cursor"] is None
    assert get_json(client, f"{PAGES}{hidden.slug}/", status=404) == {
        "detail": "No published page with slug 'masthead-draft'."
    }
    get_json(client, f"{PAGES}nothing/", status=404)


def test_page_fields(client, settings):
    settings.SITE_URL = "https://mag.example"
    image = make_image(alt="Our newsroom", credit="HOLR")
    page = make_page(
        slug="about",
        title="About HOLR",
        body=f'<p>See <a href="/people/">people</a>.</p><figure data-image="{image.pk}"></figure>',
    )
    item = get_json(client, PAGES)["results"][0]
    assert item == {
        "id": page.pk,
        "title": "About HOLR",
        "slug": "about",
        "url": "https://mag.example/about/",
        "api_url": "https://mag.example/api/v1/pages/about/",
        "updated_at": as_json_time(page.updated_at),
    }
    detail = get_json(client, f"{PAGES}about/")
    body = detail.pop("body")
    assert detail == item
    assert body.startswith('<p>See <a href="https://mag.example/people/" rel="noopener">people</a>.</p>')
    assert 'alt="Our newsroom"' in body and "https://mag.example/media/renditions/" in body


def test_page_cursor_walks_every_page_once(client):
    for slug in ["e", "a", "d", "b", "c"]:
        make_page(slug=slug)
    first = get_json(client, f"{PAGES}?limit=2")
    assert slugs(first) == ["a", "b"]
    second = get_json(client, f"{PAGES}?limit=2&cursor={first['next_cursor']}")
    assert slugs(second) == ["c", "d"]
    third = get_json(client, f"{PAGES}?limit=2&cursor={second['next_cursor']}")
    assert slugs(third) == ["e"] and third["next"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=101", "limit: Input should be less than or equal to 100"),
        ("cursor=%FF%FE", "The cursor is not one this API gave out."),
        ("published=1", "Unknown parameter published; this endpoint takes limit, cursor."),
    ],
)
def test_bad_page_requests_get_a_json_message(client, query, message):
    assert get_json(client, f"{PAGES}?{query}", status=400) == {"detail": message}


@pytest.mark.parametrize("count", [2, 30])
def test_page_queries_are_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        make_page(slug=f"p{n:02d}")
    client.get(PAGES)  # the content version learns its schedule once per change
    with django_assert_num_queries(1):
        assert len(get_json(client, f"{PAGES}?limit=100")["results"]) == count
    with django_assert_num_queries(1):
        get_json(client, f"{PAGES}p00/")


def test_pages_have_validators_cors_and_are_in_the_schema(client):
    make_page(slug="about")
    response = client.get(f"{PAGES}about/", HTTP_ORIGIN="https://app.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"{PAGES}about/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(f"{PAGES}about/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/pages/", "/api/v1/pages/{slug}/"} <= set(paths)


def test_cached_pages_are_retired_when_a_page_changes(client, settings):
    settings.PAGE_CACHE = True
    page = make_page(slug="about", title="About")
    for url in (PAGES, f"{PAGES}about/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    page.title = "About us"
    page.save()
    assert get_json(client, f"{PAGES}about/")["title"] == "About us"
    page.is_published = False
    page.save()
    assert slugs(get_json(client, PAGES)) == []
    get_json(client, f"{PAGES}about/", status=404)


# Corrections and updates on articles


def test_an_article_carries_its_corrections_newest_first(client):
    article = make_article(slug="talks")
    now = timezone.now()
    correction = "Misstated the date."
    ArticleNote.objects.create(
        article=article, kind=NoteKind.CORRECTION, noted_at=now - timedelta(days=2), text=correction
    )
    ArticleNote.objects.create(
        article=article, kind=NoteKind.UPDATE, noted_at=now - timedelta(hours=1), text="Talks resumed."
    )
    detail = get_json(client, "/api/v1/articles/talks/")
    assert detail["corrections"] == [
        {"kind": "update", "time": as_json_time(now - timedelta(hours=1)), "text": "Talks resumed."},
        {"kind": "correction", "time": as_json_time(now - timedelta(days=2)), "text": "Misstated the date."},
    ]
    assert get_json(client, f"/api/v1/articles/id/{article.pk}/")["corrections"] == detail["corrections"]
    assert "corrections" not in get_json(client, "/api/v1/articles/")["results"][0]  # the detail's


def test_corrections_cost_one_query_however_many(client, django_assert_num_queries):
    article = make_article(slug="talks")
    for n in range(12):
        ArticleNote.objects.create(article=article, text=f"Note {n}.")
    client.get("/api/v1/articles/talks/")
    with django_assert_num_queries(6):  # article, bylines, three vocabularies, corrections
        assert len(get_json(client, "/api/v1/articles/talks/")["corrections"]) == 12
