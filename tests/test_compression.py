"""Public pages are gzipped once, when they enter the page cache, and never when they hold a secret."""

import gzip
from unittest import mock

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import RequestFactory
from django.urls import path, reverse

from pagecache import middleware, versions
from pagecache.middleware import PageCacheMiddleware, accepts_gzip, hot_pages
from tests.builders import make_article

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


def csrf_page(request):
    """A public page with a form: its CSRF token is a secret for this reader."""
    source = "<form method=post>{% csrf_token %}" + "<p>words</p>" * 100 + "</form>"
    template = engines["django"].from_string(source)
    return HttpResponse(template.render({}, request))


urlpatterns = [path("form/", csrf_page)]


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}


@pytest.mark.parametrize("page", ["home", "article", "feed"])
def test_a_cached_page_is_gzipped_for_readers_who_accept_it(client, page_cache, page):
    article = make_article(dek="Words " * 100)
    urls = {"home": reverse("articles:home"), "article": article.get_absolute_url()}
    url = urls.get(page) or reverse("syndication:feed")
    plain = client.get(url)
    assert plain["X-Page-Cache"] == "miss"
    assert "Content-Encoding" not in plain

    for expected in ("hit", "hit"):
        packed = client.get(url, **GZIP)
        assert packed["X-Page-Cache"] == expected
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
        assert "accept-encoding" in vary(packed)
    assert "accept-encoding" in vary(plain)
    assert int(plain["Content-Length"]) == len(plain.content)


def test_the_first_reader_gets_the_compressed_page_too(client, page_cache):
    make_article()
    first = client.get("/", **GZIP)
    assert first["X-Page-Cache"] == "miss"
    assert first["Content-Encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(first.content)


def test_a_page_is_compressed_once_not_on_every_hit(client, page_cache):
    make_article()
    with mock.patch.object(middleware.gzip, "compress", wraps=gzip.compress) as compress:
        for _ in range(5):
            assert client.get("/", **GZIP)["Content-Encoding"] == "gzip"
    assert compress.call_count == 1


@pytest.mark.parametrize(
    ("accept_encoding", "is_gzipped"),
    [
        ("gzip", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0, *", False),
        ("identity", False),
        ("br", False),
        ("", False),
    ],
)
def test_accept_encoding_is_honoured(client, page_cache, accept_encoding, is_gzipped):
    make_article()
    client.get("/")
    response = client.get("/", HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response["X-Page-Cache"] == "hit"
    assert (response.get("Content-Encoding") == "gzip") is is_gzipped
    assert response.content.startswith(b"\x1f\x8b") is is_gzipped


def test_the_compressed_page_has_a_weak_validator_that_answers_304(client, page_cache):
    make_article()
    plain = client.get("/")
    packed = client.get("/", **GZIP)
    assert packed["ETag"] == f"W/{plain['ETag']}"
    for etag in (plain["ETag"], packed["ETag"]):
        assert client.get("/", HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 304


def test_a_page_with_a_csrf_token_is_neither_cached_nor_compressed(client, page_cache, settings):
    """BREACH: a secret in a compressed body next to reflected text leaks through its length."""
    settings.ROOT_URLCONF = __name__
    for _ in range(2):
        response = client.get("/form/", **GZIP)
        assert response.status_code == 200
        assert b"csrfmiddlewaretoken" in response.content
        assert "Content-Encoding" not in response
        assert "X-Page-Cache" not in response


def test_a_response_that_used_the_csrf_token_is_never_compressible(rf):
    request = rf.get("/")
    response = HttpResponse("<p>words</p>" * 100)
    assert middleware.is_compressible(request, response) is True
    get_token(request)
    assert middleware.is_compressible(request, response) is False
    response.set_cookie("sessionid", "x")
    assert middleware.is_compressible(rf.get("/"), response) is False


def test_the_admin_sign_in_page_is_not_compressed(client, page_cache):
    response = client.get(reverse("admin:login"), **GZIP)
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_small_and_binary_responses_are_stored_as_they_are(client, page_cache):
    assert "Content-Encoding" not in client.get("/favicon.ico", **GZIP)
    request = RequestFactory().get("/")
    assert middleware.is_compressible(request, HttpResponse("short")) is False
    assert middleware.is_compressible(request, HttpResponse(b"\x00" * 500, content_type="image/png")) is False


def test_accepts_gzip_reads_q_values(rf):
    assert accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING="deflate, gzip;q=0.5")) is True
    assert accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING="gzip; q=0.000")) is False
    assert accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING="gzip;q=nonsense")) is False
    assert accepts_gzip(rf.get("/")) is False


def test_an_entry_from_before_compression_is_rendered_again(client, page_cache):
    """Old four-field entries (a DJANGO_RELEASE kept across the upgrade) are misses, not errors."""
    make_article()
    client.get("/")
    key = PageCacheMiddleware.key(RequestFactory().get("/", HTTP_HOST="testserver"))
    entry = versions.cache().get(key)
    versions.cache().set(key, entry[:4])
    hot_pages.clear()  # as in a process that has not served the page yet
    assert client.get("/")["X-Page-Cache"] == "miss"
