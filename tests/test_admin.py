"""The article admin: the editors' whole tool (DESIGN.md "Admin")."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Event, Person, Place, Status
from articles.tagging import parse_tags
from articles.vocabularies import VOCABULARIES
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_data(authors=(), **overrides):
    """POST data for the article add/change form, with the author inline's management form."""
    data = {
        "title": "Xi arrives in Moscow",
        "slug": "xi-arrives-in-moscow",
        "dek": "A three-day state visit begins.",
        "body": "<p>The visit begins today.</p>",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "section": "",
        "lead_image": "",
        "caption": "",
        "people": "",
        "places": "",
        "events": "",
        "author_links-TOTAL_FORMS": str(len(authors)),
        "author_links-INITIAL_FORMS": "0",
        "author_links-MIN_NUM_FORMS": "0",
        "author_links-MAX_NUM_FORMS": "1000",
        # The corrections-and-updates inline (editors see it; others' forms ignore it).
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
    }
    for index, author in enumerate(authors):
        data[f"author_links-{index}-author"] = str(author.pk)
        data[f"author_links-{index}-position"] = str(index)
    data.update(overrides)
    return data


def split_datetime(moment):
    moment = timezone.localtime(moment)
    return {"published_at_0": f"{moment:%Y-%m-%d}", "published_at_1": f"{moment:%H:%M:%S}"}


def field_value(html, name):
    """The value attribute of the text input called `name`, unescaped."""
    tag = re.search(rf'<input type="text" name="{name}"[^>]*>', html).group(0)
    return unescape(re.search(r'value="([^"]*)"', tag).group(1))


def names(manager):
    return sorted(tag.name for tag in manager.all())


def changelist_rows(response):
    """The changelist's result rows as {column: text} dicts, in display order."""
    html = response.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r'<t[dh] class="field-(\w+)[^"]*">(.*?)</t[dh]>', row, re.S)
        rows.append({name: unescape(re.sub(r"<[^>]+>", "", text)).strip() for name, text in cells})
    return rows


def log_in_staff(client, username, codenames):
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client):
    """A logged-in staff user who may add, change and view articles but not publish."""
    return log_in_staff(client, "contributor", ["add_article", "change_article", "view_article"])


@pytest.fixture
def publisher_client(client):
    """A logged-in staff user with the article permissions and `articles.publish_article`."""
    return log_in_staff(
        client, "editor", ["add_article", "change_article", "view_article", "publish_article"]
    )


# Adding and editing ---------------------------------------------------------------


def test_add_form_author_inline_uses_author_links_prefix(admin_client):
    """The add page's inline management forms use the `author_links` and `notes` prefixes the tests post."""
    response = admin_client.get(ADD_URL)

    assert response.status_code == 200
    prefixes = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert prefixes == ["author_links", "notes"]
    assert 'name="author_links-TOTAL_FORMS"' in response.content.decode()


