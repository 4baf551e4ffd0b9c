"""Editorial roles in the admin: each role against each action (README "Roles").

Roles: anonymous, contributor (own draft / own article in review / someone else's),
editor, superuser. Actions: add, edit, submit, publish, schedule, unpublish, delete,
bulk actions. Preview and share links are in test_previews.py.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Status
from tests.builders import make_article, make_author, make_user
from tests.test_admin import ADD_URL, CHANGELIST_URL, article_data, change_url, split_datetime

pytestmark = pytest.mark.django_db

ROLES = ["contributor", "editor", "superuser"]
KINDS = ["own_draft", "own_review", "others_draft", "published", "scheduled"]


@pytest.fixture
def people(db):
    """One user per role; the contributor and a second contributor have author profiles."""
    return {
        "contributor": make_user("carla", "Contributor", author=True),
        "other": make_user("oleg", "Contributor", author=True),
        "editor": make_user("edith", "Editor"),
        "superuser": make_user("root", "superuser"),
    }


@pytest.fixture
def articles(people):
    carla, oleg = people["contributor"].author, people["other"].author
    return {
        "own_draft": make_article(
            title="Carla's draft", status=Status.DRAFT, published_at=None, authors=[carla]
        ),
        "own_review": make_article(
            title="Carla's review", status=Status.REVIEW, published_at=None, authors=[carla]
        ),
        "others_draft": make_article(
            title="Oleg's draft", status=Status.DRAFT, published_at=None, authors=[oleg]
        ),
        "published": make_article(title="Carla's published", authors=[carla]),
        "scheduled": make_article(
            title="Carla's scheduled", published_at=timezone.now() + timedelta(days=2), authors=[carla]
        ),
    }


def log_in(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


def form_data(article, **overrides):
    """The change form as posted back unchanged, with overrides."""
    data = article_data(
        title=article.title, slug=article.slug, dek=article.dek, body=article.body, status=article.status
    )
    if article.published_at:
        data.update(split_datetime(article.published_at))
    data.update(overrides)
    return data


def action(client, name, *targets):
    response = client.post(
        CHANGELIST_URL, {"action": name, "_selected_action": [str(a.pk) for a in targets]}, follow=True
    )
    return [str(message) for message in response.context["messages"]] if response.context else []


def fresh(article):
    return Article.objects.get(pk=article.pk)


# The groups ----------------------------------------------------------------------------


def test_migration_creates_contributor_and_editor_groups_with_their_permissions():
    """Contributors may add and change but not publish or delete; editors may do both."""
    contributor = set(Group.objects.get(name="Contributor").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article", "view_article", "add_image"} <= contributor
    assert not {"publish_article", "delete_article", "change_person", "change_section"} & contributor
    assert {
        "publish_article",
        "delete_article",
        "change_person",
        "delete_person",
        "change_section",
        "change_author",
        "add_previewlink",
        "change_previewlink",
    } <= editor


def test_roles_migration_reverses_by_removing_the_groups():
    """Migrating back before 0002_roles removes the two groups (and forward makes them again)."""
    migration = import_module("articles.migrations.0002_roles")

    migration.remove_roles(apps, None)
    assert not Group.objects.filter(name__in=["Contributor", "Editor"]).exists()
    migration.create_roles(apps, None)
    assert Group.objects.filter(name__in=["Contributor", "Editor"]).count() == 2


# Add ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("contributor", 200), ("editor", 200), ("superuser", 200)]
)
def test_who_may_open_the_add_form(client, people, role, status):
    """Anonymous visitors are sent to the login page; every role may add articles."""
    response = log_in(client, people, role).get(ADD_URL)

    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("admin:login"))


def test_contributor_adds_a_draft_and_joins_its_byline(client, people):
    """A contributor's new article is a draft with them as an author, so it is theirs to edit."""
    log_in(client, people, "contributor").post(ADD_URL, article_data())

    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.status == Status.DRAFT
    assert list(article.authors.all()) == [people["contributor"].author]
    assert client.get(change_url(article)).context["has_change_permission"] is True


def test_contributor_without_author_profile_gets_one_when_adding(client):
    """A contributor with no author profile gets one, named after them, linked to their account."""
    user = make_user("nina", "Contributor", first_name="Nina", last_name="Sokolova")
    client.force_login(user)

    client.post(ADD_URL, article_data())

    author = Author.objects.get(user=user)
    assert author.name == "Nina Sokolova"
    assert list(Article.objects.get(slug="xi-arrives-in-moscow").authors.all()) == [author]


