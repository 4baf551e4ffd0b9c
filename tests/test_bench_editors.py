"""bench/editors.py: the load benchmarks' editors submit the admin's forms as a browser would."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from bench.editors import FormFields
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def submitted(client, url, **changes):
    parser = FormFields("article_form")
    parser.feed(client.get(url).content.decode())
    fields = [(name, value) for name, value in parser.fields if name not in changes]
    data = {}
    for name, value in [*fields, *changes.items()]:
        data.setdefault(name, []).append(value)
    return client.post(url, {**data, "_continue": "Save"})


def test_resubmitted_change_form_changes_only_what_the_editor_changed(admin_client):
    """A published article's change form, read by FormFields and sent back with a new dek,
    keeps its address, time, section, status, tags and body: the save the editing benchmark
    counts as "an edit that moves nothing"."""
    # Whole seconds, as `populate` makes them: the admin's date and time fields have no
    # microseconds, so a form resubmitted unchanged moves a time that has some.
    published_at = timezone.now().replace(microsecond=0) - timedelta(days=1)
    article = make_article(
        people=["Ada Lovelace", "Grace Hopper"], places=["London"], published_at=published_at
    )
    before = Article.objects.get(pk=article.pk)
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = submitted(admin_client, url, dek="A new dek.")

    assert response.status_code == 302
    after = Article.objects.get(pk=article.pk)
    assert after.dek == "A new dek."
    assert (after.slug, after.published_at, after.section_id, after.status, after.body) == (
        before.slug,
        before.published_at,
        before.section_id,
        before.status,
        before.body,
    )
    assert sorted(after.people.names()) == ["Ada Lovelace", "Grace Hopper"]
    assert list(after.places.names()) == ["London"]


def test_textarea_value_loses_the_newline_after_its_start_tag_as_in_browsers():
    parser = FormFields("f")
    parser.feed('<form id="f"><textarea name="body">\n&lt;p&gt;Text&lt;/p&gt;\n</textarea></form>')

    assert parser.fields == [("body", "<p>Text</p>\n")]


def test_only_the_named_form_and_what_a_browser_sends_are_read():
    """Unchecked boxes, buttons, file inputs and other forms are not submitted."""
    parser = FormFields("f")
    parser.feed(
        '<form id="other"><input name="q" value="x"></form>'
        '<form id="f"><input name="title" value="T"><input type="checkbox" name="off">'
        '<input type="checkbox" name="on" checked><input type="submit" name="go" value="Go">'
        '<input type="file" name="upload"><select name="status"><option value="draft">'
        '<option value="published" selected></select></form>'
    )

    assert parser.fields == [("title", "T"), ("on", "on"), ("status", "published")]
