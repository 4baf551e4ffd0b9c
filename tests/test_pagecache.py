"""The page cache: anonymous pages served from the cache, fresh after every kind of change."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Person, Status, TaggedPerson
from holr.signals import content_changed
from pagecache import versions
from pagecache.middleware import PageCacheMiddleware
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["cache", "database"])
def page_cache(request, settings):
    """The page cache on, with the content version in the cache and in the database."""
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = request.param
    return request.param


def cached(client, url):
    """Fetch `url` until it comes from the cache; fails if it never does."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    return response


def fresh(client, url):
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit", f"{url} was served from a stale cache entry"
    return response


# What is cached, and how


def test_anonymous_pages_are_served_from_the_cache_with_cdn_headers(
    client, page_cache, django_assert_num_queries
):
    make_article(title="Cached story")
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"

    # A hit touches no session and, with a shared cache, no database at all.
    with django_assert_num_queries(0 if page_cache == "cache" else 1):
        second = client.get("/")

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content and "Cached story" in second.content.decode()
    cache_control = {d.strip() for d in second["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=30"}
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('"')
    assert second["Last-Modified"] == first["Last-Modified"]
    assert "Cookie" not in second.get("Vary", "")
    assert second["X-Frame-Options"] == "DENY" and second["X-Content-Type-Options"] == "nosniff"


def test_cache_lifetimes_come_from_settings(client, page_cache, settings):
    settings.PAGE_CACHE_MAX_AGE, settings.PAGE_CACHE_S_MAXAGE = 30, 600
    settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 90
    response = client.get("/")
    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=30",
        "s-maxage=600",
        "stale-while-revalidate=90",
    }


def test_head_requests_are_served_from_the_cache(client, page_cache):
    make_article()
    client.get("/")
    response = client.head("/")
    assert response["X-Page-Cache"] == "hit" and response.content == b""


def test_page_cache_is_off_with_the_setting(client, settings):
    settings.PAGE_CACHE = False
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