def test_a_new_author_profile_takes_a_free_slug(client):
    """Two contributors with one name get "nina-sokolova" and "nina-sokolova-2" (articles/slugs.py)."""
    make_author(name="Nina Sokolova", slug="nina-sokolova")
    client.force_login(make_user("nina", "Contributor", first_name="Nina", last_name="Sokolova"))

    client.post(ADD_URL, article_data())

    assert Author.objects.get(user__username="nina").slug == "nina-sokolova-2"


def test_contributor_status_choices_are_draft_and_review(client, people):
    """The status choices a contributor sees are the ones they may set."""
    form = log_in(client, people, "contributor").get(ADD_URL).context["adminform"].form

    assert [value for value, _ in form.fields["status"].choices] == [Status.DRAFT, Status.REVIEW]
    assert "published_at" not in form.fields  # scheduling is an editor's


def test_contributor_cannot_add_a_published_article_by_crafted_post(client, people):
    """Posting status=published on the add form is a form error; nothing is stored."""
    response = log_in(client, people, "contributor").post(ADD_URL, article_data(status=Status.PUBLISHED))

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.filter(slug="xi-arrives-in-moscow").exists()


# Edit ---------------------------------------------------------------------------------------

EDIT_RULES = [
    ("contributor", "own_draft", True),
    ("contributor", "own_review", False),
    ("contributor", "others_draft", False),
    ("contributor", "published", False),
    ("contributor", "scheduled", False),
    *[(role, kind, True) for role in ("editor", "superuser") for kind in KINDS],
]


@pytest.mark.parametrize("role, kind, allowed", EDIT_RULES)
def test_who_may_edit_which_article(client, people, articles, role, kind, allowed):
    """Contributors edit only their own drafts (a crafted POST elsewhere is a 403); editors edit all."""
    article = articles[kind]
    log_in(client, people, role)

    page = client.get(change_url(article))
    response = client.post(change_url(article), form_data(article, title="A new headline"))

    assert page.status_code == 200  # everyone on staff may read it
    assert page.context["has_change_permission"] is allowed
    if allowed:
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert fresh(article).title == "A new headline"
    else:
        assert response.status_code == 403
        assert fresh(article).title == article.title


