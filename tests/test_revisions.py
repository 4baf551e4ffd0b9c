"""Every save keeps a revision; history lists, compares and restores; no edit is lost."""

import io
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Person, Status
from revisions.models import Revision
from tests.builders import make_article
from tests.test_admin import article_data, change_url, log_in_staff

pytestmark = pytest.mark.django_db

ARTICLE_PERMISSIONS = ["add_article", "change_article", "view_article", "delete_article"]


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_history_compare", args=[article.pk])


def restore_url(article, number):
    return reverse("admin:articles_article_history_restore", args=[article.pk, number])


def editor_client(username):
    return log_in_staff(Client(), username, [*ARTICLE_PERMISSIONS, "publish_article"])


def form_data(response):
    """What the browser would post back: the change form's current values, unchanged."""
    form = response.context["adminform"].form
    data = article_data(
        title=form["title"].value(),
        slug=form["slug"].value(),
        dek=form["dek"].value(),
        body=form["body"].value(),
        status=form["status"].value(),
        people=form["people"].value()
        if isinstance(form["people"].value(), str)
        else ", ".join(sorted(t.name for t in form["people"].value())),
    )
    data["based_on_revision"] = str(form["based_on_revision"].value())
    return data


def save(client, article, **changes):
    return client.post(change_url(article), {**form_data(client.get(change_url(article))), **changes})


