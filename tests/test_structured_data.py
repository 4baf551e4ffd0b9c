"""JSON-LD, OpenGraph and Twitter cards, canonical and noindex, and the lead <picture>, read as consumers would."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles.structured_data import LOGO
from resilience.middleware import service_unavailable
from resilience.views import server_error
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


class HeadParser(HTMLParser):
    """Collects <meta>, <link>, JSON-LD blocks and the tags of the page, as a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.tags = [], [], [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def property(self, name):
        return [m["content"] for m in self.meta if m.get("property") == name or m.get("name") == name]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def graph(parser):
    (block,) = parser.json_ld
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


@pytest.fixture
def story():
    return make_article(
        title="Putin hosts Xi in Moscow",
        slug="putin-hosts-xi",
        dek="A state visit days after the ICC warrant.",
        section=make_section(name="World", slug="world"),
        authors=[
            make_author(name="Mira Patel", slug="mira-patel"),
            make_author(name="Tom Ng", slug="tom-ng"),
        ],
        lead_image=make_image(width=1000, height=600, alt="Two leaders shake hands"),
        people=["Vladimir Putin", "Xi Jinping"],
        places=["Moscow"],
        events=["Xi's 2023 state visit to Moscow"],
    )


def test_article_page_has_news_article_json_ld(client, story):
    nodes = graph(read(client, story.get_absolute_url()))

    article = nodes["NewsArticle"]
    url = f"{SITE}/articles/putin-hosts-xi/"
    assert article["headline"] == "Putin hosts Xi in Moscow"
    assert article["description"] == "A state visit days after the ICC warrant."
    assert article["url"] == article["mainEntityOfPage"] == url
    assert article["datePublished"] == story.published_at.isoformat()
    assert article["dateModified"] == max(story.updated_at, story.published_at).isoformat()
    assert article["author"] == [
        {"@type": "Person", "name": "Mira Patel", "url": f"{SITE}/authors/mira-patel/"},
        {"@type": "Person", "name": "Tom Ng", "url": f"{SITE}/authors/tom-ng/"},
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "HOLR Magazine"
    assert publisher["logo"]["url"] == f"{SITE}/static/images/logo.png"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (512, 512)
    assert article["articleSection"] == "World"
    assert article["keywords"] == [
        "Vladimir Putin",
        "Xi Jinping",
        "Moscow",
        "Xi's 2023 state visit to Moscow",
    ]
    assert [(thing["@type"], thing["name"], thing["url"]) for thing in article["about"]] == [
        ("Person", "Vladimir Putin", f"{SITE}/people/vladimir-putin/"),
        ("Person", "Xi Jinping", f"{SITE}/people/xi-jinping/"),
        ("Place", "Moscow", f"{SITE}/places/moscow/"),
        ("Event", "Xi's 2023 state visit to Moscow", f"{SITE}/events/xis-2023-state-visit-to-moscow/"),
    ]
    share, four_by_three, square, full = article["image"]
    renditions = story.lead_image.renditions
    assert share == {
        "@type": "ImageObject",
        "url": f"{SITE}{renditions.share.url}",
        "width": 1200,
        "height": 630,
        "caption": "Two leaders shake hands",
        "creditText": "HOLR Photo Desk",
    }
    assert four_by_three == {**share, "url": f"{SITE}{renditions.crops[0].url}", "width": 1200, "height": 900}
    assert square == {**share, "url": f"{SITE}{renditions.crops[1].url}", "width": 1200, "height": 1200}
    assert (full["url"], full["width"], full["height"]) == (f"{SITE}{renditions.largest.url}", 1000, 600)
    for image in (share, four_by_three, square):  # made on save: there, at the declared size
        name = image["url"].removeprefix(SITE + default_storage.url(""))
        with default_storage.open(name) as stored, PILImage.open(stored) as crop:
            assert crop.size == (image["width"], image["height"])


def test_article_page_has_breadcrumbs(client, story):
    crumbs = graph(read(client, story.get_absolute_url()))["BreadcrumbList"]

    assert [(item["position"], item["name"], item["item"]) for item in crumbs["itemListElement"]] == [
        (1, "HOLR Magazine", f"{SITE}/"),
        (2, "World", f"{SITE}/sections/world/"),
        (3, "Putin hosts Xi in Moscow", f"{SITE}/articles/putin-hosts-xi/"),
    ]


def test_unsigned_article_without_image_or_section_still_has_valid_json_ld(client):
    article = make_article(title="Editorial")

    nodes = graph(read(client, article.get_absolute_url()))

    assert nodes["NewsArticle"]["author"] == [{"@id": f"{SITE}/#publisher"}]
    assert "image" not in nodes["NewsArticle"] and "articleSection" not in nodes["NewsArticle"]
    assert len(nodes["BreadcrumbList"]["itemListElement"]) == 2


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    """A "</script>" in a headline stays inside the JSON: escaped as json_script does."""
    title = '</script><script>alert("x")</script> & <!-- Putin'
    article = make_article(title=title, dek="</script>")

    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["@graph"][0]["headline"] == title
    assert "<script>alert" not in content


def test_home_has_website_json_ld_with_a_search_action(client):
    make_article()

    nodes = graph(read(client, reverse("articles:home")))

    website = nodes["WebSite"]
    assert website["url"] == f"{SITE}/" and website["name"] == "HOLR Magazine"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{SITE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert nodes["Organization"]["logo"]["url"] == f"{SITE}/static/images/logo.png"


def test_publisher_logo_is_a_png_of_the_declared_size():
    path = finders.find(LOGO["path"])
    with PILImage.open(path) as logo:
        assert (logo.format, logo.size) == ("PNG", (LOGO["width"], LOGO["height"]))


def test_article_page_has_opengraph_and_twitter_cards_with_the_share_crop(client, story):
    page = read(client, story.get_absolute_url())
    share = story.lead_image.renditions.share

    assert page.property("og:type") == ["article"]
    assert page.property("og:title") == ["Putin hosts Xi in Moscow"]
    assert page.property("og:description") == ["A state visit days after the ICC warrant."]
    assert page.property("og:url") == [f"{SITE}/articles/putin-hosts-xi/"]
    assert page.property("og:image") == [f"{SITE}{share.url}"]
    assert (page.property("og:image:width"), page.property("og:image:height")) == (["1200"], ["630"])
    assert page.property("og:image:alt") == ["Two leaders shake hands"]
    assert page.property("article:published_time") == [story.published_at.isoformat()]
    assert page.property("article:modified_time") == [max(story.updated_at, story.published_at).isoformat()]
    assert page.property("article:section") == ["World"]
    assert page.property("article:author") == [f"{SITE}/authors/mira-patel/", f"{SITE}/authors/tom-ng/"]
    assert page.property("article:tag") == [
        "Vladimir Putin",
        "Xi Jinping",
        "Moscow",
        "Xi's 2023 state visit to Moscow",
    ]
    assert page.property("twitter:card") == ["summary_large_image"]
    assert page.property("twitter:image") == [f"{SITE}{share.url}"]
    # The crop was made on save, not per request: the file is already there at 1200×630.
    with (
        default_storage.open(share.url.removeprefix(default_storage.url(""))) as stored,
        PILImage.open(stored) as crop,
    ):
        assert crop.size == (1200, 630)


def test_other_pages_have_site_cards(client, story):
    home = read(client, reverse("articles:home"))
    tag = read(client, "/people/xi-jinping/")

    assert home.property("og:type") == ["website"] and home.property("og:title") == ["HOLR Magazine"]
    assert tag.property("og:title") == tag.property("twitter:title") == ["Xi Jinping"]
    assert tag.property("og:url") == [f"{SITE}/people/xi-jinping/"]


def card(page):
    """What a social network shows: title, description, image (URL, type, size, alt) and card kind."""
    names = (
        "og:title",
        "og:description",
        "og:image",
        "og:image:type",
        "og:image:width",
        "og:image:height",
        "og:image:alt",
        "twitter:card",
        "twitter:title",
        "twitter:description",
        "twitter:image",
        "twitter:image:alt",
    )
    values = {name: page.property(name) for name in names}
    assert all(len(value) == 1 for value in values.values()), values
    return {name: value[0] for name, value in values.items()}


def test_the_home_page_shares_as_its_lead_story_with_the_site_description(client, story):
    older = make_article(
        lead_image=make_image(alt="An older picture"), published_at=timezone.now() - timedelta(days=2)
    )
    share = story.lead_image.renditions.share

    assert card(read(client, reverse("articles:home"))) == {
        "og:title": "HOLR Magazine",
        "twitter:title": "HOLR Magazine",
        "og:description": "HOLR Magazine: news, culture and ideas.",
        "twitter:description": "HOLR Magazine: news, culture and ideas.",
        "og:image": f"{SITE}{share.url}",
        "twitter:image": f"{SITE}{share.url}",
        "og:image:type": "image/jpeg",
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": "Two leaders shake hands",
        "twitter:image:alt": "Two leaders shake hands",
        "twitter:card": "summary_large_image",
    }
    assert older.lead_image.renditions.share.url not in card(read(client, "/?page=1"))["og:image"]


def test_a_tag_page_shares_as_its_newest_story_with_a_picture_and_its_own_description(client, story):
    make_article(people=["Xi Jinping"], title="Newest, without a picture")
    tag = story.people.get(name="Xi Jinping")
    tag.description = "General Secretary of the Chinese Communist Party since 2012."
    tag.save()

    shared = card(read(client, "/people/xi-jinping/"))

    assert shared["og:description"] == shared["twitter:description"] == tag.description
    assert shared["og:image"] == f"{SITE}{story.lead_image.renditions.share.url}"
    assert shared["og:image:alt"] == "Two leaders shake hands"


def test_section_and_author_pages_describe_themselves(client, story):
    author = story.authors.get(slug="mira-patel")
    author.bio = "Mira Patel covers Russia and China."
    author.save()

    assert (
        card(read(client, "/authors/mira-patel/"))["og:description"] == "Mira Patel covers Russia and China."
    )
    assert card(read(client, "/sections/world/"))["og:description"] == (
        "Section: World. Articles from HOLR Magazine."
    )


def test_a_page_without_any_picture_shares_the_site_card(client):
    section = make_section(name="Letters", slug="letters")
    make_article(section=section)

    shared = card(read(client, "/sections/letters/"))

    assert shared["og:image"] == shared["twitter:image"] == f"{SITE}/static/images/share-card.png"
    assert (shared["og:image:type"], shared["og:image:width"], shared["og:image:height"]) == (
        "image/png",
        "1200",
        "630",
    )
    assert shared["og:image:alt"] == "HOLR Magazine"
    assert shared["twitter:card"] == "summary_large_image"
    with PILImage.open(finders.find("images/share-card.png")) as default_card:
        assert (default_card.format, default_card.size) == ("PNG", (1200, 630))


@pytest.mark.parametrize("path", ["/", "/people/xi-jinping/", "/sections/world/", "/authors/mira-patel/"])
def test_share_cards_cost_no_queries(client, story, path, django_assert_num_queries):
    """The card is built from the articles the listing loaded anyway: same count with or without a picture."""
    client.get(path)
    with CaptureQueriesContext(connection) as with_picture:
        assert story.lead_image.renditions.share.url in client.get(path).content.decode()
    queries = len(with_picture.captured_queries)  # now: the next request empties the log
    story.lead_image = None
    story.save()
    client.get(path)
    with django_assert_num_queries(queries):
        assert "share-card.png" in client.get(path).content.decode()


def test_social_and_structured_data_cost_no_queries(client, story, django_assert_num_queries):
    """Cards and JSON-LD reuse what the view loaded: the article page keeps its 6 queries (test_views.py)."""
    url = story.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)


def canonical(page):
    return [link["href"] for link in page.links if link.get("rel") == "canonical"]


def test_paginated_pages_past_the_first_are_noindex_with_their_own_canonical(client):
    section = make_section(slug="world")
    for n in range(25):
        make_article(
            section=section, people=["Xi Jinping"], published_at=timezone.now() - timedelta(minutes=n + 1)
        )

    for path in ("/", "/sections/world/", "/people/xi-jinping/"):
        first, second = read(client, path), read(client, f"{path}?page=2")
        assert first.property("robots") == [], path
        assert second.property("robots") == ["noindex, follow"], path
        assert canonical(first) == [f"{SITE}{path}"]
        assert canonical(second) == [f"{SITE}{path}?page=2"]


def test_every_public_page_has_one_canonical_url(client, story):
    for path in (
        "/",
        story.get_absolute_url(),
        "/people/",
        "/people/xi-jinping/",
        "/sections/world/",
        "/authors/mira-patel/",
    ):
        assert canonical(read(client, path)) == [f"{SITE}{path}"], path


def test_noindex_meta_follows_the_context_flag():
    """Any view can keep its page out of search results with noindex=True (the search page does)."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/search/")
    html = render_to_string("base.html", {"noindex": True}, request=request)
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "noindex" not in render_to_string("base.html", {}, request=request)


def test_lead_image_is_a_picture_with_avif_webp_and_a_high_priority_jpeg(client, story):
    page = read(client, story.get_absolute_url())
    renditions = story.lead_image.renditions

    sources = [attrs for tag, attrs in page.tags if tag == "source"]
    img = next(
        attrs for tag, attrs in page.tags if tag == "img" and attrs.get("alt") == "Two leaders shake hands"
    )
    assert [source["type"] for source in sources] == ["image/avif", "image/webp"]
    assert sources[0]["srcset"] == renditions.avif_srcset
    assert sources[0]["sizes"] == sources[1]["sizes"] == img["sizes"] == "(min-width: 76rem) 71rem, 100vw"
    assert img["src"].endswith(".jpg") and img["srcset"] == renditions.jpeg_srcset
    assert (img["width"], img["height"]) == ("1000", "600")
    assert img["fetchpriority"] == "high" and "loading" not in img


@pytest.mark.parametrize("code, tag", [("en-gb", "en-GB"), ("fr-ca", "fr-CA")])
def test_page_language_comes_from_language_code(client, settings, story, code, tag):
    """<html lang> on pages, the 500 and the 503 pages, and JSON-LD inLanguage all follow LANGUAGE_CODE."""
    settings.LANGUAGE_CODE = code
    page = client.get(story.get_absolute_url()).content.decode()
    error_pages = [server_error(RequestFactory().get("/")), service_unavailable()]

    assert page.startswith(f'<!doctype html>\n<html lang="{code}">')
    for response in error_pages:
        assert response.content.decode().startswith(f'<!doctype html>\n<html lang="{code}">')
    parser = HeadParser()
    parser.feed(page)
    assert graph(parser)["NewsArticle"]["inLanguage"] == tag
    assert graph(read(client, reverse("articles:home")))["WebSite"]["inLanguage"] == tag
