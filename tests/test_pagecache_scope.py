"""What retires cached pages: a change no reader can see retires nothing (issue 12)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleAuthor, ArticleNote, Person, PreviewLink, Status
from holr.signals import content_changed
from pagecache import versions
from revisions.models import Revision
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["cache", "database"])
def page_cache(request, settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = request.param
    return request.param


def token():
    return versions.current()[0].token


def served_from_cache(client, url):
    client.get(url)
    response = client.get(url)
    return response["X-Page-Cache"] == "hit"


def test_saving_a_draft_again_and_again_retires_no_cached_page(client, page_cache):
    make_article(title="Out already")
    draft = make_article(title="Work in progress", status=Status.DRAFT, published_at=None, people=["Ada"])
    assert served_from_cache(client, "/")
    before = token()

    for n in range(3):
        draft.title, draft.dek, draft.body = f"Draft {n}", f"Dek {n}", f"<p>Body {n}</p>"
        draft.save()
        draft.people.set(["Ada", f"New person {n}"])
        draft.places.add("Nowhere")
        draft.status = Status.REVIEW
        draft.save()

    assert token() == before
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_rows_hanging_off_a_draft_retire_nothing(client, page_cache, admin_user):
    draft = make_article(status=Status.DRAFT, published_at=None)
    author = make_author()  # an author's own save retires pages (bylines show it)
    before = token()

    ArticleAuthor.objects.create(article=draft, author=author, position=0)
    note = ArticleNote.objects.create(article=draft, text="Fixed a name.")
    note.delete()
    expires_at = timezone.now() + timedelta(days=1)
    PreviewLink.objects.create(article=draft, created_by=admin_user, expires_at=expires_at)
    Revision.objects.filter(article=draft).delete()
    draft.people.clear()

    assert token() == before


def test_deleting_a_draft_retires_nothing(page_cache):
    draft = make_article(status=Status.DRAFT, published_at=None, people=["Grace"], authors=[make_author()])
    before = token()
    draft.delete()
    assert token() == before


def test_editing_a_scheduled_article_at_the_same_time_retires_nothing(page_cache):
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
    before = token()
    scheduled.title = "Embargoed, rewritten"
    scheduled.save()
    scheduled.people.add("Xi Jinping")
    assert token() == before


def test_scheduling_a_draft_bumps_so_the_schedule_knows_its_time(client, page_cache, monkeypatch):
    start = timezone.now()
    draft = make_article(title="Embargoed story", status=Status.DRAFT, published_at=None)
    monkeypatch.setattr(timezone, "now", lambda: start)
    assert served_from_cache(client, "/")

    draft.status, draft.published_at = Status.PUBLISHED, start + timedelta(hours=1)
    draft.save()
    assert served_from_cache(client, "/")  # retired once; still not visible

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=1))
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Embargoed story" in response.content.decode()


def test_moving_a_scheduled_time_earlier_is_seen_at_the_new_time(client, page_cache, monkeypatch):
    start = timezone.now()
    scheduled = make_article(title="Embargoed story", published_at=start + timedelta(hours=3))
    monkeypatch.setattr(timezone, "now", lambda: start)
    assert served_from_cache(client, "/")

    scheduled.published_at = start + timedelta(hours=1)
    scheduled.save()
    assert served_from_cache(client, "/")

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(hours=1, seconds=1))
    assert "Embargoed story" in client.get("/").content.decode()


def test_moving_a_scheduled_time_later_or_unscheduling_retires_nothing(page_cache):
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    before = token()
    scheduled.published_at += timedelta(hours=1)
    scheduled.save()
    scheduled.status = Status.DRAFT
    scheduled.save()
    assert token() == before


@pytest.mark.parametrize(
    "change",
    [
        "edit published",
        "publish draft",
        "unpublish",
        "delete published",
        "retag published",
        "section",
        "author",
        "image",
        "rename tag",
        "content_changed",
    ],
)
def test_changes_readers_can_see_still_retire_the_cached_pages(page_cache, change):
    article = make_article(
        people=["Ada"], authors=[make_author()], section=make_section(), lead_image=make_image()
    )
    draft = make_article(status=Status.DRAFT, published_at=None)
    before = token()

    if change == "edit published":
        article.title = "New headline"
        article.save()
    elif change == "publish draft":
        draft.status = Status.PUBLISHED
        draft.save()
    elif change == "unpublish":
        article.status = Status.DRAFT
        article.save()
    elif change == "delete published":
        article.delete()
    elif change == "retag published":
        article.people.add("Grace")
    elif change == "section":
        article.section.name = "Renamed desk"
        article.section.save()
    elif change == "author":
        author = article.authors.get()
        author.name = "Renamed writer"
        author.save()
    elif change == "image":
        article.lead_image.credit = "Another agency"
        article.lead_image.save()
    elif change == "rename tag":
        person = Person.objects.get(name="Ada")
        person.name = "Ada Lovelace"
        person.save()
    else:
        content_changed.send(sender=Article)

    assert token() != before


def test_unpublishing_then_editing_the_draft_shows_the_last_change(client, page_cache):
    article = make_article(title="Soon withdrawn")
    assert served_from_cache(client, article.get_absolute_url())
    article.status = Status.DRAFT
    article.save()
    article.title = "Withdrawn and rewritten"
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