def test_django_page_cache_environment_variable_switches_the_cache():
    """DJANGO_PAGE_CACHE is on by default; 0 turns it off (the benchmark runner uses it)."""
    code = "from holr import settings; print(settings.PAGE_CACHE)"
    env = {"DJANGO_SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    default = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    off = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_PAGE_CACHE": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert (default.stdout.strip(), off.stdout.strip()) == ("True", "False")
    # Under DJANGO_DEBUG=1 (make run) templates change without a restart: off unless asked.
    debug = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    asked = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_DEBUG": "1", "DJANGO_PAGE_CACHE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert (debug.stdout.strip(), asked.stdout.strip()) == ("False", "True")


def test_a_deploy_never_serves_pages_rendered_by_the_previous_code(client, page_cache, monkeypatch):
    make_article()
    cached(client, "/")
    monkeypatch.setenv("DJANGO_RELEASE", "next-release")
    versions.release.cache_clear()
    try:
        assert client.get("/")["X-Page-Cache"] == "miss"
    finally:
        monkeypatch.delenv("DJANGO_RELEASE")
        versions.release.cache_clear()


def test_the_release_digest_changes_with_code_and_templates(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_RELEASE", raising=False)
    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<h1>one</h1>")
    digests = []
    for text in ("<h1>one</h1>", "<h1>two</h1>"):
        page.write_text(text)
        versions.release.cache_clear()
        digests.append(versions.release())
    versions.release.cache_clear()
    assert digests[0] != digests[1]


def test_the_release_digest_changes_with_the_translations(settings, tmp_path, monkeypatch):
    """Editing locale/*.po or recompiling the .mo retires cached pages, as a template edit does."""
    monkeypatch.delenv("DJANGO_RELEASE", raising=False)
    settings.BASE_DIR = tmp_path
    messages = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    digests = []
    for po, mo in (("one", b"one"), ("two", b"one"), ("two", b"two")):
        (messages / "django.po").write_text(po)
        (messages / "django.mo").write_bytes(mo)
        versions.release.cache_clear()
        digests.append(versions.release())
    versions.release.cache_clear()
    assert len(set(digests)) == 3


# Conditional requests


def test_if_none_match_with_the_current_etag_gets_304(client, page_cache):
    make_article()
    etag = client.get("/")["ETag"]
    for _ in range(2):  # on a miss and on a hit
        response = client.get("/", headers={"if-none-match": etag})
        assert response.status_code == 304 and response.content == b""
        assert response["ETag"] == etag and "public" in response["Cache-Control"]
    assert client.get("/", headers={"if-none-match": '"something-else"'}).status_code == 200


def test_if_none_match_after_a_change_gets_the_new_page(client, page_cache):
    article = make_article(title="Before")
    etag = client.get("/")["ETag"]
    article.title = "After"
    article.save()
    response = client.get("/", headers={"if-none-match": etag})
    assert response.status_code == 200 and "After" in response.content.decode()
    assert response["ETag"] != etag


def test_if_modified_since_gets_304_until_content_changes(client, page_cache, monkeypatch):
    article = make_article()
    last_modified = client.get("/")["Last-Modified"]
    assert client.get("/", headers={"if-modified-since": last_modified}).status_code == 304
    earlier = http_date(timezone.now().timestamp() - 3600)
    assert client.get("/", headers={"if-modified-since": earlier}).status_code == 200

    # Two seconds on: Last-Modified has one-second resolution.
    later = timezone.now() + timedelta(seconds=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    article.title = "Edited"
    article.save()
    response = client.get("/", headers={"if-modified-since": last_modified})
    assert response.status_code == 200 and "Edited" in response.content.decode()


# Every change makes every affected page fresh on the next request


def test_publishing_shows_the_article_everywhere_at_once(client, page_cache):
    make_article(people=["Vladimir Putin"])
    draft = make_article(
        title="Breaking story", status=Status.DRAFT, published_at=None, people=["Vladimir Putin"]
    )
    for url in ("/", "/people/", "/people/vladimir-putin/"):
        assert "Breaking story" not in cached(client, url).content.decode()
    assert client.get("/articles/" + draft.slug + "/").status_code == 404

    draft.status = Status.PUBLISHED
    draft.save()

    for url in ("/", "/people/vladimir-putin/", draft.get_absolute_url()):
        response = fresh(client, url)
        assert response.status_code == 200 and "Breaking story" in response.content.decode()


def test_editing_changes_the_article_and_its_listings(client, page_cache):
    article = make_article(title="Old headline", people=["Xi Jinping"])
    for url in (article.get_absolute_url(), "/", "/people/xi-jinping/"):
        cached(client, url)

    article.title = "New headline"
    article.save()

    for url in (article.get_absolute_url(), "/", "/people/xi-jinping/"):
        content = fresh(client, url).content.decode()
        assert "New headline" in content and "Old headline" not in content


def test_unpublishing_removes_the_article_everywhere(client, page_cache):
    article = make_article(title="Retracted story", people=["Xi Jinping"])
    make_article(people=["Xi Jinping"])
    for url in (article.get_absolute_url(), "/", "/people/xi-jinping/"):
        cached(client, url)

    article.status = Status.DRAFT
    article.save()

    assert fresh(client, article.get_absolute_url()).status_code == 404
    for url in ("/", "/people/xi-jinping/"):
        assert "Retracted story" not in fresh(client, url).content.decode()


def test_deleting_removes_the_article_everywhere(client, page_cache):
    article = make_article(title="Deleted story")
    url = article.get_absolute_url()
    cached(client, url), cached(client, "/")

    article.delete()

    assert fresh(client, url).status_code == 410  # Gone, from its tombstone
    assert "Deleted story" not in fresh(client, "/").content.decode()


def test_scheduled_article_appears_at_its_time_without_any_save(client, page_cache, monkeypatch):
    start = timezone.now()
    make_article(title="Already out", published_at=start - timedelta(hours=1))
    scheduled = make_article(
        title="Embargoed story", published_at=start + timedelta(hours=1), people=["Xi Jinping"]
    )
    monkeypatch.setattr(timezone, "now", lambda: start)
    assert "Embargoed story" not in cached(client, "/").content.decode()
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=59))
    assert cached(client, "/")  # not yet: the cache still serves

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=1))
    assert "Embargoed story" in fresh(client, "/").content.decode()
    assert fresh(client, scheduled.get_absolute_url()).status_code == 200
    assert "Embargoed story" in fresh(client, "/people/xi-jinping/").content.decode()
    assert cached(client, "/")  # and the new page is cached again


