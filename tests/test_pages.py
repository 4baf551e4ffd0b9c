"""The magazine's own pages (pages.Page): served at /<slug>/, in the footer and the sitemap
when published, invisible otherwise, published only by editors, never stale in the cache."""

from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from pages.models import Page
from pages.reserved import is_reserved
from tests.builders import make_article, make_user

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def make_page(**overrides):
    fields = {"title": "About us", "slug": "about", "body": "<p>Who we are.</p>", "is_published": True}
    fields.update(overrides)
    return Page.objects.create(**fields)


def page_data(**overrides):
    data = {"title": "About us", "slug": "about", "body": "<p>Who we are.</p>", "footer_order": "0"}
    data.update(overrides)
    return data


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def footer(html):
    return (
        html.split('<nav aria-label="About the magazine">', 1)[1].split("</nav>", 1)[0]
        if ('aria-label="About the magazine"' in html)
        else ""
    )


# Reading ---------------------------------------------------------------------------------


def test_published_page_is_served_at_its_one_segment_address(client):
    page = make_page(title="About HOLR", body="<p>An <strong>independent</strong> magazine.</p>")

    response = client.get("/about/")

    assert page.get_absolute_url() == "/about/"
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article__title">About HOLR</h1>' in html
    assert "<p>An <strong>independent</strong> magazine.</p>" in html
    assert "<title>About HOLR · HOLR Magazine</title>" in html
    assert "Not published." not in html


def test_unpublished_page_is_a_404_to_readers_and_to_staff_without_page_permission(client):
    make_page(is_published=False)
    writer = make_user("writer")  # staff, but no page permissions

    assert client.get("/about/").status_code == 404
    assert logged_in(writer).get("/about/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_staff_who_may_view_pages_preview_an_unpublished_page_uncached_and_unindexed():
    make_page(is_published=False, body="<p>Draft words.</p>")
    contributor = logged_in(make_user("carla", "Contributor"))

    response = contributor.get("/about/")

    assert response.status_code == 200
    assert "Draft words." in response.content.decode()
    assert "<strong>Not published.</strong>" in response.content.decode()
    assert {d.strip() for d in response["Cache-Control"].split(",")} >= {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex"


def test_page_body_is_sanitized_on_every_path():
    """Page.objects.create() stores what the editor's form would: the article allow-list."""
    page = make_page(body='<p onclick="x()">Hi<script>alert(1)</script></p><iframe src="//evil"></iframe>')

    assert page.body == "<p>Hi</p>"


def test_two_segment_and_article_addresses_are_not_pages(client):
    make_page(slug="news")
    article = make_article(slug="about")

    assert client.get("/news/extra/").status_code == 404
    assert client.get(article.get_absolute_url()).context["article"] == article


# Reserved addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    [
        "admin",
        "api",
        "articles",
        "people",
        "places",
        "events",
        "sections",
        "authors",
        "search",
        "feed",
        "static",
        "media",
        "preview",
        "healthz",
        "category",
        "tag",
        "author",
        "2024",
        "1999",
        "Search",
    ],
)
def test_reserved_slugs_are_refused_by_validation(slug):
    page = Page(title="Taken", slug=slug)

    with pytest.raises(ValidationError) as refused:
        page.full_clean()

    assert refused.value.message_dict["slug"][0].startswith(f"“{slug}” is one of the site's own addresses")


def test_the_configured_admin_path_is_reserved_too(settings):
    settings.ADMIN_PATH = "back-office/"

    assert is_reserved("back-office") and is_reserved("admin")
    assert not is_reserved("about") and not is_reserved("20245") and not is_reserved("contact")


def routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_first_segment_the_site_routes_is_reserved():
    """A new top-level route must be added to pages/reserved.py, or a page could shadow it."""
    segments = {route.split("/", 1)[0] for route in routes(get_resolver().url_patterns)}
    # Converters and regexes (the pages, the vocabularies, sitemap-<section>.xml) are not names.
    fixed = {segment for segment in segments if segment and not any(c in segment for c in "<($\\")}

    assert {"admin", "articles", "sections", "authors", "feed", "preview", "search", "healthz"} <= fixed
    assert sorted(segment for segment in fixed if not is_reserved(segment)) == []
    assert all(is_reserved(key) for key in ("people", "places", "events"))  # the <vocabulary:> values


