"""Corrections and updates on articles: added by editors in the article admin, shown at the
end of the article newest first, carried by JSON-LD, moving dateModified, the feed entry and
the sitemap lastmod, kept in revisions, never stale in the page cache."""

import json
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleNote, NoteKind, Status
from revisions.diff import compare
from revisions.models import Revision
from revisions.recording import record_revision
from tests.builders import make_article, make_user
from tests.test_admin import article_data

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def at(day, hour=12):
    return timezone.make_aware(datetime(2025, 12, day, hour, 0))


def published_story(**overrides):
    fields = {"title": "Talks in Moscow", "slug": "talks", "published_at": at(1, 9)}
    fields.update(overrides)
    article = make_article(**fields)
    record_revision(article)  # as the save's on-commit callback would, outside a test transaction
    return article


def json_ld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    return next(node for node in json.loads(block)["@graph"] if node["@type"] == "NewsArticle")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_data(article, notes=(), **overrides):
    """The change form's POST, unchanged, with these notes as new inline rows."""
    data = article_data(
        title=article.title,
        slug=article.slug,
        dek=article.dek,
        body=article.body,
        status=article.status,
        published_at_0=f"{timezone.localtime(article.published_at):%Y-%m-%d}" if article.published_at else "",
        published_at_1=f"{timezone.localtime(article.published_at):%H:%M:%S}" if article.published_at else "",
        based_on_revision=str(Revision.objects.latest_for(article.pk).number),
    )
    data["notes-TOTAL_FORMS"] = str(len(notes))
    for index, (kind, noted_at, text) in enumerate(notes):
        local = timezone.localtime(noted_at)
        data[f"notes-{index}-kind"] = kind
        data[f"notes-{index}-noted_at_0"] = local.strftime("%Y-%m-%d")
        data[f"notes-{index}-noted_at_1"] = local.strftime("%H:%M:%S")
        data[f"notes-{index}-text"] = text
    data.update(overrides)
    return data


# Reading ---------------------------------------------------------------------------------


def test_notes_show_at_the_end_of_the_article_newest_first(client):
    article = published_story()
    ArticleNote.objects.create(
        article=article,
        kind=NoteKind.CORRECTION,
        noted_at=at(3),
        text="An earlier version misstated the length of the talks.",
    )
    ArticleNote.objects.create(
        article=article, kind=NoteKind.UPDATE, noted_at=at(4), text="Adds the reply from the Kremlin."
    )

    html = client.get(article.get_absolute_url()).content.decode()

    notes = html.split('<section class="article__notes"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<strong>(\w+), <time[^>]*>([^<]+)</time>:</strong> ([^<]+)</li>", notes) == [
        ("Update", "4 December 2025", "Adds the reply from the Kremlin."),
        ("Correction", "3 December 2025", "An earlier version misstated the length of the talks."),
    ]
    assert html.index('class="article__body') < html.index("article__notes") < html.index("article__footer")


def test_an_article_without_notes_has_no_notes_section(client):
    assert "article__notes" not in client.get(published_story().get_absolute_url()).content.decode()


def test_note_text_is_shown_as_text_never_as_markup(client):
    article = published_story()
    hostile = '<script>alert(1)</script><b onclick="x">'
    ArticleNote.objects.create(article=article, noted_at=at(3), text=hostile)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=&quot;x&quot;&gt;" in html
    assert "<script>alert(1)" not in html


# What machines read ----------------------------------------------------------------------


def test_json_ld_carries_notes_as_correction_comments_and_date_modified_moves(client):
    article = published_story()
    before = json_ld(client.get(article.get_absolute_url()).content.decode())
    note = ArticleNote.objects.create(article=article, noted_at=at(3), text="Misstated the length.")

    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert "correction" not in before
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "name": "Correction",
            "text": "Misstated the length.",
            "datePublished": note.noted_at.isoformat(),
        }
    ]
    article.refresh_from_db()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert datetime.fromisoformat(data["dateModified"]) > datetime.fromisoformat(before["dateModified"])


def sitemap_lastmod(client, article):
    root = ElementTree.fromstring(client.get("/sitemap-articles.xml").content)
    for url in root.findall("sm:url", NS):
        if url.findtext("sm:loc", namespaces=NS).endswith(article.get_absolute_url()):
            return url.findtext("sm:lastmod", namespaces=NS)
    raise AssertionError("article not in the sitemap")