def test_two_scheduled_articles_each_appear_at_their_time(client, page_cache, monkeypatch):
    start = timezone.now()
    make_article(title="First embargo", published_at=start + timedelta(hours=1))
    make_article(title="Second embargo", published_at=start + timedelta(hours=2))
    monkeypatch.setattr(timezone, "now", lambda: start)
    cached(client, "/")

    # Nobody visits between the two times: the second is still found on time.
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=3))
    content = fresh(client, "/").content.decode()
    assert "First embargo" in content and "Second embargo" in content


def test_tag_rename_through_content_changed(client, page_cache):
    """A queryset update sends no model signal: its sender says so with content_changed."""
    article = make_article(people=["Vladmir Putin"])
    cached(client, article.get_absolute_url()), cached(client, "/people/")

    Person.objects.filter(name="Vladmir Putin").update(name="Vladimir Putin")
    assert "Vladmir Putin" in cached(client, article.get_absolute_url()).content.decode()  # no signal yet
    content_changed.send(sender=Person)

    assert "Vladimir Putin" in fresh(client, article.get_absolute_url()).content.decode()
    assert "Vladimir Putin" in fresh(client, "/people/").content.decode()


def test_tag_merge_through_content_changed(client, page_cache):
    article = make_article(title="Tagged with a duplicate", people=["V. Putin"])
    make_article(people=["Vladimir Putin"])
    cached(client, "/people/vladimir-putin/")

    duplicate, keeper = Person.objects.get(name="V. Putin"), Person.objects.get(name="Vladimir Putin")
    TaggedPerson.objects.filter(tag=duplicate).update(tag=keeper)
    content_changed.send(sender=Person)

    assert article.title in fresh(client, "/people/vladimir-putin/").content.decode()


def test_tagging_an_article_updates_the_tag_pages(client, page_cache):
    article = make_article(title="Now about Xi", people=["Vladimir Putin"])
    cached(client, "/people/")
    article.people.add("Xi Jinping")
    assert "Xi Jinping" in fresh(client, "/people/").content.decode()
    assert "Now about Xi" in fresh(client, "/people/xi-jinping/").content.decode()


def test_the_page_cache_serves_a_letter_page_until_a_name_joins_it(client, page_cache):
    article = make_article(people=["Vladimir Putin"])
    assert "Vladimir Putin" in cached(client, "/people/a-z/v/").content.decode()
    cached(client, "/people/")

    article.people.add("Volodymyr Zelensky")

    for url in ("/people/a-z/v/", "/people/"):
        content = fresh(client, url).content.decode()
        assert "Vladimir Putin" in content and "Volodymyr Zelensky" in content, url
    assert (
        '/people/a-z/v/">V <span class="letter-jumps__count">2<'
        in cached(client, "/people/").content.decode()
    )
    assert "Volodymyr Zelensky" in cached(client, "/people/a-z/v/").content.decode()