def test_anonymous_cannot_edit(client, articles):
    """An anonymous POST to a change form is sent to log in and changes nothing."""
    article = articles["own_draft"]

    response = client.post(change_url(article), form_data(article, title="A new headline"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert fresh(article).title == article.title


def test_contributor_stays_in_the_byline_of_their_draft(client, people, articles):
    """Removing themselves from the byline would hand the draft away; they stay in it."""
    article = articles["own_draft"]
    link = article.author_links.get()
    data = form_data(
        article,
        **{
            "author_links-TOTAL_FORMS": "1",
            "author_links-INITIAL_FORMS": "1",
            "author_links-0-id": str(link.pk),
            "author_links-0-article": str(article.pk),
            "author_links-0-author": str(link.author_id),
            "author_links-0-position": "0",
            "author_links-0-DELETE": "on",
        },
    )

    response = log_in(client, people, "contributor").post(change_url(article), data)

    assert response.status_code == 302
    assert list(fresh(article).authors.all()) == [people["contributor"].author]


# Submit for review -------------------------------------------------------------------------------


def test_contributor_submits_own_draft_and_can_no_longer_edit_it(client, people, articles):
    """Saving with "Ready for review" submits the draft; from then on it is read-only to them."""
    article = articles["own_draft"]
    log_in(client, people, "contributor")

    client.post(change_url(article), form_data(article, status=Status.REVIEW))

    assert fresh(article).status == Status.REVIEW
    response = client.post(
        change_url(article), form_data(article, title="Second thoughts", status=Status.DRAFT)
    )
    assert response.status_code == 403
    assert fresh(article).status == Status.REVIEW


def test_editor_sends_an_article_back_to_draft_and_the_contributor_may_edit_again(client, people, articles):
    """An editor moving an article from review to draft gives it back to its contributor."""
    article = articles["own_review"]
    log_in(client, people, "editor").post(change_url(article), form_data(article, status=Status.DRAFT))
    client.force_login(people["contributor"])

    response = client.post(change_url(article), form_data(article, title="Revised", status=Status.DRAFT))

    assert response.status_code == 302
    assert fresh(article).title == "Revised"


def test_submit_action_submits_own_drafts_and_refuses_the_rest(client, people, articles):
    """The bulk submit action changes only the contributor's drafts and names each refusal."""
    log_in(client, people, "contributor")

    messages = action(
        client, "submit_for_review", articles["own_draft"], articles["others_draft"], articles["own_review"]
    )

    assert fresh(articles["own_draft"]).status == Status.REVIEW
    assert fresh(articles["others_draft"]).status == Status.DRAFT
    assert messages == [
        "Submitted 1 article for review.",
        "Refused 2 articles: “Oleg's draft” is not yours; “Carla's review” is not a draft (In review).",
    ]


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_submit_anyones_drafts(client, people, articles, role):
    log_in(client, people, role)

    messages = action(client, "submit_for_review", articles["others_draft"], articles["published"])

    assert fresh(articles["others_draft"]).status == Status.REVIEW
    assert fresh(articles["published"]).status == Status.PUBLISHED
    assert messages == [
        "Submitted 1 article for review.",
        "Refused 1 article: “Carla's published” is not a draft (Published).",
    ]


# Publish and schedule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, status_code", [("own_draft", 200), ("own_review", 403), ("others_draft", 403)]
)
def test_contributor_cannot_publish_by_crafted_post(client, people, articles, kind, status_code):
    """A crafted status=published never publishes: a form error on their own draft, else a 403."""
    article = articles[kind]

    response = log_in(client, people, "contributor").post(
        change_url(article), form_data(article, status=Status.PUBLISHED)
    )

    assert response.status_code == status_code
    if status_code == 200:
        assert "status" in response.context["adminform"].form.errors
    assert fresh(article).status == article.status
    assert fresh(article).published_at is None


def test_contributor_cannot_schedule_by_crafted_publication_time(client, people, articles):
    """A publication time posted by a contributor is ignored: only editors schedule."""
    article = articles["own_draft"]
    when = timezone.now() + timedelta(days=1)

    log_in(client, people, "contributor").post(
        change_url(article), form_data(article, status=Status.REVIEW, **split_datetime(when))
    )

    assert fresh(article).status == Status.REVIEW
    assert fresh(article).published_at is None


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editors_publish_now_and_schedule(client, people, articles, role):
    """Editors publish at once (empty time) or schedule (a future time) from the form."""
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    log_in(client, people, role)

    client.post(
        change_url(articles["own_review"]), form_data(articles["own_review"], status=Status.PUBLISHED)
    )
    client.post(
        change_url(articles["others_draft"]),
        form_data(articles["others_draft"], status=Status.PUBLISHED, **split_datetime(when)),
    )

    assert fresh(articles["own_review"]).is_published() is True
    scheduled = fresh(articles["others_draft"])
    assert scheduled.is_scheduled is True
    assert scheduled.published_at == when
    assert scheduled.state == f"Scheduled for {timezone.localtime(when):%-d %b %Y, %H:%M}"
    assert not Article.objects.published().filter(pk=scheduled.pk).exists()


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_publish_action_reports_published_and_refused(client, people, articles, role):
    """Publish now changes drafts, reviews and scheduled articles; already-live ones are refused by name."""
    log_in(client, people, role)

    messages = action(
        client, "publish_now", articles["own_draft"], articles["scheduled"], articles["published"]
    )

    assert fresh(articles["own_draft"]).is_published() is True
    assert fresh(articles["scheduled"]).is_published() is True
    assert messages == [
        "Published 2 articles.",
        "Refused 1 article: “Carla's published” is already published.",
    ]


# Unpublish ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_unpublish_action_moves_articles_back_to_draft(client, people, articles, role):
    """Unpublishing makes published and scheduled articles drafts again, with no publication time."""
    log_in(client, people, role)

    messages = action(
        client, "unpublish", articles["published"], articles["scheduled"], articles["others_draft"]
    )

    for kind in ("published", "scheduled"):
        article = fresh(articles[kind])
        assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert not Article.objects.published().exists()
    assert messages == [
        "Moved 2 articles back to draft.",
        "Refused 1 article: “Oleg's draft” is already a draft.",
    ]


def test_editor_unpublishes_from_the_form(client, people, articles):
    article = articles["published"]

    log_in(client, people, "editor").post(change_url(article), form_data(article, status=Status.DRAFT))

    assert fresh(article).is_published() is False


@pytest.mark.parametrize("name", ["publish_now", "unpublish", "delete_selected"])
def test_contributor_crafted_bulk_actions_change_nothing(client, people, articles, name):
    """Publish, unpublish and delete are not a contributor's actions, even when posted by hand."""
    log_in(client, people, "contributor")
    before = {a.pk: (a.status, a.published_at) for a in Article.objects.all()}

    response = client.post(
        CHANGELIST_URL,
        {"action": name, "_selected_action": [str(a.pk) for a in articles.values()], "post": "yes"},
    )

    assert response.status_code in {200, 302}
    assert {a.pk: (a.status, a.published_at) for a in Article.objects.all()} == before


def test_contributor_action_menu_offers_only_submit(client, people, articles):
    actions = (
        log_in(client, people, "contributor").get(CHANGELIST_URL).context["action_form"].fields["action"]
    )

    assert [value for value, _ in actions.choices] == ["", "submit_for_review"]


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editor_action_menu(client, people, articles, role):
    actions = log_in(client, people, role).get(CHANGELIST_URL).context["action_form"].fields["action"]

    assert [value for value, _ in actions.choices] == [
        "",
        "delete_selected",
        "publish_now",
        "unpublish",
        "submit_for_review",
    ]


# Delete ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_contributor_cannot_delete(client, people, articles, kind):
    """Not even their own draft: only editors delete. The delete view is a 403 for GET and POST."""
    article = articles[kind]
    url = reverse("admin:articles_article_delete", args=[article.pk])
    log_in(client, people, "contributor")

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_editor_deletes_after_confirmation(client, people, articles, role):
    """The delete view asks first (GET changes nothing); confirming deletes."""
    article = articles["published"]
    url = reverse("admin:articles_article_delete", args=[article.pk])
    log_in(client, people, role)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Are you sure" in confirm.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()

    client.post(url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_contributor_change_page_has_no_delete_link(client, people, articles):
    response = log_in(client, people, "contributor").get(change_url(articles["own_draft"]))

    assert 'class="deletelink"' not in response.content.decode()


# Review queue ------------------------------------------------------------------------------------------------


def test_admin_index_shows_editors_the_review_queue(client, people, articles):
    """Editors see how many articles wait for review, linked to the filtered list."""
    make_article(status=Status.REVIEW, published_at=None, authors=[make_author()])

    html = log_in(client, people, "editor").get(reverse("admin:index")).content.decode()

    assert "2 articles submitted for review" in html
    assert f'href="{CHANGELIST_URL}?status__exact=review"' in html


def test_admin_index_hides_the_review_queue_from_contributors(client, people, articles):
    html = log_in(client, people, "contributor").get(reverse("admin:index")).content.decode()

    assert "submitted for review" not in html


def test_review_filter_lists_only_articles_in_review(client, people, articles):
    response = log_in(client, people, "editor").get(f"{CHANGELIST_URL}?status__exact=review")

    assert [a.title for a in response.context["cl"].result_list] == ["Carla's review"]


def test_delete_permission_alone_does_not_make_a_deleter(client, articles):
    """A staff user given `delete_article` by hand but not the editor's publish permission still cannot delete."""
    from django.contrib.auth.models import Permission

    user = make_user("half", "Contributor", author=True)
    user.user_permissions.add(Permission.objects.get(codename="delete_article"))
    article = make_article(status=Status.DRAFT, published_at=None, authors=[user.author])
    client.force_login(user)

    assert (
        client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_written_by_me_filter_lists_the_contributors_own_articles(client, people, articles):
    response = log_in(client, people, "contributor").get(f"{CHANGELIST_URL}?mine=1")

    assert sorted(a.title for a in response.context["cl"].result_list) == [
        "Carla's draft",
        "Carla's published",
        "Carla's review",
        "Carla's scheduled",
    ]


@pytest.mark.parametrize("name", ["publish_now", "unpublish", "submit_for_review", "delete_selected"])
def test_anonymous_bulk_actions_are_sent_to_log_in(client, articles, name):
    before = {a.pk: (a.status, a.published_at) for a in Article.objects.all()}

    response = client.post(
        CHANGELIST_URL,
        {"action": name, "_selected_action": [str(a.pk) for a in articles.values()], "post": "yes"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert {a.pk: (a.status, a.published_at) for a in Article.objects.all()} == before


def test_anonymous_cannot_delete(client, articles):
    article = articles["own_draft"]

    response = client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert Article.objects.filter(pk=article.pk).exists()