def test_add_article_saves_every_field_and_creates_tags(admin_client):
    """Posting the add form stores the article, its byline, lead image and three tag vocabularies."""
    section = make_section(name="World", slug="world")
    author = make_author(name="Anna Petrova", slug="anna-petrova")
    image = make_image(width=320, height=180)

    response = admin_client.post(
        ADD_URL,
        article_data(
            authors=[author],
            section=str(section.pk),
            lead_image=str(image.pk),
            caption="Xi Jinping and Vladimir Putin at the Kremlin.",
            people="Vladimir Putin, Xi Jinping",
            places="Moscow",
            events="Xi's 2023 state visit to Moscow",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.title == "Xi arrives in Moscow"
    assert article.dek == "A three-day state visit begins."
    assert article.body == "<p>The visit begins today.</p>"
    assert article.status == Status.DRAFT
    assert article.section == section
    assert list(article.authors.all()) == [author]
    assert article.lead_image == image
    assert article.caption == "Xi Jinping and Vladimir Putin at the Kremlin."
    assert names(article.people) == ["Vladimir Putin", "Xi Jinping"]
    assert names(article.places) == ["Moscow"]
    assert names(article.events) == ["Xi's 2023 state visit to Moscow"]
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Vladimir Putin", "Xi Jinping"]
    assert list(Place.objects.values_list("name", flat=True)) == ["Moscow"]
    assert list(Event.objects.values_list("name", flat=True)) == ["Xi's 2023 state visit to Moscow"]


def test_people_field_keeps_full_names_whole(admin_client):
    """A single full name without a comma is one Person, not one per word."""
    response = admin_client.post(ADD_URL, article_data(people="Vladimir Putin"))

    assert response.status_code == 302
    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert names(article.people) == ["Vladimir Putin"]
    assert Person.objects.count() == 1


def test_tag_fields_reuse_existing_tags_case_insensitively(admin_client):
    """Typing an existing name in another case tags the existing Person instead of making a second."""
    make_article(people=["Vladimir Putin"], places=["Moscow"])
    putin = Person.objects.get()

    response = admin_client.post(ADD_URL, article_data(people="vladimir putin", places="MOSCOW"))

    assert response.status_code == 302
    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert list(article.people.all()) == [putin]
    assert Person.objects.count() == 1
    assert names(article.places) == ["Moscow"]
    assert Place.objects.count() == 1


def test_quoted_tag_with_comma_stays_one_tag(admin_client):
    """A double-quoted name containing a comma is one tag; the other names around it still split."""
    response = admin_client.post(ADD_URL, article_data(places='"Washington, D.C.", Moscow'))

    assert response.status_code == 302
    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert names(article.places) == ["Moscow", "Washington, D.C."]


def test_body_is_stored_sanitized_with_noopener_links(admin_client):
    """Scripts, event handlers and javascript: links are stripped; links get rel="noopener"."""
    body = (
        '<p onclick="alert(1)">Read <a href="javascript:alert(2)">this</a> and '
        '<a href="https://example.com/report" target="_blank">the report</a>.</p>'
        "<script>alert(3)</script>"
    )

    response = admin_client.post(ADD_URL, article_data(body=body))

    assert response.status_code == 302
    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.body == (
        '<p>Read <a rel="noopener">this</a> and '
        '<a href="https://example.com/report" rel="noopener">the report</a>.</p>'
    )


def test_change_form_shows_current_tags_as_comma_separated_text(admin_client):
    """The change form's tag fields hold the article's tags, comma-separated, commas quoted."""
    article = make_article(
        people=["Xi Jinping", "Vladimir Putin"],
        places=["Washington, D.C.", "Moscow"],
        events=["ICC arrest warrant for Putin"],
    )

    response = admin_client.get(change_url(article))

    html = response.content.decode()
    assert field_value(html, "people") == "Vladimir Putin, Xi Jinping"
    assert field_value(html, "events") == "ICC arrest warrant for Putin"
    # The quoted name may sort either side of Moscow; what matters is that it reads back whole.
    assert sorted(parse_tags(field_value(html, "places"))) == ["Moscow", "Washington, D.C."]
    assert '"Washington, D.C."' in field_value(html, "places")


def test_editing_tag_fields_replaces_the_tags(admin_client):
    """Saving new tag text replaces the article's tags; an emptied field removes them all."""
    article = make_article(
        title="Xi arrives in Moscow",
        slug="xi-arrives-in-moscow",
        people=["Vladimir Putin", "Xi Jinping"],
        places=["Moscow"],
        events=["Xi's 2023 state visit to Moscow"],
    )

    response = admin_client.post(
        change_url(article),
        article_data(
            status=Status.PUBLISHED,
            **split_datetime(article.published_at),
            people="Xi Jinping, Sergei Lavrov",
            places="the Kremlin",
            events="",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert names(article.people) == ["Sergei Lavrov", "Xi Jinping"]
    assert names(article.places) == ["the Kremlin"]
    assert names(article.events) == []


# Publishing -------------------------------------------------------------------------


def test_saving_as_draft_leaves_publication_time_empty(admin_client):
    """A draft saved through the admin is a draft with no publication time and is not visible."""
    admin_client.post(ADD_URL, article_data(status=Status.DRAFT))

    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.status == Status.DRAFT
    assert article.published_at is None
    assert article.is_published() is False


def test_saving_for_review(admin_client):
    """Choosing "Ready for review" stores the review status, unpublished."""
    admin_client.post(ADD_URL, article_data(status=Status.REVIEW))

    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.status == Status.REVIEW
    assert article.published_at is None
    assert article.state == "In review"


def test_publishing_with_empty_time_publishes_now(admin_client):
    """Published with no publication time: the time is filled with now and readers can see it."""
    before = timezone.now().replace(microsecond=0)  # times are kept to the second
    admin_client.post(ADD_URL, article_data(status=Status.PUBLISHED))
    after = timezone.now()

    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.status == Status.PUBLISHED
    assert before <= article.published_at <= after
    assert article.is_published() is True
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publishing_with_future_time_schedules(admin_client):
    """Published with a future time is scheduled: stored as given and not yet visible."""
    when = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)

    admin_client.post(ADD_URL, article_data(status=Status.PUBLISHED, **split_datetime(when)))

    article = Article.objects.get(slug="xi-arrives-in-moscow")
    assert article.status == Status.PUBLISHED
    assert article.published_at == when
    assert article.is_scheduled is True
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_status_choices_hide_published_without_publish_permission(staff_client):
    """A user without `publish_article` is not offered "Published" as a status."""
    response = staff_client.get(ADD_URL)

    assert response.status_code == 200
    choices = [value for value, label in response.context["adminform"].form.fields["status"].choices]
    assert choices == [Status.DRAFT, Status.REVIEW]


def test_crafted_publish_post_is_rejected_without_permission(staff_client):
    """Posting status=published without the permission is a form error; nothing is stored."""
    response = staff_client.post(ADD_URL, article_data(status=Status.PUBLISHED))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Select a valid choice. published is not one of the available choices."
    ]
    assert not Article.objects.exists()


def test_crafted_publish_post_on_a_draft_is_rejected_without_permission(staff_client):
    """Changing a draft to published without the permission fails and leaves it a draft."""
    own_author = make_author(user=User.objects.get(username="contributor"))
    article = make_article(status=Status.DRAFT, published_at=None, authors=[own_author])

    response = staff_client.post(
        change_url(article), article_data(title=article.title, slug=article.slug, status=Status.PUBLISHED)
    )

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.published_at is None


def test_scheduled_article_cannot_be_brought_forward_without_permission(staff_client):
    """Without the permission, editing a scheduled article is refused: its time cannot move into the past."""
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    article = make_article(status=Status.PUBLISHED, published_at=when)

    response = staff_client.post(
        change_url(article),
        article_data(
            title="New headline",
            slug=article.slug,
            status=Status.PUBLISHED,
            **split_datetime(timezone.now() - timedelta(days=1)),
        ),
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "New headline"
    assert article.published_at == when
    assert article.is_scheduled is True


def test_publisher_can_publish(publisher_client):
    """A staff user with `publish_article` is offered "Published" and can publish."""
    response = publisher_client.get(ADD_URL)
    choices = [value for value, label in response.context["adminform"].form.fields["status"].choices]
    assert choices == [Status.DRAFT, Status.REVIEW, Status.PUBLISHED]

    response = publisher_client.post(ADD_URL, article_data(status=Status.PUBLISHED))

    assert response.status_code == 302
    assert Article.objects.get(slug="xi-arrives-in-moscow").is_published() is True


def test_publish_action_publishes_selected_drafts(admin_client):
    """ "Publish selected articles now" publishes the chosen drafts now and leaves others alone."""
    chosen = [make_article(status=Status.DRAFT, published_at=None) for _ in range(2)]
    other = make_article(status=Status.DRAFT, published_at=None)
    before = timezone.now().replace(microsecond=0)  # times are kept to the second

    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "publish_now", "_selected_action": [str(article.pk) for article in chosen]},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == ["Published 2 articles."]
    for article in chosen:
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.published_at >= before
        assert article.is_published() is True
    other.refresh_from_db()
    assert other.status == Status.DRAFT


def test_publish_action_is_offered_only_with_permission(admin_client, staff_client):
    """The publish action is in the action menu for publishers and absent for others."""
    make_article(status=Status.DRAFT, published_at=None)

    publisher_actions = dict(admin_client.get(CHANGELIST_URL).context["action_form"].fields["action"].choices)
    staff_form = staff_client.get(CHANGELIST_URL).context["action_form"]
    # Deleting is for editors only (issue 3), so a contributor may have no action menu at all.
    staff_actions = dict(staff_form.fields["action"].choices) if staff_form else {}

    assert publisher_actions["publish_now"] == "Publish selected articles now"
    assert list(staff_actions) == ["", "submit_for_review"]


def test_crafted_publish_action_is_refused_without_permission(staff_client):
    """Posting the publish action without the permission publishes nothing."""
    draft = make_article(status=Status.DRAFT, published_at=None)

    staff_client.post(CHANGELIST_URL, {"action": "publish_now", "_selected_action": [str(draft.pk)]})

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.published_at is None


# The changelist -----------------------------------------------------------------------


def test_changelist_shows_state_section_authors_and_tags(admin_client):
    """Each row shows the article's state in words, its section, byline and a tag summary."""
    world = make_section(name="World")
    anna, boris = make_author(name="Anna Petrova"), make_author(name="Boris Ivanov")
    when = timezone.localtime(timezone.now() + timedelta(days=2))
    make_article(title="A draft", status=Status.DRAFT, published_at=None)
    make_article(title="Under review", status=Status.REVIEW, published_at=None)
    make_article(title="Later", status=Status.PUBLISHED, published_at=when)
    make_article(
        title="Out now",
        section=world,
        authors=[boris, anna],
        people=["Vladimir Putin", "Xi Jinping"],
        places=["Moscow", "the Kremlin"],
        events=["Xi's 2023 state visit to Moscow"],
    )

    rows = {row["title"]: row for row in changelist_rows(admin_client.get(CHANGELIST_URL))}

    assert rows["A draft"]["state"] == "Draft"
    assert rows["Under review"]["state"] == "In review"
    assert rows["Later"]["state"] == f"Scheduled for {when:%-d %b %Y, %H:%M}"
    assert rows["Out now"]["state"] == "Published"
    assert rows["Out now"]["section"] == "World"
    assert rows["Out now"]["byline"] == "Boris Ivanov, Anna Petrova"
    assert rows["Out now"]["tags_summary"] == "Vladimir Putin, Xi Jinping, Moscow, the Kremlin +1"
    assert rows["A draft"]["byline"] == "—"
    assert rows["A draft"]["tags_summary"] == "—"


def test_changelist_query_count_does_not_grow_with_rows(admin_client):
    """The changelist runs the same number of queries for 1 article as for 30 with tags, authors, images."""
    section = make_section()
    images = [make_image(width=320, height=180) for _ in range(2)]

    def add_articles(first, last):
        for n in range(first, last):
            make_article(
                title=f"Story {n}",
                section=section,
                lead_image=images[n % 2],
                authors=[make_author(), make_author()],
                people=[f"Person {n}", f"Person {n + 1}"],
                places=[f"Place {n}", "Moscow"],
                events=[f"Event {n}"],
            )

    add_articles(0, 1)
    admin_client.get(CHANGELIST_URL)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        response = admin_client.get(CHANGELIST_URL)
    assert len(changelist_rows(response)) == 1

    add_articles(1, 30)
    admin_client.get(CHANGELIST_URL)  # the steady state: the list's count is cached again
    with CaptureQueriesContext(connection) as thirty:
        response = admin_client.get(CHANGELIST_URL)
    assert len(changelist_rows(response)) == 30

    assert len(thirty) == len(one)


@pytest.mark.parametrize(
    "param, expected",
    [
        ("status__exact=draft", ["Draft story"]),
        ("status__exact=published", ["Moscow story", "Kremlin story"]),
        ("section__id__exact={culture}", ["Kremlin story"]),
        ("authors__id__exact={anna}", ["Moscow story", "Draft story"]),
        ("people__id__exact={putin}", ["Moscow story", "Kremlin story"]),
        ("places__id__exact={moscow}", ["Moscow story"]),
        ("events__id__exact={visit}", ["Draft story"]),
    ],
)
def test_changelist_filters_select_matching_articles(admin_client, param, expected):
    """Each list filter (status, section, authors, people, places, events) narrows the rows."""
    news, culture = make_section(name="News"), make_section(name="Culture")
    anna, boris = make_author(name="Anna"), make_author(name="Boris")
    now = timezone.now()
    make_article(
        title="Moscow story",
        section=news,
        authors=[anna],
        people=["Vladimir Putin"],
        places=["Moscow"],
        published_at=now - timedelta(hours=1),
    )
    make_article(
        title="Kremlin story",
        section=culture,
        authors=[boris],
        people=["Vladimir Putin", "Xi Jinping"],
        places=["the Kremlin"],
        published_at=now - timedelta(hours=2),
    )
    make_article(
        title="Draft story",
        section=news,
        authors=[anna, boris],
        events=["Xi's 2023 state visit to Moscow"],
        status=Status.DRAFT,
        published_at=None,
    )
    ids = {
        "culture": culture.pk,
        "anna": anna.pk,
        "putin": Person.objects.get(name="Vladimir Putin").pk,
        "moscow": Place.objects.get(name="Moscow").pk,
        "visit": Event.objects.get().pk,
    }

    response = admin_client.get(f"{CHANGELIST_URL}?{param.format(**ids)}")

    assert response.status_code == 200
    assert sorted(row["title"] for row in changelist_rows(response)) == sorted(expected)


# Tag vocabularies ------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Person, Place, Event])
def test_tag_admin_lists_article_counts(admin_client, model):
    """Each vocabulary's changelist shows how many articles carry each tag."""
    vocabulary = model.vocabulary
    make_article(**{vocabulary: ["Alpha", "Beta"]})
    make_article(**{vocabulary: ["Alpha"]})
    model.objects.create(name="Gamma", slug="gamma")

    response = admin_client.get(reverse(f"admin:articles_{model._meta.model_name}_changelist"))

    counts = {row["name"]: row["article_count"] for row in changelist_rows(response)}
    assert counts == {"Alpha": "2", "Beta": "1", "Gamma": "0"}


@pytest.mark.parametrize("model", [Person, Place, Event])
def test_tag_admin_search_finds_by_name(admin_client, model):
    """The vocabulary changelist's search box finds tags by name."""
    model.objects.create(name="Vladimir Putin", slug="vladimir-putin")
    model.objects.create(name="Xi Jinping", slug="xi-jinping")

    response = admin_client.get(reverse(f"admin:articles_{model._meta.model_name}_changelist") + "?q=putin")

    assert [row["name"] for row in changelist_rows(response)] == ["Vladimir Putin"]


@pytest.mark.parametrize("model", [Person, Place, Event])
def test_tag_admin_description_is_editable(admin_client, model):
    """An editor can write a tag's description on its change page."""
    tag = model.objects.create(name="Moscow", slug="moscow")

    response = admin_client.post(
        reverse(f"admin:articles_{model._meta.model_name}_change", args=[tag.pk]),
        {"name": "Moscow", "slug": "moscow", "description": "Russia's capital."},
    )

    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.description == "Russia's capital."


def test_taggit_own_tag_admin_is_not_registered(admin_client):
    """taggit's generic Tag admin is unregistered: HOLR's tags live in its three vocabularies."""
    assert admin.site.is_registered(Tag) is False
    assert admin_client.get("/admin/taggit/tag/").status_code == 404


# The change page -----------------------------------------------------------------------------


def test_change_page_links_to_view_on_site(admin_client):
    """The change page has a "View on site" link that leads to the article's public URL."""
    article = make_article(slug="xi-in-moscow")

    response = admin_client.get(change_url(article))

    match = re.search(r'<a href="([^"]+)" class="viewsitelink">View on site</a>', response.content.decode())
    assert match is not None
    redirect = admin_client.get(match.group(1))
    assert redirect.status_code == 302
    assert redirect["Location"] == "http://testserver/articles/xi-in-moscow/"


def test_change_page_shows_word_count_and_reading_time(admin_client):
    """The change page states the body's length in words and minutes of reading."""
    article = make_article(body="<p>" + " ".join(["word"] * 461) + "</p>")

    response = admin_client.get(change_url(article))

    assert response.status_code == 200
    assert '<div class="readonly">461 words · 3 min read</div>' in response.content.decode()


@pytest.mark.parametrize("field", ["people", "places", "events"])
def test_overlong_tag_name_is_a_form_error_and_keeps_what_was_typed(admin_client, field):
    """A 101-character name is refused with a message (not a database error); the rest of the form stays filled."""
    long_name = "N" * 101
    response = admin_client.post(
        ADD_URL, article_data(title="Kept title", dek="Kept dek", **{field: f"Moscow, {long_name}"})
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert errors == [
        f"“{'N' * 40}…” is 101 characters long; a {VOCABULARIES[field].singular}'s name may have at most 100."
    ]
    content = response.content.decode()
    assert 'value="Kept title"' in content
    assert "Kept dek" in content
    assert long_name in content
    assert not Article.objects.exists()


def test_null_character_in_a_field_is_a_form_error(admin_client):
    """A NUL byte (which PostgreSQL cannot store) is refused by the form, not by the database."""
    response = admin_client.post(ADD_URL, article_data(title="Bad\x00title", people="Vladimir\x00Putin"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "title" in form.errors and "people" in form.errors
    assert not Article.objects.exists()