def test_a_note_moves_the_feed_entry_and_the_sitemap_lastmod(client):
    three_days_ago = timezone.now() - timedelta(days=3)
    article = published_story(published_at=three_days_ago)
    article.__class__.objects.filter(pk=article.pk).update(updated_at=three_days_ago)
    before = sitemap_lastmod(client, article)

    ArticleNote.objects.create(article=article, noted_at=timezone.now(), text="Corrected a name.")

    article.refresh_from_db()
    assert timezone.now() - article.updated_at < timedelta(minutes=1)
    entry = feedparser.parse(client.get(reverse("syndication:feed-atom")).content).entries[0]
    assert entry.updated_parsed[:6] == article.updated_at.utctimetuple()[:6]
    assert before == f"{three_days_ago:%Y-%m-%d}"
    assert sitemap_lastmod(client, article) == f"{article.updated_at:%Y-%m-%d}"


def test_deleting_a_note_also_moves_the_modified_time():
    article = published_story()
    note = ArticleNote.objects.create(article=article, noted_at=at(3), text="Wrong.")
    article.__class__.objects.filter(pk=article.pk).update(updated_at=at(3))

    note.delete()

    article.refresh_from_db()
    assert article.updated_at > at(3)


# Editors add them; contributors cannot ----------------------------------------------------


def test_editor_adds_a_correction_in_the_article_admin_and_readers_see_it(client):
    article = published_story()
    editor = logged_in(make_user("edna", "Editor"))

    response = editor.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_data(article, notes=[("correction", at(1, 15), "The talks lasted four hours, not three.")]),
    )

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    note = article.notes.get()
    assert (note.kind, note.noted_at) == ("correction", at(1, 15))
    assert note.text == "The talks lasted four hours, not three."
    assert "Correction, <time" in client.get(article.get_absolute_url()).content.decode()


def test_a_note_dated_in_the_future_is_a_form_error_that_keeps_what_was_typed():
    article = published_story()
    editor = logged_in(make_user("edna", "Editor"))
    tomorrow = timezone.now() + timedelta(days=1)

    response = editor.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_data(article, notes=[("update", tomorrow, "Typed words.")], title="A changed title"),
    )

    assert response.status_code == 200
    assert "cannot be dated in the future" in response.content.decode()
    assert "Typed words." in response.content.decode()
    assert response.context["adminform"].form["title"].value() == "A changed title"
    assert not ArticleNote.objects.exists()


def test_contributors_get_no_notes_inline_and_posted_notes_are_ignored():
    contributor_user = make_user("carla", "Contributor", author=True)
    draft = make_article(status=Status.DRAFT, published_at=None, authors=[contributor_user.author])
    record_revision(draft)
    contributor = logged_in(contributor_user)

    form_page = contributor.get(reverse("admin:articles_article_change", args=[draft.pk]))
    prefixes = [inline.formset.prefix for inline in form_page.context["inline_admin_formsets"]]
    response = contributor.post(
        reverse("admin:articles_article_change", args=[draft.pk]),
        change_data(draft, notes=[("correction", at(1), "Sneaked in.")]),
    )

    assert prefixes == ["author_links"]
    assert response.status_code == 302
    assert not ArticleNote.objects.exists()


def test_contributors_cannot_touch_a_published_article_or_its_notes():
    contributor_user = make_user("carla", "Contributor", author=True)
    article = published_story(authors=[contributor_user.author])
    contributor = logged_in(contributor_user)

    response = contributor.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_data(article, notes=[("correction", at(1), "Sneaked in.")]),
    )

    assert response.status_code == 403
    assert not ArticleNote.objects.exists()


# Revisions ---------------------------------------------------------------------------------


def test_notes_are_kept_in_revisions_and_compare_names_the_change():
    article = published_story()
    editor = logged_in(make_user("edna", "Editor"))
    url = reverse("admin:articles_article_change", args=[article.pk])

    editor.post(url, change_data(article, notes=[("correction", at(1, 15), "Four hours, not three.")]))

    before, after = Revision.objects.filter(article=article).order_by("number")
    assert before.notes == []
    assert after.notes == [["correction", at(1, 15).isoformat(), "Four hours, not three."]]
    row = next(row for row in compare(before, after) if row.label == "Corrections and updates")
    assert row.is_changed
    assert str(row.new) == "<ins>Correction, 1 December 2025: Four hours, not three.</ins>"
    page = editor.get(
        reverse("admin:articles_article_history_compare", args=[article.pk]),
        {"a": before.number, "b": after.number},
    )
    assert "Corrections and updates" in page.content.decode()


# Never stale ---------------------------------------------------------------------------------


@pytest.fixture(params=["cache", "database"])
def page_cache(request, settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = request.param
    return request.param


def test_a_note_added_edited_or_removed_shows_at_once_on_a_cached_article(client, page_cache):
    article = published_story()
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    note = ArticleNote.objects.create(article=article, noted_at=at(3), text="First wording.")
    assert "First wording." in client.get(url).content.decode()

    client.get(url)
    note.text = "Second wording."
    note.save()
    assert "Second wording." in client.get(url).content.decode()

    client.get(url)
    note.delete()
    assert "article__notes" not in client.get(url).content.decode()
