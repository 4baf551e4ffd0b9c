"""Previews of unpublished work: the change form's Preview button and share links."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Person, PreviewLink, Status
from tests.builders import make_article, make_author, make_image, make_user
from tests.test_admin import article_data, change_url

pytestmark = pytest.mark.django_db

ADD_PREVIEW_URL = reverse("admin:articles_article_preview_add")


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def share_url(article):
    return reverse("admin:articles_article_share_link_add", args=[article.pk])


def revoke_url(link):
    return reverse("admin:articles_article_share_link_revoke", args=[link.article_id, link.pk])


@pytest.fixture
def contributor(db):
    return make_user("carla", "Contributor", author=True)


@pytest.fixture
def editor(db):
    return make_user("edith", "Editor")


@pytest.fixture
def draft(contributor):
    return make_article(
        title="Carla's draft",
        slug="carlas-draft",
        status=Status.DRAFT,
        published_at=None,
        authors=[contributor.author],
        people=["Xi Jinping"],
    )


def make_link(article, **overrides):
    fields = {"article": article, "expires_at": timezone.now() + timedelta(days=7)}
    fields.update(overrides)
    return PreviewLink.objects.create(**fields)


# The change form's Preview button ---------------------------------------------------------------------


def test_change_form_has_a_preview_button_that_opens_a_new_tab(client, contributor, draft):
    """The button submits the same form to the preview view, in a new tab, with no script."""
    client.force_login(contributor)

    html = client.get(change_url(draft)).content.decode()

    button = re.search(r'<input type="submit" value="Preview"[^>]*>', html).group(0)
    assert f'formaction="{preview_url(draft)}"' in button
    assert 'formtarget="_blank"' in button


def test_read_only_change_page_has_no_preview_button(client, contributor):
    """Someone who may not change an article cannot preview edits to it."""
    article = make_article(status=Status.DRAFT, published_at=None, authors=[make_author()])
    client.force_login(contributor)

    html = client.get(change_url(article)).content.decode()

    assert 'value="Preview"' not in html


def test_preview_shows_the_unsaved_form_and_saves_nothing(client, contributor, draft):
    """Title, body, tags, authors and lead image come from the form; the database is untouched."""
    guest = make_author(name="Boris Guest")
    image = make_image(width=320, height=180, alt="The long table")
    before = Article.objects.get(pk=draft.pk)
    client.force_login(contributor)

    response = client.post(
        preview_url(draft),
        article_data(
            authors=[contributor.author, guest],
            title="An unsaved headline",
            slug=draft.slug,
            body="<p>Unsaved words.</p><script>alert(1)</script>",
            people="Xi Jinping, Vladimir Putin",
            places="Moscow",
            lead_image=str(image.pk),
            caption="Unsaved caption",
        ),
    )

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert '<h1 class="article__title">An unsaved headline</h1>' in html
    assert "Preview of unsaved changes (Draft): nothing has been saved." in html
    assert "Unsaved words." in html and "<script>alert(1)" not in html
    assert "Vladimir Putin" in html and "Moscow" in html
    assert "Carla" in html and "Boris Guest" in html
    assert 'alt="The long table"' in html and "Unsaved caption" in html
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert "noindex" in response["X-Robots-Tag"]
    after = Article.objects.get(pk=draft.pk)
    assert (after.title, after.body, after.lead_image_id, after.updated_at) == (
        before.title,
        before.body,
        before.lead_image_id,
        before.updated_at,
    )
    assert sorted(p.name for p in after.people.all()) == ["Xi Jinping"]
    assert not Person.objects.filter(name="Vladimir Putin").exists()
    assert ArticleAuthor.objects.filter(article=draft).count() == 1


def test_preview_of_a_new_article_creates_nothing(client, contributor):
    """Previewing the add form writes no article, tag or author link."""
    client.force_login(contributor)

    response = client.post(ADD_PREVIEW_URL, article_data(title="Brand new", people="Xi Jinping"))

    assert response.status_code == 200
    assert "Brand new" in response.content.decode()
    assert "Carla" in response.content.decode()  # the contributor's byline, as saving would make it
    assert not Article.objects.exists()
    assert not Person.objects.exists()


def test_preview_with_form_errors_says_what_is_wrong(client, contributor, draft):
    """An invalid form gives a 400 listing the problems; nothing is saved."""
    client.force_login(contributor)

    response = client.post(preview_url(draft), article_data(title="", slug=draft.slug))

    assert response.status_code == 400
    html = response.content.decode()
    assert "The preview could not be made" in html
    assert "Title: This field is required." in html
    assert Article.objects.get(pk=draft.pk).title == "Carla's draft"


def test_contributor_cannot_preview_as_published_by_crafted_post(client, contributor, draft):
    """The preview validates as saving does: a contributor's status=published is an error."""
    client.force_login(contributor)

    response = client.post(preview_url(draft), article_data(slug=draft.slug, status=Status.PUBLISHED))

    assert response.status_code == 400


