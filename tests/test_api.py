"""The read-only content API (issue 14): articles, lists, filters, errors, HTTP validators, CORS."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from articles.models import Article, Status
from search import backends
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"
JSON = "application/json; charset=utf-8"


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == JSON
    return response.json()


def titles(data):
    return [item["title"] for item in data["results"]]


def hidden_articles():
    now = timezone.now()
    make_article(title="A draft", status=Status.DRAFT, published_at=None)
    make_article(title="Dated draft", status=Status.DRAFT, published_at=now - timedelta(days=1))
    make_article(title="In review", status=Status.REVIEW, published_at=now - timedelta(days=1))
    return make_article(title="Embargoed", published_at=now + timedelta(hours=2))


def test_article_list_is_published_articles_newest_first(client):
    """Drafts, review copies and scheduled articles are never in the list."""
    now = timezone.now()
    make_article(title="Older", published_at=now - timedelta(days=2))
    make_article(title="Newer", published_at=now - timedelta(hours=1))
    hidden_articles()
    data = get_json(client, ARTICLES)
    assert titles(data) == ["Newer", "Older"]
    assert data["next"] is None and data["next_cursor"] is None


def test_article_fields(client, settings):
    settings.SITE_URL = "https://mag.example"
    section = make_section(name="World", slug="world")
    authors = [make_author(name="Zoe Second", slug="zoe"), make_author(name="Adam First", slug="adam")]
    image = make_image(alt="Leaders in Moscow", credit="Reuters", width=1400, height=700)
    article = make_article(
        title="Xi visits Moscow",
        slug="xi-visits",
        dek="A state visit.",
        section=section,
        authors=authors,
        people=["Xi Jinping", "Vladimir Putin"],
        places=["Moscow"],
        events=["Xi's 2023 state visit to Moscow"],
        lead_image=image,
        caption="At the Kremlin",
        body='<p>See <a href="/people/xi-jinping/">Xi</a>.</p>',
    )
    item = get_json(client, ARTICLES)["results"][0]
    assert item["id"] == article.pk
    assert item["url"] == "https://mag.example/articles/xi-visits/"
    assert item["api_url"] == "https://mag.example/api/v1/articles/xi-visits/"
    assert item["dek"] == "A state visit."
    assert "body" not in item  # lists stay light; the detail has the body
    assert item["section"] == {
        "name": "World",
        "slug": "world",
        "url": "https://mag.example/sections/world/",
        "api_url": "https://mag.example/api/v1/sections/world/",
    }
    assert [a["name"] for a in item["authors"]] == ["Zoe Second", "Adam First"]  # byline order
    assert [p["name"] for p in item["people"]] == ["Vladimir Putin", "Xi Jinping"]
    assert item["places"][0]["url"] == "https://mag.example/places/moscow/"
    assert item["events"][0]["api_url"] == "https://mag.example/api/v1/events/xis-2023-state-visit-to-moscow/"
    lead = item["lead_image"]
    assert (lead["alt"], lead["caption"], lead["credit"]) == (
        "Leaders in Moscow",
        "At the Kremlin",
        "Reuters",
    )
    assert (lead["width"], lead["height"]) == (1400, 700)
    assert {(r["format"], r["width"]) for r in lead["renditions"]} == {
        (f, w) for f in ("image/avif", "image/webp", "image/jpeg") for w in (320, 640, 960, 1280, 1400)
    }
    assert all(r["url"].startswith("https://mag.example/media/renditions/") for r in lead["renditions"])
    detail = get_json(client, "/api/v1/articles/xi-visits/")
    assert detail == {
        **item,
        "body": '<p>See <a href="https://mag.example/people/xi-jinping/" rel="noopener">Xi</a>.</p>',
        "corrections": [],
    }
    assert get_json(client, f"/api/v1/articles/id/{article.pk}/") == detail


def test_unpublished_articles_are_404_by_slug_and_by_id(client):
    embargoed = hidden_articles()
    for article in Article.objects.all():
        assert get_json(client, f"/api/v1/articles/{article.slug}/", status=404)["detail"] == (
            f"No published article with slug {article.slug!r}."
        )
        get_json(client, f"/api/v1/articles/id/{article.pk}/", status=404)
    assert not embargoed.is_published()


def test_cursor_pages_walk_every_article_once_even_when_one_is_published_meanwhile(client):
    now = timezone.now()
    same_time = now - timedelta(hours=3)
    for n in range(7):  # three share a publication time: the id breaks the tie
        make_article(title=f"Story {n}", published_at=same_time if n < 3 else now - timedelta(hours=4 + n))
    seen, url = [], f"{ARTICLES}?limit=3"
    first = get_json(client, url)
    make_article(title="Breaking", published_at=now - timedelta(minutes=1))
    data = first
    while True:
        seen += titles(data)
        if data["next"] is None:
            break
        assert parse_qs(urlsplit(data["next"]).query)["cursor"] == [data["next_cursor"]]
        assert parse_qs(urlsplit(data["next"]).query)["limit"] == ["3"]
        data = get_json(client, f"{ARTICLES}?limit=3&cursor={data['next_cursor']}")
    assert seen == ["Story 2", "Story 1", "Story 0", "Story 3", "Story 4", "Story 5", "Story 6"]


def test_filters(client):
    world, culture = make_section(slug="world"), make_section(slug="culture")
    anna = make_author(slug="anna")
    make_article(
        title="Kremlin talks",
        section=world,
        authors=[anna],
        people=["Vladimir Putin"],
        places=["Moscow"],
        events=["ICC arrest warrant for Putin"],
    )
    make_article(
        title="Opera", section=culture, places=["Moscow"], published_at=timezone.now() - timedelta(days=3)
    )
    make_article(title="Draft about Putin", status=Status.DRAFT, section=world, people=["Vladimir Putin"])
    old = make_article(title="Old news", section=world, published_at=timezone.now() - timedelta(days=40))
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))
    assert titles(get_json(client, f"{ARTICLES}?section=world")) == ["Kremlin talks", "Old news"]
    assert titles(get_json(client, f"{ARTICLES}?author=anna")) == ["Kremlin talks"]
    assert titles(get_json(client, f"{ARTICLES}?person=vladimir-putin")) == ["Kremlin talks"]
    assert titles(get_json(client, f"{ARTICLES}?place=moscow")) == ["Kremlin talks", "Opera"]
    assert titles(get_json(client, f"{ARTICLES}?event=icc-arrest-warrant-for-putin")) == ["Kremlin talks"]
    assert titles(get_json(client, f"{ARTICLES}?place=moscow&section=culture")) == ["Opera"]
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert titles(get_json(client, f"{ARTICLES}?section=world&updated_since={since}")) == ["Kremlin talks"]
    assert titles(get_json(client, f"{ARTICLES}?section=nowhere")) == []


@pytest.mark.parametrize("page_size", [3, 40])
def test_article_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, page_size):
    """One for articles (section and lead image joined), one for bylines, one per vocabulary."""
    section, image = make_section(), make_image()
    for n in range(40):
        make_article(
            section=section,
            lead_image=image,
            authors=[make_author()],
            people=[f"P{n}"],
            places=["Moscow"],
            events=[f"E{n % 3}"],
        )
    client.get(ARTICLES)  # the content version learns its schedule once per change
    newest = Article.objects.first()
    with django_assert_num_queries(5):
        assert (
            len(get_json(client, f"{ARTICLES}?limit={page_size}&section={section.slug}")["results"])
            == page_size
        )
    with django_assert_num_queries(6):  # the list's five, and the article's corrections
        get_json(client, f"/api/v1/articles/id/{newest.pk}/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=101", "limit: Input should be less than or equal to 100"),
        ("limit=0", "limit: Input should be greater than or equal to 1"),
        ("limit=ten", "limit: Input should be a valid integer, unable to parse string as an integer"),
        ("cursor=bm90IGEgY3Vyc29y", "The cursor is not one this API gave out."),
        ("cursor=%FF%FE", "The cursor is not one this API gave out."),
        (
            "sectoin=world",
            "Unknown parameter sectoin; this endpoint takes limit, cursor, updated_since, section, "
            "author, person, place, event.",
        ),
        (
            "updated_since=yesterday",
            "updated_since: give a date and time with a time zone, e.g. 2026-05-01T09:00:00Z.",
        ),
        (
            "updated_since=2026-05-01",
            "updated_since: give a date and time with a time zone, e.g. 2026-05-01T09:00:00Z.",
        ),
        (
            "updated_since=2026-05-01T09:00:00",
            "updated_since: give a date and time with a time zone, e.g. 2026-05-01T09:00:00Z.",
        ),
    ],
)
def test_bad_requests_get_a_json_message(client, query, message):
    assert get_json(client, f"{ARTICLES}?{query}", status=400) == {"detail": message}


def test_unknown_addresses_and_methods_get_json(client):
    assert get_json(client, "/api/v1/nothing-here/", status=404) == {
        "detail": "No such address in the API; see /api/v1/docs/."
    }
    assert get_json(client, "/api/v2/articles/", status=404)["detail"].startswith("No such address")
    assert get_json(client, "/api/v1/articles/id/abc/", status=400) == {
        "detail": "article_id: Input should be a valid integer, unable to parse string as an integer"
    }
    response = client.post(ARTICLES)
    assert (response.status_code, response["Content-Type"]) == (405, JSON)
    assert response.json() == {"detail": "The API is read-only: use GET."}
    redirect = client.get("/api/v1/articles?limit=2")
    assert (redirect.status_code, redirect["Location"]) == (301, "/api/v1/articles/?limit=2")


def test_validators_and_304(client):
    make_article(title="First")
    response = client.get(ARTICLES)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    not_modified = client.get(ARTICLES, HTTP_IF_NONE_MATCH=etag)
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert client.get(ARTICLES, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    make_article(title="Second")
    changed = client.get(ARTICLES, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert titles(changed.json()) == ["Second", "First"]
    assert "ETag" in client.get("/api/v1/articles/missing/") and "Last-Modified" in client.get(
        "/api/v1/nope/"
    )


def test_head_is_answered_like_get(client):
    make_article()
    get, head = client.get(ARTICLES), client.head(ARTICLES)
    assert (head.status_code, head.content, head["ETag"]) == (200, b"", get["ETag"])


def test_cors_is_open_for_get(client):
    make_article()
    assert client.get(ARTICLES, HTTP_ORIGIN="https://app.example")["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        ARTICLES,
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert preflight["Access-Control-Allow-Headers"] == "If-None-Match, If-Modified-Since"
    assert (
        client.get("/articles/x/").get("Access-Control-Allow-Origin") is None
    )  # the site itself is not CORS-open


# People, places, events, sections, authors, search


def test_tags_list_only_published_use_with_counts(client):
    make_article(people=["Vladimir Putin", "Xi Jinping"])
    make_article(people=["Vladimir Putin"])
    make_article(status=Status.DRAFT, people=["Vladimir Putin", "Secret Source"])
    make_article(published_at=timezone.now() + timedelta(days=1), people=["Future Minister"])
    data = get_json(client, "/api/v1/people/")
    assert [(t["name"], t["article_count"]) for t in data["results"]] == [
        ("Vladimir Putin", 2),
        ("Xi Jinping", 1),
    ]
    assert (
        data["results"][0]["articles_url"] == "http://127.0.0.1:8000/api/v1/articles/?person=vladimir-putin"
    )
    assert get_json(client, "/api/v1/people/xi-jinping/")["article_count"] == 1
    get_json(client, "/api/v1/people/secret-source/", status=404)
    get_json(client, "/api/v1/people/future-minister/", status=404)
    first = get_json(client, "/api/v1/people/?limit=1")
    assert titles_of(first) == ["Vladimir Putin"]
    assert titles_of(get_json(client, f"/api/v1/people/?limit=1&cursor={first['next_cursor']}")) == [
        "Xi Jinping"
    ]


def titles_of(data):
    return [item["name"] for item in data["results"]]


def test_places_and_events_have_the_same_endpoints(client):
    make_article(places=["Zürich"], events=["Summit"])
    assert titles_of(get_json(client, "/api/v1/places/")) == ["Zürich"]
    assert get_json(client, "/api/v1/places/zürich/")["url"] == "http://127.0.0.1:8000/places/z%C3%BCrich/"
    assert get_json(client, "/api/v1/events/summit/")["article_count"] == 1


def test_sections_and_authors(client):
    news, empty = (
        make_section(name="News", slug="news", position=1),
        make_section(name="Arts", slug="arts", position=2),
    )
    anna, ghost = (
        make_author(name="Anna", slug="anna", bio="Moscow correspondent."),
        make_author(name="Ghost"),
    )
    make_article(section=news, authors=[anna])
    make_article(section=news, status=Status.REVIEW, authors=[ghost])
    assert [(s["slug"], s["article_count"]) for s in get_json(client, "/api/v1/sections/")] == [
        ("news", 1),
        ("arts", 0),
    ]
    assert get_json(client, "/api/v1/sections/arts/")["articles_url"].endswith(
        "/api/v1/articles/?section=arts"
    )
    authors = get_json(client, "/api/v1/authors/")["results"]
    assert [(a["name"], a["bio"], a["article_count"]) for a in authors] == [
        ("Anna", "Moscow correspondent.", 1)
    ]
    get_json(client, f"/api/v1/authors/{ghost.slug}/", status=404)
    assert empty.pk


def test_search_finds_only_published_articles(client):
    make_article(title="Kremlin budget", body="<p>The budget of the Kremlin grows.</p>")
    make_article(title="Kremlin secret", status=Status.DRAFT, body="<p>The Kremlin plans.</p>")
    data = get_json(client, "/api/v1/search/?q=kremlin")
    assert titles(data) == ["Kremlin budget"]
    assert "Kremlin" in data["results"][0]["snippet"]
    assert get_json(client, "/api/v1/search/?q=%20%22") == {"results": [], "next": None, "next_cursor": None}
    assert get_json(client, "/api/v1/search/", status=400)["detail"].startswith("q: Field required")


def test_search_pages_end_after_the_newest_matches_it_ranks(client, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    now = timezone.now()
    for n in range(5):
        make_article(title=f"Kremlin {n}", published_at=now - timedelta(hours=n))
    first = get_json(client, "/api/v1/search/?q=kremlin&limit=2")
    assert titles(first) == ["Kremlin 0", "Kremlin 1"]
    second = get_json(client, first["next"])
    assert titles(second) == ["Kremlin 2"]
    assert second["next"] is None


def test_schema_and_docs_page(client):
    response = client.get("/api/v1/openapi.json")
    schema = response.json()
    assert response["Content-Type"] == "application/json"
    assert schema["openapi"] == "3.1.0"
    assert {
        "/api/v1/articles/",
        "/api/v1/articles/{slug}/",
        "/api/v1/articles/id/{article_id}/",
        "/api/v1/people/",
        "/api/v1/search/",
    } <= set(schema["paths"])
    docs = client.get("/api/v1/docs/").content.decode()
    assert '<script src="/static/api/swagger-ui/swagger-ui-bundle.js">' in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


# The page cache keeps API responses under the same never-stale rule as pages


@pytest.fixture(params=["cache", "database"])
def page_cache(request, settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = request.param


def cached(client, url):
    client.get(url)
    response = client.get(url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_cached_responses_are_retired_by_any_change(client, page_cache):
    article = make_article(title="First", people=["Xi Jinping"])
    etag = cached(client, ARTICLES)["ETag"]
    assert client.get(ARTICLES, HTTP_IF_NONE_MATCH=etag).status_code == 304  # answered by the cache
    cached(client, "/api/v1/people/xi-jinping/")
    make_article(title="Second", people=["Xi Jinping"])
    response = client.get(ARTICLES, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.get("X-Page-Cache") != "hit"
    assert titles(response.json()) == ["Second", "First"]
    assert client.get("/api/v1/people/xi-jinping/").json()["article_count"] == 2
    article.status = Status.DRAFT
    article.save()
    assert titles(client.get(ARTICLES).json()) == ["Second"]
    assert client.get(f"/api/v1/articles/{article.slug}/").status_code == 404


def test_a_scheduled_article_appears_at_its_time_without_any_save(client, page_cache, monkeypatch):
    start = timezone.now()
    make_article(title="Out", published_at=start - timedelta(hours=1))
    scheduled = make_article(title="Embargoed", published_at=start + timedelta(hours=1))
    monkeypatch.setattr(timezone, "now", lambda: start)
    assert titles(cached(client, ARTICLES).json()) == ["Out"]
    assert client.get(f"/api/v1/articles/id/{scheduled.pk}/").status_code == 404
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=1))
    response = client.get(ARTICLES)
    assert response.get("X-Page-Cache") != "hit"
    assert titles(response.json()) == ["Embargoed", "Out"]
    assert client.get(f"/api/v1/articles/id/{scheduled.pk}/").status_code == 200