@pytest.fixture
def article(django_capture_on_commit_callbacks):
    """A draft with one person, saved once: revision 1 (taken on commit, tags included)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(
            title="Xi arrives in Moscow",
            slug="xi-arrives",
            status=Status.DRAFT,
            published_at=None,
            people=["Xi Jinping"],
            body="<p>The visit begins today.</p>",
        )


# Recording ---------------------------------------------------------------------------


def test_every_admin_save_keeps_a_revision_with_who_when_fields_and_tags(article):
    """A save through the admin records the user, the content fields and the tag names."""
    editor = editor_client("anna")

    response = save(editor, article, title="Xi lands in Moscow", people="Xi Jinping, Vladimir Putin")

    assert response.status_code == 302
    latest = Revision.objects.latest_for(article.pk)
    assert latest.number == 2  # the builder's create was revision 1
    assert latest.user.username == "anna"
    assert latest.title == "Xi lands in Moscow"
    assert latest.people == ["Vladimir Putin", "Xi Jinping"]
    assert latest.body == Article.objects.get(pk=article.pk).body


def test_saves_outside_the_admin_keep_revisions_too(article, django_capture_on_commit_callbacks):
    """A save from code (an import, a script) is a revision with no user, tags included."""
    with django_capture_on_commit_callbacks(execute=True):
        article.dek = "Changed by a script."
        article.save()
        article.save()  # saved twice in one transaction: one revision
        article.places.add("Moscow")

    latest = Revision.objects.latest_for(article.pk)
    assert (latest.number, latest.dek, latest.user, latest.places) == (
        2,
        "Changed by a script.",
        None,
        ["Moscow"],
    )


def test_revision_1_has_the_tags_set_after_the_first_save(article):
    assert Revision.objects.latest_for(article.pk).people == ["Xi Jinping"]


def test_imported_article_revision_has_its_tags(tmp_path, django_capture_on_commit_callbacks):
    """The importer saves, then tags, in one transaction: the revision has both."""
    from django.core.management import call_command

    source = tmp_path / "story.txt"
    source.write_text("Night market opens\n\nStalls fill the square.\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(source), "--people", "Xi Jinping", stdout=io.StringIO())

    revision = Revision.objects.get()
    assert (revision.title, revision.people, revision.user) == ("Night market opens", ["Xi Jinping"], None)


# History, compare, restore -----------------------------------------------------------


def test_history_page_lists_revisions_newest_first_with_compare_and_restore(admin_client, article):
    save(admin_client, article, title="Second title")

    response = admin_client.get(history_url(article))

    html = response.content.decode()
    assert response.status_code == 200
    assert [r.number for r in response.context["revisions"]] == [2, 1]
    assert f'action="{compare_url(article)}"' in html
    assert restore_url(article, 1) in html
    assert restore_url(article, 2) not in html  # the current one needs no restoring


def test_change_form_links_to_the_history(admin_client, article):
    assert history_url(article) in admin_client.get(change_url(article)).content.decode()


def test_compare_shows_title_dek_body_and_tags_side_by_side(admin_client, article):
    save(
        admin_client,
        article,
        title="Xi lands in Moscow",
        body="<p>The visit begins tonight.</p>",
        people="Xi Jinping, Vladimir Putin",
    )

    response = admin_client.get(compare_url(article), {"a": 1, "b": 2})

    assert response.status_code == 200
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["Title"].is_changed and "<del>arrives</del>" in rows["Title"].old
    assert "<ins>lands</ins>" in rows["Title"].new
    assert rows["Body"].is_changed and "<del>today.</del>" in rows["Body"].old
    assert "<ins>tonight.</ins>" in rows["Body"].new
    assert rows["People"].is_changed and "<ins>Vladimir Putin</ins>" in rows["People"].new
    assert not rows["Dek"].is_changed and not rows["Places"].is_changed


@pytest.mark.parametrize("query", [{}, {"a": "x", "b": "1"}, {"a": "-1", "b": "2"}, {"a": "1"}])
def test_compare_with_bad_revision_numbers_is_a_message_not_an_error(admin_client, article, query):
    response = admin_client.get(compare_url(article), query)

    assert response.status_code == 302
    assert response["Location"] == history_url(article)


def test_compare_with_unknown_revision_is_404(admin_client, article):
    assert admin_client.get(compare_url(article), {"a": 1, "b": 99}).status_code == 404


def test_restore_makes_a_new_revision_and_keeps_history(admin_client, article):
    """Restoring revision 1 brings back its words and tags as revision 3; 1 and 2 stay."""
    save(admin_client, article, title="Wrong title", people="Vladimir Putin")

    confirm = admin_client.get(restore_url(article, 1))
    response = admin_client.post(restore_url(article, 1))

    assert confirm.status_code == 200 and "Restore revision 1" in confirm.content.decode()
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Xi arrives in Moscow"
    assert [p.name for p in article.people.all()] == ["Xi Jinping"]
    numbers = list(Revision.objects.filter(article=article).values_list("number", "title", "comment"))
    assert numbers == [
        (3, "Xi arrives in Moscow", "Restored revision 1"),
        (2, "Wrong title", ""),
        (1, "Xi arrives in Moscow", ""),
    ]


def test_restore_does_not_change_publishing_state(admin_client, django_capture_on_commit_callbacks):
    """Restoring a draft-era revision of a live article keeps it published."""
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(status=Status.DRAFT, published_at=None, title="Draft words")
    save(admin_client, article, status=Status.PUBLISHED, title="Live words")

    admin_client.post(restore_url(article, 1))

    article.refresh_from_db()
    assert (article.title, article.status) == ("Draft words", Status.PUBLISHED)


def test_restore_maps_a_merged_tag_name_to_the_tag_it_became(
    admin_client, django_capture_on_commit_callbacks
):
    """A revision naming a typo tag since merged away restores the kept tag, not the typo."""
    from articles.vocabularies import VOCABULARIES
    from editorial.tag_merging import merge_tags

    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(people=["Bladimir Putin"])
    keep = Person.objects.create(name="Vladimir Putin")
    merge_tags(VOCABULARIES["people"], keep, Person.objects.filter(name="Bladimir Putin"))
    save(admin_client, article, people="")

    admin_client.post(restore_url(article, 1))

    assert [p.name for p in article.people.all()] == ["Vladimir Putin"]
    assert not Person.objects.filter(name="Bladimir Putin").exists()


def test_restore_is_refused_without_change_permission(client, article):
    viewer = log_in_staff(client, "viewer", ["view_article"])

    assert viewer.post(restore_url(article, 1)).status_code == 403
    assert Revision.objects.filter(article=article).count() == 1


def test_history_is_not_shown_to_anonymous_visitors(client, article):
    response = client.get(history_url(article))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Concurrent edits ---------------------------------------------------------------------


def test_stale_form_is_refused_with_what_changed_and_the_text_kept(article):
    """B opened the form before A saved: B's save is refused, B's words stay in the form."""
    anna, boris = editor_client("anna"), editor_client("boris")
    boris_form = form_data(boris.get(change_url(article)))

    assert save(anna, article, title="Anna's headline", dek="Anna's dek.").status_code == 302
    response = boris.post(
        change_url(article), {**boris_form, "body": "<p>Boris typed this.</p>", "title": "Boris's headline"}
    )

    assert response.status_code == 200  # the form again, not a redirect
    html = unescape(response.content.decode())
    assert "Not saved: anna saved this article" in html
    assert "Anna's headline" in html and "Anna's dek." in html  # what changed
    form = response.context["adminform"].form
    assert form["title"].value() == "Boris's headline"  # what Boris typed is kept
    assert form["body"].value() == "<p>Boris typed this.</p>"
    article.refresh_from_db()
    assert article.title == "Anna's headline"  # Anna's save stands


def test_saving_again_after_the_warning_goes_through_and_keeps_both_versions(article):
    anna, boris = editor_client("anna"), editor_client("boris")
    boris_form = form_data(boris.get(change_url(article)))
    save(anna, article, title="Anna's headline")
    refused = boris.post(change_url(article), {**boris_form, "title": "Boris's headline"})

    again = boris.post(
        change_url(article),
        {
            **boris_form,
            "title": "Boris's headline",
            "based_on_revision": refused.context["adminform"].form["based_on_revision"].value(),
        },
    )

    assert again.status_code == 302
    titles = list(Revision.objects.filter(article=article).values_list("title", flat=True))
    assert titles[:2] == ["Boris's headline", "Anna's headline"]


def test_form_of_the_latest_revision_saves(admin_client, article):
    """No false alarms: a form opened after the last save saves."""
    assert save(admin_client, article, title="One").status_code == 302
    assert save(admin_client, article, title="Two").status_code == 302


# Deleting -----------------------------------------------------------------------------


def test_contributor_cannot_delete_even_with_a_crafted_post(client, article):
    """Deleting is for editors: a non-editor's delete page and crafted POSTs are refused."""
    contributor = log_in_staff(client, "contributor", ARTICLE_PERMISSIONS)
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])

    assert contributor.get(delete_url).status_code == 403
    assert contributor.post(delete_url, {"post": "yes"}).status_code == 403
    contributor.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_editor_deletes_after_confirming(article):
    editor = editor_client("editor")
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])

    confirm = editor.get(delete_url)
    assert confirm.status_code == 200 and "Are you sure" in confirm.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()  # asking deletes nothing

    assert editor.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("token", ["-1", "abc", "99999999999999999999"])
def test_crafted_revision_token_is_a_form_error_not_a_500(admin_client, article, token):
    response = admin_client.post(
        change_url(article),
        {**form_data(admin_client.get(change_url(article))), "based_on_revision": token, "title": "Kept"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form["title"].value() == "Kept"
    assert Article.objects.get(pk=article.pk).title == "Xi arrives in Moscow"


def test_view_only_staff_can_read_the_article_and_its_history(client, article):
    viewer = log_in_staff(client, "viewer", ["view_article"])

    page = viewer.get(change_url(article))
    history = viewer.get(history_url(article))

    assert page.status_code == 200 and "Xi arrives in Moscow" in page.content.decode()
    assert "based_on_revision" not in page.content.decode()  # nothing to save, nothing to guard
    assert history.status_code == 200
    assert restore_url(article, 1) not in history.content.decode()


def test_bulk_publish_action_keeps_a_revision_credited_to_the_editor(
    article, django_capture_on_commit_callbacks
):
    editor = editor_client("anna")

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [article.pk]},
        )

    latest = Revision.objects.latest_for(article.pk)
    assert (latest.number, latest.status, latest.user.username) == (2, Status.PUBLISHED, "anna")
