"""Editors fix tags: merge typos into the right tag, rename safely; old tag addresses 301."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Person, Place, Status, TagRedirect
from articles.vocabularies import VOCABULARIES
from editorial.tag_merging import merge_tags
from holr.signals import content_changed
from revisions.models import Revision
from tests.builders import make_article

pytestmark = pytest.mark.django_db

PEOPLE = VOCABULARIES["people"]
CHANGELIST = reverse("admin:articles_person_changelist")
SUGGEST = reverse("admin:articles_person_suggest")


def tag_url(slug, vocabulary="people"):
    return reverse("articles:tag", kwargs={"vocabulary": vocabulary, "slug": slug})


def staff(client, username, codenames):
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    client.force_login(user)
    return client


@pytest.fixture
def editor(client):
    return staff(client, "editor", ["view_person", "change_person", "delete_person", "publish_article"])


@pytest.fixture
def contributor(client):
    return staff(
        client,
        "contributor",
        ["view_person", "change_person", "delete_person", "add_article", "change_article"],
    )


@pytest.fixture
def typo():
    """A real newsroom typo: two articles on "Bladimir Putin", one of them also on the right tag."""
    right = make_article(people=["Vladimir Putin"])
    both = make_article(people=["Vladimir Putin", "Bladimir Putin"])
    wrong = make_article(people=["Bladimir Putin", "V. Putin"])
    return {
        "right": right,
        "both": both,
        "wrong": wrong,
        "keep": Person.objects.get(name="Vladimir Putin"),
        "others": list(Person.objects.filter(name__in=["Bladimir Putin", "V. Putin"])),
    }


def people(article):
    return sorted(tag.name for tag in Article.objects.get(pk=article.pk).people.all())


def merge_post(client, tags, keep=None):
    data = {"action": "merge_selected", "_selected_action": [t.pk for t in tags]}
    if keep is not None:
        data.update(apply="1", keep=keep.pk)
    return client.post(CHANGELIST, data)


# Merging ------------------------------------------------------------------------------


def test_editor_merges_typos_into_the_kept_tag(editor, typo):
    """Articles are re-tagged, duplicates collapse, merged tags are gone."""
    tags = [typo["keep"], *typo["others"]]

    confirm = merge_post(editor, tags)
    response = merge_post(editor, tags, keep=typo["keep"])

    assert confirm.status_code == 200 and "Keep this one" in confirm.content.decode()
    assert "V. Putin (1 article)" in confirm.content.decode()  # ngettext, not a hand-rolled plural
    assert "Vladimir Putin (2 articles)" in confirm.content.decode()
    assert response.status_code == 302
    assert people(typo["right"]) == people(typo["both"]) == people(typo["wrong"]) == ["Vladimir Putin"]
    assert list(Person.objects.values_list("name", flat=True)) == ["Vladimir Putin"]


def test_merged_tags_addresses_301_to_the_kept_tag(client, typo):
    merge_tags(PEOPLE, typo["keep"], typo["others"])

    for old in ("bladimir-putin", "v-putin"):
        response = client.get(tag_url(old))
        assert (response.status_code, response["Location"]) == (301, tag_url("vladimir-putin"))
    assert client.get(tag_url("vladimir-putin")).status_code == 200


def test_merged_tags_feeds_301_to_the_kept_tags_feeds(client, typo):
    merge_tags(PEOPLE, typo["keep"], typo["others"])

    for suffix in ("feed/", "feed/atom/"):
        response = client.get(tag_url("bladimir-putin") + suffix)
        assert (response.status_code, response["Location"]) == (301, tag_url("vladimir-putin") + suffix)
    assert client.get(tag_url("nobody-ever") + "feed/").status_code == 404


def test_merge_sends_content_changed_and_records_revisions(typo):
    received = []

    def listener(sender, **kwargs):
        received.append(sender)

    content_changed.connect(listener)
    try:
        merge_tags(PEOPLE, typo["keep"], typo["others"])
    finally:
        content_changed.disconnect(listener)

    assert received == [Person]
    comments = Revision.objects.filter(article=typo["wrong"]).values_list("comment", "people")
    assert list(comments)[0] == (
        "Merged “Bladimir Putin”, “V. Putin” into “Vladimir Putin”",
        ["Vladimir Putin"],
    )


def test_merge_keeps_an_empty_description_filled_from_a_merged_tag(typo):
    typo["others"][0].description = "Russia's president."
    typo["others"][0].save()

    merge_tags(PEOPLE, typo["keep"], typo["others"])

    assert Person.objects.get().description == "Russia's president."


def test_merging_a_merged_tag_again_collapses_the_chain(client):
    """A merged into B, then B into C: A's address goes straight to C."""
    make_article(people=["A Person", "B Person", "C Person"])
    a, b, c = (Person.objects.get(name=f"{x} Person") for x in "ABC")
    merge_tags(PEOPLE, b, [a])
    merge_tags(PEOPLE, c, [b])

    assert client.get(tag_url("a-person"))["Location"] == tag_url("c-person")
    assert set(TagRedirect.objects.values_list("old_slug", "new_slug")) == {
        ("a-person", "c-person"),
        ("b-person", "c-person"),
    }


def test_non_editor_cannot_merge_even_with_a_crafted_post(contributor, typo):
    """Without the editors' permission the action is not offered and a crafted POST merges nothing."""
    tags = [typo["keep"], *typo["others"]]

    actions = contributor.get(CHANGELIST).context["action_form"]
    merge_post(contributor, tags, keep=typo["keep"])

    assert actions is None or "merge_selected" not in dict(actions.fields["action"].choices)
    assert Person.objects.count() == 3
    assert people(typo["wrong"]) == ["Bladimir Putin", "V. Putin"]