@pytest.mark.parametrize(
    "whose, status", [("others", Status.DRAFT), ("own", Status.REVIEW), ("own", Status.PUBLISHED)]
)
def test_contributor_cannot_preview_edits_to_what_they_may_not_edit(client, contributor, whose, status):
    """Someone else's article, or their own once submitted or published: a 403."""
    author = contributor.author if whose == "own" else make_author()
    article = make_article(status=status, authors=[author])
    client.force_login(contributor)

    assert client.post(preview_url(article), article_data(slug=article.slug)).status_code == 403


def test_anonymous_preview_post_is_sent_to_log_in(client, draft):
    response = client.post(preview_url(draft), article_data(slug=draft.slug))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_url_opened_directly_leads_back_to_the_form(client, editor, draft):
    client.force_login(editor)

    response = client.get(preview_url(draft))

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)


@pytest.mark.parametrize("role", ["Editor", "superuser"])
def test_editor_previews_changes_to_a_published_article(client, role):
    """A live article's unsaved edits preview with the banner; readers still see the saved text."""
    article = make_article(title="Live headline")
    client.force_login(make_user("boss", role))

    response = client.post(
        preview_url(article),
        article_data(title="Corrected headline", slug=article.slug, status=Status.PUBLISHED),
    )

    assert "Corrected headline" in response.content.decode()
    assert "Preview of unsaved changes" in response.content.decode()
    client.logout()
    assert "Live headline" in client.get(article.get_absolute_url()).content.decode()


def test_staff_preview_an_unpublished_article_at_its_url(client, contributor, draft):
    """Staff with the article view permission read an unpublished article at its address, marked as a preview."""
    client.force_login(contributor)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Not published." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_without_the_article_view_permission_cannot_read_drafts(client):
    """`is_staff` alone is not enough: the draft, and its old address, are 404 as for a reader."""
    article = make_article(slug="was-live")
    article.slug, article.status = "back-to-draft", Status.DRAFT
    article.save()  # leaves a redirect from the published address it had
    old_address = reverse("articles:detail", kwargs={"slug": "was-live"})

    client.force_login(make_user("clerk"))  # staff, in no group and with no permission
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(old_address).status_code == 404

    client.force_login(make_user("desk", "Contributor"))  # has articles.view_article
    assert client.get(article.get_absolute_url()).status_code == 200
    response = client.get(old_address)
    assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())


def test_staff_without_article_permissions_cannot_preview_in_the_admin(client, draft):
    """The admin's Preview of a form needs the add or change permission, not just `is_staff`."""
    client.force_login(make_user("clerk"))

    add = client.post(reverse("admin:articles_article_preview_add"), article_data(title="Leak"))
    change = client.post(preview_url(draft), article_data(title="Leak", slug=draft.slug))

    assert (add.status_code, change.status_code) == (403, 403)
    assert "Carla" not in change.content.decode()


# Share links ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Editor", "superuser"])
def test_editor_makes_a_share_link_on_site_url_lasting_seven_days_by_default(client, draft, role, settings):
    editor = make_user("boss", role)
    client.force_login(editor)
    page = client.get(change_url(draft))
    default_day = page.context["share_link_form"]["expires_on"].value()
    assert default_day == timezone.localdate() + timedelta(days=7)

    response = client.post(
        share_url(draft), {"share-note": "Fact-check, Anna", "share-expires_on": default_day.isoformat()}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(draft) + "#share-links"
    link = PreviewLink.objects.get()
    assert (link.article, link.note, link.created_by) == (draft, "Fact-check, Anna", editor)
    assert timezone.localtime(link.expires_at).date() == default_day
    assert timezone.localtime(link.expires_at).strftime("%H:%M:%S") == "23:59:59"
    settings.SITE_URL = "https://magazine.example"
    html = client.get(change_url(draft)).content.decode()
    # Built on SITE_URL (articles/links.py), never on the Host the editor happened to use.
    assert f'value="https://magazine.example{link.get_absolute_url()}"' in html
    assert "testserver" not in html
    assert "Fact-check, Anna" in html


def test_share_link_opens_the_unpublished_article_without_an_account(client, draft):
    """No session needed; the page is marked noindex, never stored and leaks no referrer."""
    link = make_link(draft)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Carla&#x27;s draft" in html or "Carla's draft" in html
    assert "not published yet" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert link.get_absolute_url().startswith("/preview/")


def test_share_link_page_query_budget(client, draft, django_assert_max_num_queries):
    """A warm share-link page stays within the article page's budget (6)."""
    link = make_link(draft)
    client.get(link.get_absolute_url())

    with django_assert_max_num_queries(6):
        client.get(link.get_absolute_url())


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda link: link.get_absolute_url().replace("/preview/", "/preview/x"), id="tampered"),
        pytest.param(
            lambda link: reverse("editorial:preview", kwargs={"token": f"{link.pk + 1}:forged"}), id="forged"
        ),
        pytest.param(
            lambda link: PreviewLink.objects.filter(pk=link.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
            and link.get_absolute_url(),
            id="expired",
        ),
        pytest.param(
            lambda link: PreviewLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
            and link.get_absolute_url(),
            id="revoked",
        ),
        pytest.param(
            lambda link: PreviewLink.objects.filter(pk=link.pk).delete() and link.get_absolute_url(),
            id="deleted",
        ),
    ],
)
def test_bad_share_links_are_404(client, draft, spoil):
    link = make_link(draft)

    assert client.get(spoil(link)).status_code == 404