def test_a_reserved_slug_in_the_admin_form_is_a_form_error_that_keeps_what_was_typed():
    editor = logged_in(make_user("edna", "Editor"))

    response = editor.post(
        reverse("admin:pages_page_add"),
        page_data(title="Search tips", slug="search", body="<p>Typed text.</p>"),
    )

    assert response.status_code == 200
    assert "is one of the site&#x27;s own addresses" in response.content.decode()
    form = response.context["adminform"].form
    assert form["title"].value() == "Search tips" and "Typed text." in form["body"].value()
    assert not Page.objects.exists()


# Footer and sitemap ----------------------------------------------------------------------


def test_footer_lists_published_pages_in_footer_order_and_never_unpublished_ones(client):
    make_page(title="Contact", slug="contact", footer_order=2)
    make_page(title="About", slug="about", footer_order=1)
    make_page(title="Secret plans", slug="plans", is_published=False, footer_order=0)
    make_article(title="A story", slug="a-story")

    for url in ("/", "/articles/a-story/", "/about/", "/search/?q=story"):
        html = client.get(url).content.decode()
        assert footer(html).count("<li>") == 2, url
        assert footer(html).index('href="/about/"') < footer(html).index('href="/contact/"'), url
        assert "Secret plans" not in html and "/plans/" not in html, url


def test_no_footer_navigation_without_published_pages(client):
    make_page(is_published=False)

    assert 'aria-label="About the magazine"' not in client.get("/").content.decode()


def test_sitemap_lists_published_pages_with_lastmod_and_never_unpublished_ones(client):
    about = make_page()
    make_page(title="Plans", slug="plans", is_published=False)

    root = ElementTree.fromstring(client.get("/sitemap-site-pages.xml").content)
    entries = {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }

    assert entries == {"http://127.0.0.1:8000/about/": f"{about.updated_at:%Y-%m-%d}"}
    index = client.get(reverse("syndication:sitemap")).content.decode()
    assert "http://127.0.0.1:8000/sitemap-site-pages.xml" in index


# Query budget ------------------------------------------------------------------------------


def test_page_costs_one_query_and_the_footer_none_once_cached(client):
    make_page(title="Contact", slug="contact", footer_order=2)
    make_page()
    client.get("/about/")  # the footer's page list is kept until content changes

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/contact/")

    assert response.status_code == 200
    assert len(queries) == 1  # the page itself


def test_footer_costs_one_query_per_content_change_whatever_the_number_of_pages(client):
    for n in range(12):
        make_page(title=f"Page {n}", slug=f"page-{n}")

    with CaptureQueriesContext(connection) as first:
        client.get("/page-1/")
    with CaptureQueriesContext(connection) as second:
        client.get("/page-2/")

    # After a change: the page, the content version's schedule, the masthead, the footer.
    assert len(first) == 4 and "pages_page" in first.captured_queries[-1]["sql"]
    assert len(second) == 1


# Who may publish ---------------------------------------------------------------------------


def test_contributor_cannot_publish_a_page_even_by_posting_the_flag():
    contributor = logged_in(make_user("carla", "Contributor"))

    response = contributor.post(reverse("admin:pages_page_add"), page_data(is_published="on"))

    assert response.status_code == 302
    page = Page.objects.get()
    assert page.is_published is False
    assert Client().get("/about/").status_code == 404


def test_contributor_sees_the_published_flag_read_only_and_no_publish_actions():
    make_page(is_published=False)
    contributor = logged_in(make_user("carla", "Contributor"))

    form_page = contributor.get(reverse("admin:pages_page_add"))
    changelist = contributor.get(reverse("admin:pages_page_changelist"))

    assert "is_published" not in form_page.context["adminform"].form.fields
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None  # no publish, unpublish or delete for them