def test_keep_must_be_one_of_the_selected_tags(editor, typo):
    """A crafted POST keeping a tag outside the selection is refused; nothing changes."""
    outsider = Person.objects.create(name="Someone Else")

    response = merge_post(editor, typo["others"], keep=outsider)

    assert response.status_code == 200
    assert "Pick one of the selected" in response.content.decode()
    assert Person.objects.count() == 4


def test_merging_needs_two_tags(editor, typo):
    response = merge_post(editor, [typo["keep"]], keep=typo["keep"])

    assert response.status_code == 302
    assert Person.objects.count() == 3


# Renaming -----------------------------------------------------------------------------


def test_renaming_a_tag_keeps_its_old_address_as_a_301(editor, client):
    make_article(people=["Bladimir Putin"])
    tag = Person.objects.get()

    response = editor.post(
        reverse("admin:articles_person_change", args=[tag.pk]),
        {"name": "Vladimir Putin", "slug": "vladimir-putin", "description": ""},
    )

    assert response.status_code == 302
    assert client.get(tag_url("bladimir-putin"))["Location"] == tag_url("vladimir-putin")


def test_renaming_back_makes_no_cycle(client):
    make_article(places=["Kyiv"])
    place = Place.objects.get()
    for slug in ("kiev", "kyiv"):
        place.slug = slug
        place.save()

    assert client.get(tag_url("kyiv", "places")).status_code == 200
    assert client.get(tag_url("kiev", "places"))["Location"] == tag_url("kyiv", "places")
    assert list(TagRedirect.objects.values_list("old_slug", flat=True)) == ["kiev"]


@pytest.mark.parametrize("status", [Status.DRAFT, "scheduled"])
def test_a_renamed_tag_known_only_from_unpublished_work_does_not_leak_its_new_name(client, status):
    """Old addresses of the tag and of its feeds are 404, as the tag page itself is, until it is published."""
    if status == "scheduled":
        article = make_article(people=["Code Name"], published_at=timezone.now() + timedelta(days=1))
    else:
        article = make_article(people=["Code Name"], status=status)
    tag = Person.objects.get()
    tag.name, tag.slug = "Real Name", "real-name"
    tag.save()
    old_feed = reverse("syndication:tag-feed", kwargs={"vocabulary": "people", "slug": "code-name"})

    assert client.get(tag_url("code-name")).status_code == 404
    assert client.get(old_feed).status_code == 404

    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    assert client.get(tag_url("code-name"))["Location"] == tag_url("real-name")
    assert client.get(old_feed)["Location"] == reverse(
        "syndication:tag-feed", kwargs={"vocabulary": "people", "slug": "real-name"}
    )


def test_rename_sends_content_changed():
    make_article(people=["Bladimir Putin"])
    received = []
    content_changed.connect(lambda sender, **kw: received.append(sender), weak=False, dispatch_uid="t")
    try:
        tag = Person.objects.get()
        tag.name, tag.slug = "Vladimir Putin", "vladimir-putin"
        tag.save()
    finally:
        content_changed.disconnect(dispatch_uid="t")

    assert received == [Person]


def test_renaming_onto_another_tags_name_says_to_merge(editor):
    Person.objects.create(name="Vladimir Putin")
    typo = Person.objects.create(name="Bladimir Putin")

    response = editor.post(
        reverse("admin:articles_person_change", args=[typo.pk]),
        {"name": "vladimir putin", "slug": "vladimir-putin-2", "description": ""},
    )

    assert response.status_code == 200
    assert "Merge selected" in response.content.decode()
    assert Person.objects.get(pk=typo.pk).name == "Bladimir Putin"


def test_deleting_a_tag_drops_redirects_to_it(client):
    make_article(people=["Old Name"])
    tag = Person.objects.get()
    tag.slug = "new-name"
    tag.save()
    tag.delete()

    assert not TagRedirect.objects.exists()
    assert client.get(tag_url("old-name")).status_code == 404


# Suggestions --------------------------------------------------------------------------


def test_suggestions_list_names_that_start_with_the_text_first(contributor):
    for name in ["Vladimir Putin", "Ivan Vladimirov", "Xi Jinping", "Vladislav Surkov"]:
        Person.objects.create(name=name)

    response = contributor.get(SUGGEST, {"q": "vlad"})

    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == [
        "Vladimir Putin",
        "Vladislav Surkov",
        "Ivan Vladimirov",
    ]


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "%", "'; DROP TABLE", "\u0000"])
def test_suggestions_answer_any_query_without_error(contributor, query):
    response = contributor.get(SUGGEST, {"q": query})

    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_anonymous_visitor_gets_no_suggestions(client):
    Person.objects.create(name="Vladimir Putin")

    response = client.get(SUGGEST, {"q": "vla"})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert b"Vladimir" not in response.content


def test_staff_without_article_or_tag_permission_gets_403(client):
    Person.objects.create(name="Vladimir Putin")
    staff(client, "nobody", [])

    response = client.get(SUGGEST, {"q": "vla"})

    assert response.status_code == 403
    assert b"Vladimir" not in response.content


def test_article_form_tag_fields_carry_the_suggestion_endpoint(admin_client):
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()

    for key in VOCABULARIES:
        assert (
            f'data-suggest-url="{reverse(f"admin:articles_{VOCABULARIES[key].model._meta.model_name}_suggest")}"'
            in html
        )
    assert "js/tag-autocomplete.js" in html
