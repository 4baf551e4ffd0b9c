"""The site icon: served at /favicon.ico and /apple-touch-icon.png, declared in every page's <head>."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import loader
from django.urls import reverse
from PIL import Image as PILImage

from resilience.middleware import service_unavailable
from resilience.views import server_error
from tests.builders import make_article

ICON_LINKS = (
    '<link rel="icon" href="/static/favicon.ico" sizes="32x32">',
    '<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">',
)


@pytest.mark.parametrize(
    ("path", "content_type", "sizes"),
    [
        ("/favicon.ico", "image/x-icon", {(16, 16), (32, 32), (48, 48)}),
        ("/apple-touch-icon.png", "image/png", {(180, 180)}),
    ],
)
def test_the_icons_answer_at_the_root_with_a_day_long_cache(client, path, content_type, sizes, settings):
    """Browsers and crawlers that ask without reading <head> get the icon, not a 404."""
    settings.PAGE_CACHE = True
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=86400"
    assert "X-Page-Cache" not in response  # the page cache would cut max-age to 0
    with PILImage.open(io.BytesIO(response.content)) as icon:
        assert set(icon.info.get("sizes", {icon.size})) == sizes
    assert response.content == Path(finders.find(path.lstrip("/"))).read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "article", "tag-index", "search", "404"])
def test_every_public_page_declares_the_icons_in_its_head(client, page):
    article = make_article(people=["Vladimir Putin"])
    path = {
        "home": reverse("articles:home"),
        "article": article.get_absolute_url(),
        "tag-index": reverse("articles:tag-index", args=["people"]),
        "search": reverse("search:search") + "?q=putin",
        "404": "/articles/no-such-article/",
    }[page]
    response = client.get(path)
    head = response.content.decode().split("</head>")[0]
    for link in ICON_LINKS:
        assert head.count(link) == 1


def test_the_error_pages_declare_the_icons_in_their_head(rf):
    """The standalone 500 and 503 pages (rendered without the database) too."""
    for response in (server_error(rf.get("/")), service_unavailable()):
        head = response.content.decode().split("</head>")[0]
        for link in ICON_LINKS:
            assert head.count(link) == 1


@pytest.mark.django_db
def test_the_admin_declares_the_icons(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    for link in ICON_LINKS:
        assert link in page


def test_the_icon_include_links_only_files_that_exist():
    html = loader.render_to_string("includes/icons.html")
    for href in re.findall(r'href="/static/([^"]+)"', html):
        assert finders.find(href) is not None