def test_contributor_may_not_change_or_delete_a_published_page_nor_run_the_publish_action():
    page = make_page(title="About", is_published=True)
    draft = make_page(title="Draft", slug="draft", is_published=False)
    contributor = logged_in(make_user("carla", "Contributor"))

    change = contributor.post(reverse("admin:pages_page_change", args=[page.pk]), page_data(title="Defaced"))
    delete = contributor.post(reverse("admin:pages_page_delete", args=[draft.pk]), {"post": "yes"})
    action = contributor.post(
        reverse("admin:pages_page_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )

    assert change.status_code == 403 and delete.status_code == 403
    assert action.status_code in {200, 302}
    page.refresh_from_db(), draft.refresh_from_db()
    assert page.title == "About" and draft.is_published is False
    assert Page.objects.count() == 2


def test_contributor_edits_an_unpublished_page():
    draft = make_page(is_published=False)
    contributor = logged_in(make_user("carla", "Contributor"))

    response = contributor.post(
        reverse("admin:pages_page_change", args=[draft.pk]), page_data(title="About HOLR", is_published="on")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "About HOLR" and draft.is_published is False


def test_editor_publishes_and_unpublishes_by_form_and_by_action(client):
    editor = logged_in(make_user("edna", "Editor"))

    editor.post(reverse("admin:pages_page_add"), page_data(is_published="on"))
    assert client.get("/about/").status_code == 200

    selected = {"_selected_action": [Page.objects.get().pk]}
    editor.post(reverse("admin:pages_page_changelist"), {"action": "unpublish", **selected})
    assert client.get("/about/").status_code == 404
    editor.post(reverse("admin:pages_page_changelist"), {"action": "publish", **selected})
    assert client.get("/about/").status_code == 200


# Never stale -------------------------------------------------------------------------------


@pytest.fixture(params=["cache", "database"])
def page_cache(request, settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = request.param
    return request.param


def hit(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    return response


def test_a_page_edit_shows_at_once_on_the_page_and_in_every_cached_footer(client, page_cache):
    page = make_page(title="About", body="<p>Old words.</p>")
    make_article(slug="story")
    hit(client, "/about/"), hit(client, "/"), hit(client, "/articles/story/")

    page.title, page.body = "About the magazine", "<p>New words.</p>"
    page.save()

    about = client.get("/about/").content.decode()
    assert "New words." in about and "Old words." not in about
    for url in ("/", "/articles/story/"):
        assert '<a href="/about/">About the magazine</a>' in client.get(url).content.decode(), url


def test_unpublishing_or_deleting_a_page_retires_it_and_its_footer_link_at_once(client, page_cache):
    about = make_page()
    contact = make_page(title="Contact", slug="contact")
    hit(client, "/about/"), hit(client, "/contact/"), hit(client, "/")

    about.is_published = False
    about.save()
    contact.delete()

    assert client.get("/about/").status_code == 404
    assert client.get("/contact/").status_code == 404
    assert 'aria-label="About the magazine"' not in client.get("/").content.decode()


def test_publishing_a_page_shows_it_in_cached_footers_at_once(client, page_cache):
    page = make_page(is_published=False)
    hit(client, "/")

    page.is_published = True
    page.save()

    assert client.get("/about/").status_code == 200
    assert '<a href="/about/">About us</a>' in client.get("/").content.decode()


def test_an_unpublished_page_is_found_on_no_surface_a_reader_can_reach(client):
    """Every page, feed, sitemap and search answer: no title, address or word of an unpublished page."""
    from tests.surfaces import all_surfaces, walk

    make_page(title="Visible about", slug="about")
    make_page(
        title="Hiddentitle qx", slug="hidden-qx", body="<p>Unique hiddenword zq.</p>", is_published=False
    )
    make_article(title="A story", slug="a-story")

    walked = list(walk(client, all_surfaces(["story", "hiddenword"])))

    assert any(surface.url == "/about/" for surface, _ in walked)
    for surface, response in walked:
        text = response.content.decode()
        assert "Hiddentitle" not in text and "hidden-qx" not in text and "hiddenword zq" not in text, (
            surface.url
        )
