"""Hostile markup typed into any field never reaches a page, feed, JSON-LD block or admin page as live markup.

The payloads are tests/fixtures/xss.txt. Each page is parsed (tests/markup.py): no
script but ours, no on* attribute, no javascript:/data: URL, no iframe/svg/style…
tests/browser/test_xss.py checks in Chromium that none of them runs.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from articles.models import Article, Author, Event, Person, Place
from images.models import Image
from richtext.sanitizer import sanitize_html
from tests.hostile_content import PAYLOADS, make_hostile_magazine
from tests.markup import live_markup, live_markup_in_feed
from tests.surfaces import FEED, JSON, SITEMAP, all_surfaces, sitemap_locations, walk


def test_corpus_has_at_least_fifty_payloads_that_are_live_markup_unescaped():
    """The corpus is big enough, and the checker does see most payloads as live when unescaped."""
    assert len(PAYLOADS) >= 50
    live = [payload for payload in PAYLOADS if live_markup(f"<p>{payload}</p>")]
    assert len(live) >= 50, len(live)


def test_feed_check_sees_what_a_feed_reader_would_run():
    """Until the feeds are merged they 404 here; this shows their check can fail."""
    escaped_once = b"<rss><channel><item><description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>"
    escaped_twice = b"<rss><channel><item><description>&amp;lt;img src=x onerror=alert(1)&amp;gt;</description></item></channel></rss>"
    xhtml = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">'
        b'<div xmlns="http://www.w3.org/1999/xhtml"><a href="javascript:alert(1)">x</a></div></content></entry></feed>'
    )
    assert live_markup_in_feed(escaped_once) and live_markup_in_feed(xhtml)
    assert live_markup_in_feed(escaped_twice) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitized_body_keeps_no_live_markup(payload):
    assert live_markup(sanitize_html(payload)) == []


def problems_in(response, kind):
    if kind == FEED:
        return live_markup_in_feed(response.content)
    if kind == JSON:
        # JSON is never rendered as a page (application/json, nosniff); only its HTML fields are markup.
        bodies = html_fields(json.loads(response.content))
        return [problem for html in bodies for problem in live_markup(html)]
    if kind == SITEMAP:
        return [
            loc for loc in sitemap_locations(response.content) if not loc.startswith(("http://", "https://"))
        ]
    return live_markup(response.content.decode())


def html_fields(data):
    """Every article body in an API response."""
    if isinstance(data, dict):
        own = [data["body"]] if "body" in data else []
        return own + [html for value in data.values() for html in html_fields(value)]
    if isinstance(data, list):
        return [html for value in data for html in html_fields(value)]
    return []


class HostileMagazineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.articles = make_hostile_magazine()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def assertInert(self, url, response, kind="html"):
        self.assertEqual(response.status_code, 200, url)
        problems = problems_in(response, kind)
        self.assertEqual(problems, [], f"live markup on {url}")

    def test_reader_surfaces_carry_no_live_markup(self):
        """Home, articles (with their JSON-LD), tag pages and indexes, authors, sections, feeds, sitemaps, search."""
        self.assertEqual(Article.objects.published().count(), len(PAYLOADS))
        walked = 0
        for surface, response in walk(self.client, all_surfaces(search_terms=["window", "<script>"])):
            self.assertInert(surface.url, response, surface.kind)
            walked += 1
        self.assertGreater(walked, 4 * len(PAYLOADS))

    def test_article_page_shows_the_payload_as_text(self):
        """Escaping, not dropping: the title a hostile editor typed is shown to readers as typed."""
        article = self.articles[0]
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "&lt;script&gt;window.__xss()&lt;/script&gt;")

    def test_admin_pages_carry_no_live_markup(self):
        """Article changelist and change forms, image admin, tag admins, author admin."""
        self.client.force_login(self.editor)
        urls = [
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_changelist") + "?p=2",
            reverse("admin:articles_article_changelist") + "?q=script",
            reverse("admin:images_image_changelist"),
            reverse("admin:articles_author_changelist"),
            reverse("admin:articles_section_changelist"),
        ]
        urls += [
            reverse(f"admin:articles_{model._meta.model_name}_changelist") for model in (Person, Place, Event)
        ]
        urls += [reverse("admin:articles_article_change", args=[article.pk]) for article in self.articles]
        # Every article's form (its readonly previews show the image's alt text and
        # credit too); a sample of the other forms, which show their fields the same way.
        urls += [
            reverse("admin:images_image_change", args=[pk])
            for pk in Image.objects.values_list("pk", flat=True)[::5]
        ]
        for model in (Person, Place, Event, Author):
            urls += [
                reverse(f"admin:articles_{model._meta.model_name}_change", args=[pk])
                for pk in model.objects.values_list("pk", flat=True)[::9]
            ]
        for url in urls:
            self.assertInert(url, self.client.get(url))
