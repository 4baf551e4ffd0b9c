"""Sitemaps, the Google News sitemap and robots.txt, parsed as a crawler would."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.links import absolute_url
from articles.models import Status
from syndication.sitemaps import ArticleSitemap
from tests.builders import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)


def sitemap_locations(client):
    """Every page named by every sitemap the index lists: {loc: lastmod}."""
    index = xml(client, reverse("syndication:sitemap"))
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    pages = {}
    for entry in index.findall("sm:sitemap", NS):
        loc = entry.findtext("sm:loc", namespaces=NS)
        assert loc.startswith(f"{SITE}/sitemap-")
        urlset = xml(client, loc.removeprefix(SITE))
        for url in urlset.findall("sm:url", NS):
            pages[url.findtext("sm:loc", namespaces=NS)] = url.findtext("sm:lastmod", namespaces=NS)
    return pages


@pytest.fixture
def published():
    section = make_section(slug="world")
    return make_article(
        slug="putin-hosts-xi",
        section=section,
        authors=[make_author(slug="mira-patel")],
        people=["Vladimir Putin", "习近平"],
        places=["Moscow"],
        events=["State visit"],
    )


def test_sitemap_index_lists_articles_tags_sections_and_authors_with_lastmod(client, published):
    index = xml(client, reverse("syndication:sitemap"))
    sections = {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in index.findall("sm:sitemap", NS)
    }

    assert set(sections) == {
        f"{SITE}/sitemap-{name}.xml"
        for name in ("pages", "articles", "people", "places", "events", "sections", "authors", "site-pages")
    }
    assert sections[f"{SITE}/sitemap-articles.xml"].startswith(f"{published.updated_at:%Y-%m-%d}")

    pages = sitemap_locations(client)
    today = f"{timezone.now():%Y-%m-%d}"
    for path in (
        "/",
        "/people/",
        "/people/a-z/v/",
        "/people/a-z/other/",
        "/places/a-z/m/",
        "/events/a-z/s/",
        "/articles/putin-hosts-xi/",
        "/people/vladimir-putin/",
        "/people/%E4%B9%A0%E8%BF%91%E5%B9%B3/",
        "/places/moscow/",
        "/events/state-visit/",
        "/sections/world/",
        "/authors/mira-patel/",
    ):
        assert pages[f"{SITE}{path}"] == today, path


def test_sitemaps_hold_only_published_articles_and_subjects_with_them(client, published):
    """Drafts, review copies and scheduled articles, and tags or authors known only from them, are absent."""
    hidden = {"people": ["Secret Source"], "authors": [make_author(slug="ghost")]}
    make_article(slug="draft", status=Status.DRAFT, **hidden)
    make_article(slug="review", status=Status.REVIEW, **hidden)
    make_article(slug="scheduled", published_at=timezone.now() + timedelta(days=1), **hidden)

    pages = sitemap_locations(client)

    assert not [
        loc
        for loc in pages
        if any(word in loc for word in ("draft", "review", "scheduled", "secret-source", "ghost"))
    ]
    assert f"{SITE}/articles/putin-hosts-xi/" in pages
    # A letter with only unpublished names has no page, so no entry either.
    assert [loc for loc in pages if "/people/a-z/" in loc] == [
        f"{SITE}/people/a-z/v/",
        f"{SITE}/people/a-z/other/",
    ]


def test_article_sitemap_is_paginated_at_fifty_thousand(client, published, monkeypatch):
    """Past the page size the index lists ?p=2 and that page holds the rest."""
    make_article(slug="second", published_at=timezone.now() - timedelta(minutes=5))
    assert ArticleSitemap.limit == 50_000
    monkeypatch.setattr(ArticleSitemap, "limit", 1)

    index = xml(client, reverse("syndication:sitemap"))
    locs = [entry.findtext("sm:loc", namespaces=NS) for entry in index.findall("sm:sitemap", NS)]
    second = xml(client, "/sitemap-articles.xml?p=2")

    assert f"{SITE}/sitemap-articles.xml?p=2" in locs
    assert [url.findtext("sm:loc", namespaces=NS) for url in second.findall("sm:url", NS)] == [
        f"{SITE}/articles/second/"
    ]


def test_news_sitemap_has_articles_of_the_last_48_hours_in_google_news_format(client, published):
    old = make_article(slug="old-news", published_at=timezone.now() - timedelta(hours=49))
    make_article(slug="not-yet", published_at=timezone.now() + timedelta(hours=1))
    make_article(slug="draft-news", status=Status.DRAFT)

    urlset = xml(client, reverse("syndication:news-sitemap"))

    (url,) = urlset.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"{SITE}/articles/putin-hosts-xi/"
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "HOLR Magazine"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == published.title
    assert news.findtext("news:publication_date", namespaces=NS) == published.published_at.isoformat()
    assert old.slug not in client.get(reverse("syndication:news-sitemap")).content.decode()


def test_news_sitemap_escapes_titles(client):
    make_article(title='Xi & Putin: "<no>" deal')

    urlset = xml(client, reverse("syndication:news-sitemap"))

    assert urlset.findtext("sm:url/news:news/news:title", namespaces=NS) == 'Xi & Putin: "<no>" deal'


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_admin_and_previews(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines


def test_sitemaps_use_site_url_not_the_request_host(client, published, settings):
    settings.SITE_URL = "https://magazine.example"
    settings.ALLOWED_HOSTS = ["evil.example"]

    index = client.get(reverse("syndication:sitemap"), HTTP_HOST="evil.example").content.decode()
    articles = client.get("/sitemap-articles.xml", HTTP_HOST="evil.example").content.decode()

    assert "evil.example" not in index + articles
    assert "<loc>https://magazine.example/articles/putin-hosts-xi/</loc>" in articles


def test_sitemaps_are_not_themselves_indexed(client, published):
    for url in (reverse("syndication:sitemap"), "/sitemap-articles.xml", reverse("syndication:news-sitemap")):
        assert "noindex" in client.get(url)["X-Robots-Tag"], url


def test_unknown_sitemap_or_page_is_404(client, published):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404


def test_article_sitemap_addresses_are_exactly_the_articles_own(client):
    """The sitemap builds article URLs without reverse(); they must match get_absolute_url()."""
    articles = [
        make_article(title="Plain", slug="plain"),
        make_article(title="习近平 in Moscow", slug="习近平-in-moscow"),
        make_article(title="Zürich", slug="zürich-vote"),
    ]
    root = xml(client, reverse("syndication:sitemap-section", kwargs={"section": "articles"}))
    locations = {element.text for element in root.iter() if element.tag.endswith("}loc")}
    assert locations == {absolute_url(article.get_absolute_url()) for article in articles}