def test_section_edit_updates_masthead_and_section_page(client, page_cache):
    section = make_section(name="World", slug="world")
    article = make_article(section=section)
    for url in ("/", article.get_absolute_url(), "/sections/world/"):
        cached(client, url)

    section.name = "Foreign"
    section.save()

    for url in ("/", article.get_absolute_url(), "/sections/world/"):
        content = fresh(client, url).content.decode()
        assert "Foreign" in content and ">World<" not in content


def test_author_edit_updates_bylines_and_author_page(client, page_cache):
    author = make_author(name="Mira Patell", slug="mira-patel")
    article = make_article(authors=[author])
    for url in (article.get_absolute_url(), "/", "/authors/mira-patel/"):
        cached(client, url)

    author.name = "Mira Patel"
    author.save()

    for url in (article.get_absolute_url(), "/", "/authors/mira-patel/"):
        assert "Mira Patell" not in fresh(client, url).content.decode()


def test_image_credit_edit_updates_the_article(client, page_cache):
    image = make_image(credit="Reuters")
    article = make_article(lead_image=image)
    assert "Reuters" in cached(client, article.get_absolute_url()).content.decode()

    image.credit = "Reuters Institute Digital News Report"
    image.save()

    assert (
        "Reuters Institute Digital News Report" in fresh(client, article.get_absolute_url()).content.decode()
    )


def test_a_change_in_another_process_is_seen_by_this_one(client, settings):
    """Two workers, each with its own local-memory cache, one database.

    With a per-process cache the version must live in the database ("auto" picks that);
    were it kept in the local cache, worker A would go on serving its old pages.
    """
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = "auto"
    section = make_section(name="World", slug="world")
    article = make_article(title="Old headline", section=section)
    worker = {
        name: {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}}
        for name in ("worker-a", "worker-b")
    }
    settings.CACHES = worker["worker-a"]
    cached(client, "/"), cached(client, article.get_absolute_url())

    settings.CACHES = worker["worker-b"]  # the change comes through another worker
    article.title = "New headline"
    article.save()
    section.name = "Foreign"
    section.save()

    settings.CACHES = worker["worker-a"]
    for url in ("/", article.get_absolute_url()):
        content = fresh(client, url).content.decode()
        assert "New headline" in content and "Foreign" in content.split("</header>")[0]


# Staff, sessions and previews


def test_staff_are_never_served_a_cached_page_and_never_fill_it(client, admin_user, page_cache):
    article = make_article(title="Public story")
    anonymous = cached(client, article.get_absolute_url())

    client.force_login(admin_user)
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    client.logout()

    caches["default"].clear()
    client.force_login(admin_user)
    client.get(article.get_absolute_url())
    client.cookies.clear()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"  # staff filled nothing
    assert anonymous.status_code == 200


def test_previews_are_never_cached(client, admin_user, page_cache):
    article = make_article(title="Scheduled story", published_at=timezone.now() + timedelta(days=1))
    client.force_login(admin_user)
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert "Not published." in response.content.decode() and "X-Page-Cache" not in response
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def middleware_serving(response_factory):
    calls = []

    def view(request):
        calls.append(request.path)
        return response_factory()

    return PageCacheMiddleware(view), calls


@pytest.mark.parametrize("path", ["/preview/abc123/", "/admin/", "/healthz"])
def test_preview_admin_and_health_paths_are_never_cached(page_cache, path):
    middleware, calls = middleware_serving(lambda: HttpResponse("page"))
    for _ in range(2):
        response = middleware(RequestFactory().get(path))
        assert "X-Page-Cache" not in response
    assert len(calls) == 2


@pytest.mark.parametrize(
    "make_response, headers",
    [
        (lambda: HttpResponse("no store", headers={"Cache-Control": "private, no-store"}), {}),
        (lambda: HttpResponse("never cache", headers={"Cache-Control": "max-age=0, no-cache"}), {}),
        (lambda: HttpResponse("varies by language", headers={"Vary": "Accept-Language"}), {}),
        (lambda: HttpResponse("read a cookie", headers={"Vary": "Cookie"}), {"HTTP_COOKIE": "csrftoken=abc"}),
        (lambda: HttpResponse("not found", status=404), {}),
    ],
)
def test_responses_for_one_reader_or_one_variant_are_not_stored(page_cache, make_response, headers):
    middleware, calls = middleware_serving(make_response)
    for _ in range(2):
        middleware(RequestFactory().get("/somewhere/", **headers))
    assert len(calls) == 2