def test_share_link_token_signed_for_another_purpose_is_404(client, draft):
    """A value signed with the same key but another salt does not open a preview."""
    from django.core import signing

    link = make_link(draft)

    assert (
        client.get(reverse("editorial:preview", kwargs={"token": signing.dumps(link.pk)})).status_code == 404
    )


def test_share_link_to_a_published_article_leads_to_its_page(client, draft):
    link = make_link(draft)
    Article.objects.filter(pk=draft.pk).update(status=Status.PUBLISHED, published_at=timezone.now())

    response = client.get(link.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_editor_revokes_a_share_link(client, editor, draft):
    link = make_link(draft)
    client.force_login(editor)

    assert client.get(revoke_url(link)).status_code == 404  # only by POST
    response = client.post(revoke_url(link))

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404
    client.force_login(editor)
    assert "Revoked" in client.get(change_url(draft)).content.decode()


@pytest.mark.parametrize(
    "day, message",
    [
        (lambda today: today - timedelta(days=1), "Choose today or a later day."),
        (lambda today: today + timedelta(days=366), "A share link can last at most 365 days."),
        (lambda today: "next Tuesday", "Enter a valid date."),
    ],
)
def test_bad_expiry_is_refused_with_a_message_and_keeps_the_note(client, editor, draft, day, message):
    client.force_login(editor)
    value = day(timezone.localdate())
    value = value.isoformat() if hasattr(value, "isoformat") else value

    response = client.post(
        share_url(draft), {"share-note": "For Anna", "share-expires_on": value}, follow=True
    )

    assert not PreviewLink.objects.exists()
    assert [str(m) for m in response.context["messages"]] == [f"No share link was made: {message}"]
    assert response.context["share_link_form"]["note"].value() == "For Anna"


def test_contributor_cannot_make_list_or_revoke_share_links(client, contributor, draft):
    link = make_link(draft)
    client.force_login(contributor)

    html = client.get(change_url(draft)).content.decode()
    assert 'id="share-links"' not in html
    assert (
        client.post(share_url(draft), {"share-expires_on": timezone.localdate().isoformat()}).status_code
        == 403
    )
    assert client.post(revoke_url(link)).status_code == 403
    assert PreviewLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


def test_anonymous_cannot_make_share_links(client, draft):
    response = client.post(share_url(draft), {"share-expires_on": timezone.localdate().isoformat()})

    assert response.status_code == 302
    assert not PreviewLink.objects.exists()


def test_preview_of_a_new_article_to_publish_now_shows_todays_date(client, editor):
    """A new article previewed as "Published" with no time shows the time saving would give it."""
    client.force_login(editor)

    response = client.post(ADD_PREVIEW_URL, article_data(status=Status.PUBLISHED))

    assert response.status_code == 200
    assert f"{timezone.localtime():%-d %B %Y}" in response.content.decode()
    assert not Article.objects.exists()


def test_previews_carry_no_share_cards_or_structured_data(client, editor, draft):
    """Share cards and JSON-LD are for published work; previews leave them out."""
    client.force_login(editor)
    form_preview = client.post(preview_url(draft), article_data(slug=draft.slug)).content.decode()
    client.logout()
    shared = client.get(make_link(draft).get_absolute_url()).content.decode()

    for html in (form_preview, shared):
        assert "application/ld+json" not in html
        assert 'property="og:title"' not in html
