"""What retires cached pages (issue 12): a change no reader can see retires nothing, an
edit that moves nothing retires the pages that show what it changed, the rest retires
everything."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleAuthor, ArticleNote, Person, PreviewLink, Status
from holr.signals import content_changed
from pagecache import dependencies, versions
from pagecache.middleware import PageCacheMiddleware
from pagecache.models import ContentChange
from revisions.models import Revision
from richtext.rendering import render_body
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["cache", "database"])
def page_cache(request, settings):
    settings.PAGE_CACHE = True
    settings.CONTENT_VERSION_STORE = request.param
    return request.param


def token():
    return versions.current()[0].number


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


def cache_states(client, urls):
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert set(cache_states(client, urls).values()) == {"hit"}


def test_an_edit_to_a_published_story_retires_the_pages_that_show_it_and_no_others(client, page_cache):
    edited = make_article(
        title="Old headline", people=["Ada Lovelace"], published_at=timezone.now() - timedelta(days=9)
    )
    other = make_article(title="Untouched story", people=["Grace Hopper"])
    showing = [
        edited.get_absolute_url(),
        "/",
        "/people/ada-lovelace/",
        "/feed/",
        "/sitemap.xml",
        "/search/?q=story",
    ]
    not_showing = [other.get_absolute_url(), "/people/grace-hopper/", "/people/"]
    warm(client, showing + not_showing)

    edited.title = "New headline"
    edited.body = "<p>A story rewritten.</p>"
    edited.save()

    assert cache_states(client, not_showing) == dict.fromkeys(not_showing, "hit")
    for url in showing:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
    assert "New headline" in client.get(edited.get_absolute_url()).content.decode()
    assert "New headline" in client.get("/").content.decode()


@pytest.mark.parametrize("change", ["publish", "unpublish", "section", "time", "retag", "byline"])
def test_a_change_to_what_is_listed_retires_the_listings_and_the_stories_sharing_a_tag(
    client, page_cache, change
):
    story = make_article(
        title="Moving story",
        section=make_section(),
        people=["Ada"],
        status=Status.DRAFT if change == "publish" else Status.PUBLISHED,
        published_at=None if change == "publish" else timezone.now() - timedelta(days=3),
    )
    sharing = make_article(title="Shares Ada", people=["Ada"])
    apart = make_article(title="Shares nothing", people=["Grace"])
    desk, writer = make_section(name="Another desk"), make_author()  # new ones retire everything
    listings = ["/", "/people/", "/people/grace/", "/feed/", "/sitemap.xml", "/search/?q=story"]
    warm(client, [sharing.get_absolute_url(), apart.get_absolute_url(), *listings])

    if change == "publish":
        story.status = Status.PUBLISHED
        story.save()
    elif change == "unpublish":
        story.status = Status.DRAFT
        story.save()
    elif change == "section":
        story.section = desk
        story.save()
    elif change == "time":
        story.published_at -= timedelta(days=1)
        story.save()
    elif change == "retag":
        story.people.add("Alan")
    else:
        ArticleAuthor.objects.create(article=story, author=writer, position=0)

    assert cache_states(client, listings) == dict.fromkeys(listings, "miss")
    assert client.get(sharing.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(apart.get_absolute_url())["X-Page-Cache"] == "hit"
    shown = change != "unpublish"
    assert ("Moving story" in client.get("/").content.decode()) is shown
    assert ("Moving story" in client.get(sharing.get_absolute_url()).content.decode()) is shown


def test_a_new_slug_or_a_deleted_story_still_retires_everything(client, page_cache):
    story, other = make_article(people=["Ada"]), make_article(people=["Grace"])
    for change in ("slug", "delete"):
        warm(client, [other.get_absolute_url()])
        if change == "slug":
            story.slug = "a-new-address"
            story.save()
        else:
            story.delete()
        assert client.get(other.get_absolute_url())["X-Page-Cache"] == "miss", change


def test_an_image_credit_change_retires_only_the_pages_that_show_the_image(client, page_cache):
    image = make_image(credit="First agency")
    in_body = make_image(credit="Body agency")
    lead = make_article(title="With a lead image", lead_image=image, people=["Ada"])
    body = make_article(
        title="With a figure",
        body=f'<figure data-image="{in_body.pk}" data-size="wide"><figcaption>Crowds</figcaption></figure>',
        people=["Grace"],
    )
    plain = make_article(title="No pictures", people=["Alan"])
    urls = [lead.get_absolute_url(), body.get_absolute_url(), plain.get_absolute_url(), "/people/alan/"]
    warm(client, urls)

    image.credit = "Second agency"
    image.save()
    in_body.credit = "Another body agency"
    in_body.save()

    assert cache_states(client, urls) == {
        lead.get_absolute_url(): "miss",
        body.get_absolute_url(): "miss",
        plain.get_absolute_url(): "hit",
        "/people/alan/": "hit",
    }
    assert "Second agency" in client.get(lead.get_absolute_url()).content.decode()
    assert "Another body agency" in client.get(body.get_absolute_url()).content.decode()


def test_a_figure_whose_image_is_missing_depends_on_that_image(page_cache):
    article = make_article()
    # As a page's body can hold it: saved bodies lose figures of images that are not there.
    article.body = '<figure data-image="987654" data-size="wide"><figcaption>Gone</figcaption></figure>'
    with dependencies.recording() as keys:
        str(render_body(article))
    assert "image:987654" in keys


def test_a_remembered_value_hands_its_keys_to_every_page_that_uses_it(page_cache):
    section = make_section()
    make = lambda: [str(s) for s in type(section).objects.all()]  # noqa: E731
    with dependencies.recording() as first:
        versions.remembered("test:sections", make)
    with dependencies.recording() as second:
        versions.remembered("test:sections", lambda: pytest.fail("made again"))
    assert f"section:{section.pk}" in first
    assert second == first


def test_a_value_stored_before_a_step_holds_only_if_the_step_spared_its_keys(page_cache):
    stored = versions.current()[0].number
    versions.retire({"article:1"})
    now = versions.current()[0]
    assert versions.is_fresh(stored, {"article:2", "image:3"}, now)
    assert not versions.is_fresh(stored, {"article:1"}, now)
    versions.bump()
    assert not versions.is_fresh(stored, {"article:2"}, versions.current()[0])


def test_a_step_missing_from_the_log_counts_as_retiring_everything(page_cache):
    stored = versions.current()[0].number
    versions.retire({"article:1"})
    if page_cache == "database":
        ContentChange.objects.filter(number=stored + 1).delete()
    else:
        versions.cache().delete(versions.CHANGE_KEY % (stored + 1))
    assert not versions.is_fresh(stored, {"article:2"}, versions.current()[0])


def test_a_value_too_many_steps_behind_is_made_again(page_cache):
    stored = versions.current()[0].number
    for n in range(versions.MAX_STEPS_BEHIND + 1):
        versions.retire({f"article:{n + 10_000}"})
    assert not versions.is_fresh(stored, {"section:1"}, versions.current()[0])


def test_a_page_rendered_while_an_edit_commits_is_not_served_after_it(client, page_cache, monkeypatch):
    """The number stored with a page is the one read before it rendered: an edit that
    commits after the render read the story, before the page is stored, retires it."""
    story = make_article(title="Before the edit")
    url = story.get_absolute_url()
    may_store = PageCacheMiddleware.may_store

    def edit_then_decide(request, response):
        assert b"Before the edit" in response.content
        edited = Article.objects.get(pk=story.pk)  # the render is done; now the edit lands
        edited.title = "After the edit"
        edited.save()
        return may_store(request, response)

    monkeypatch.setattr(PageCacheMiddleware, "may_store", staticmethod(edit_then_decide))
    assert client.get(url)["X-Page-Cache"] == "miss"
    monkeypatch.setattr(PageCacheMiddleware, "may_store", staticmethod(may_store))
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "After the edit" in response.content.decode()


def test_a_page_showing_too_many_of_one_kind_depends_on_the_whole_kind(page_cache):
    many = {f"article:{n}" for n in range(dependencies.MAX_KEYS_PER_KIND + 1)}
    keys = dependencies.compact(many | {"image:3", "articles:edited"})
    assert keys == {"article:*", "image:3", "articles:edited"}
    assert dependencies.compact({"article:1", "article:2"}) == {"article:1", "article:2"}

    stored = versions.current()[0].number
    versions.retire({"image:9"})
    assert versions.is_fresh(stored, keys, versions.current()[0])
    versions.retire({f"article:{10_000}"})
    assert not versions.is_fresh(stored, keys, versions.current()[0])


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="set REDIS_URL to test against Redis (.ci/run does)"
)
def test_with_redis_a_step_and_its_record_appear_together(settings):
    """The counter moves and the step's record is written in one script: a reader never
    sees a number whose record is missing (which would read as "retired everything")."""
    settings.CONTENT_VERSION_STORE = "cache"
    cache = versions.cache()
    assert hasattr(cache, "incr_and_set")
    cache.delete(versions.VERSION_KEY)
    first = versions._step_cache(frozenset({"article:1"}))
    second = versions._step_cache(versions.EVERYTHING)
    assert second == first + 1
    assert cache.get(versions.CHANGE_KEY % first)[1] == {"article:1"}
    assert cache.get(versions.CHANGE_KEY % second)[1] is versions.EVERYTHING
    assert cache.get(versions.VERSION_KEY) == second


def test_a_story_published_now_keeps_its_time_through_an_admin_edit(page_cache):
    """The admin's fields send the time back to the second; a time with microseconds
    would move on the first edit and retire everything."""
    story = make_article(published_at=None)
    assert story.published_at.microsecond == 0
    story.published_at = story.published_at.replace(microsecond=123456)
    story.save()
    assert Article.objects.get(pk=story.pk).published_at.microsecond == 0


def test_a_draft_tagged_takes_no_place_among_a_tags_newest_taggings(client, page_cache, monkeypatch):
    """Related stories and "often with" read each tag's newest taggings; a draft's
    tagging retires nothing, so it must not push a published story out of them."""
    monkeypatch.setattr("articles.querysets.RELATED_CANDIDATES_PER_TAG", 1)
    story = make_article(title="The story", people=["Ada"])
    neighbour = make_article(title="Its neighbour", people=["Ada"])
    assert "Its neighbour" in client.get(story.get_absolute_url()).content.decode()
    make_article(title="A draft", status=Status.DRAFT, published_at=None, people=["Ada"])
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    settings_free = client.get(story.get_absolute_url() + "?fresh")
    assert neighbour.title in settings_free.content.decode()