def test_a_response_that_sets_a_cookie_is_not_stored(page_cache):
    def with_cookie():
        response = HttpResponse("hello")
        response.set_cookie("csrftoken", "secret")
        return response

    middleware, calls = middleware_serving(with_cookie)
    for _ in range(2):
        middleware(RequestFactory().get("/somewhere/"))
    assert len(calls) == 2


def test_a_session_cookie_neither_reads_nor_fills_the_cache(page_cache, settings):
    middleware, calls = middleware_serving(lambda: HttpResponse("page"))
    with_session = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"}
    middleware(RequestFactory().get("/somewhere/", **with_session))
    assert middleware(RequestFactory().get("/somewhere/"))["X-Page-Cache"] == "miss"
    middleware(RequestFactory().get("/somewhere/", **with_session))
    assert len(calls) == 3
    # Other cookies (a CSRF token, say) still read the shared page.
    assert middleware(RequestFactory().get("/somewhere/", HTTP_COOKIE="csrftoken=x"))["X-Page-Cache"] == "hit"


def test_a_cache_that_lost_the_version_serves_nothing_stored_before(client, settings):
    """A flushed or restarted Redis: the pages may survive the version (eviction); never serve them."""
    settings.PAGE_CACHE = True
    make_article(title="Story")
    cached(client, "/")
    caches["default"].delete(versions.VERSION_KEY)
    Article.objects.update(title="Quietly changed")  # no signal at all
    assert "Quietly changed" in fresh(client, "/").content.decode()


def test_a_miss_reads_the_version_once(client, settings):
    """With the version in the database, the masthead reuses the one the page cache read:
    a miss costs the view's own queries and nothing more than rendering without the cache."""
    settings.CONTENT_VERSION_STORE = "database"
    make_article()

    def queries_for_a_cold_home_page():
        caches["default"].clear()
        with CaptureQueriesContext(connection) as context:
            response = client.get("/")
        assert response.status_code == 200
        return len(context.captured_queries)

    settings.PAGE_CACHE = False
    client.get("/")  # the version's schedule looked up once after the change
    without_page_cache = queries_for_a_cold_home_page()
    settings.PAGE_CACHE = True
    assert queries_for_a_cold_home_page() == without_page_cache


def test_a_new_site_name_never_serves_pages_with_the_old_one(client, page_cache, settings):
    make_article()
    cached(client, "/")
    settings.SITE_NAME = "The Weekly HOLR"
    versions.release.cache_clear()  # a restart with the new environment
    try:
        assert "The Weekly HOLR" in fresh(client, "/").content.decode()
    finally:
        versions.release.cache_clear()


def test_a_new_language_never_serves_pages_in_the_old_one(client, page_cache, settings):
    """DJANGO_LANGUAGE_CODE=fr after English pages were cached: the next reader gets French."""
    make_article()
    cached(client, "/")
    settings.LANGUAGE_CODE = "fr"
    versions.release.cache_clear()  # a restart with the new environment
    try:
        assert '<html lang="fr">' in fresh(client, "/").content.decode()
    finally:
        versions.release.cache_clear()


def test_a_request_with_credentials_is_private_and_never_cached(page_cache):
    middleware, calls = middleware_serving(lambda: HttpResponse("page"))
    for _ in range(2):
        response = middleware(RequestFactory().get("/somewhere/", HTTP_AUTHORIZATION="Bearer abc"))
        assert response["Cache-Control"] == "private" and "X-Page-Cache" not in response
    assert len(calls) == 2
