"""RSS and Atom feeds, read with feedparser as a feed reader would."""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Event, Person, Place, Status
from tests.builders import make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def story():
    """A published article with everything a feed item carries."""
    section = make_section(name="World", slug="world")
    return make_article(
        title="Putin hosts Xi in Moscow",
        slug="putin-hosts-xi",
        dek="A state visit days after the ICC warrant.",
        body="<p>The talks in the <strong>Kremlin</strong> ran past midnight.</p>",
        section=section,
        authors=[
            make_author(name="Mira Patel", slug="mira-patel"),
            make_author(name="Tom Ng", slug="tom-ng"),
        ],
        lead_image=make_image(width=700, height=394, alt="Two leaders shake hands"),
        people=["Vladimir Putin", "Xi Jinping"],
        places=["Moscow"],
        events=["Xi's 2023 state visit to Moscow"],
    )


def hidden_articles():
    """A draft, a review copy and a scheduled article, sharing every subject with `story`."""
    shared = {
        "people": ["Vladimir Putin"],
        "places": ["Moscow"],
        "events": ["Xi's 2023 state visit to Moscow"],
    }
    return [
        make_article(title="Draft story", status=Status.DRAFT, **shared),
        make_article(title="Review story", status=Status.REVIEW, **shared),
        make_article(title="Scheduled story", published_at=timezone.now() + timedelta(days=1), **shared),
    ]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def subject_feed_urls(story):
    """Every subject feed of `story`, RSS and Atom."""
    subjects = [
        story.section,
        story.authors.first(),
        Person.objects.get(name="Vladimir Putin"),
        Place.objects.get(name="Moscow"),
        Event.objects.get(name="Xi's 2023 state visit to Moscow"),
    ]
    from syndication.feeds import feeds_for

    return [url for subject in subjects for url in feeds_for(subject)]


def all_feed_urls(story):
    return [reverse("syndication:feed"), reverse("syndication:feed-atom"), *subject_feed_urls(story)]


@pytest.mark.parametrize(
    "name, version", [("syndication:feed", "rss20"), ("syndication:feed-atom", "atom10")]
)
def test_site_feed_items_carry_every_field(client, story, name, version):
    """Title, link, stable id, dek, full body, every author, dates, lead image and tags, in RSS and Atom."""
    response, feed = parse(client, reverse(name))

    assert feed.version == version
    assert feed.feed.title == "HOLR Magazine"
    assert feed.feed.link == f"{SITE}/"
    (item,) = feed.entries
    assert item.title == "Putin hosts Xi in Moscow"
    assert item.link == f"{SITE}/articles/putin-hosts-xi/"
    assert item.id == f"tag:127.0.0.1,{story.created_at:%Y-%m-%d}:article:{story.pk}"
    assert item.summary == "A state visit days after the ICC warrant."
    assert item.content[0].value == "<p>The talks in the <strong>Kremlin</strong> ran past midnight.</p>"
    assert [author.name for author in item.authors] == ["Mira Patel", "Tom Ng"]
    assert item.published_parsed[:6] == story.published_at.utctimetuple()[:6]
    assert item.updated_parsed is not None
    assert sorted(tag.term for tag in item.tags) == [
        "Moscow",
        "Vladimir Putin",
        "Xi Jinping",
        "Xi's 2023 state visit to Moscow",
    ]
    largest = story.lead_image.renditions.largest
    (enclosure,) = item.enclosures
    assert enclosure.href == f"{SITE}{largest.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0
    (media,) = item.media_content
    assert media["url"] == f"{SITE}{largest.url}"
    assert (media["width"], media["height"]) == (str(largest.width), str(largest.height))
    assert response["Content-Type"].startswith(
        "application/rss+xml" if version == "rss20" else "application/atom+xml"
    )


def test_feed_guid_stays_when_the_slug_changes(client, story):
    """Readers do not see an article twice after an editor renames its slug."""
    _, before = parse(client, reverse("syndication:feed"))
    story.slug = "putin-and-xi-in-moscow"
    story.save()

    _, after = parse(client, reverse("syndication:feed"))

    assert after.entries[0].id == before.entries[0].id
    assert after.entries[0].link == f"{SITE}/articles/putin-and-xi-in-moscow/"


def test_unsigned_article_is_credited_to_the_magazine(client):
    make_article(title="Editorial")

    for name in ("syndication:feed", "syndication:feed-atom"):
        _, feed = parse(client, reverse(name))
        assert [author.name for author in feed.entries[0].authors] == ["HOLR Magazine"]


def test_feeds_show_the_twenty_newest(client):
    now = timezone.now()
    for n in range(25):
        make_article(title=f"Story {n}", published_at=now - timedelta(hours=n + 1))

    _, feed = parse(client, reverse("syndication:feed"))

    assert [entry.title for entry in feed.entries] == [f"Story {n}" for n in range(20)]


def test_no_draft_review_or_scheduled_article_is_in_any_feed(client, story):
    """Every feed a hidden article could appear in lists only published work."""
    hidden = hidden_articles()

    for url in all_feed_urls(story):
        _, feed = parse(client, url)
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Putin hosts Xi in Moscow"], url
    assert len(hidden) == 3


def test_subject_feeds_hold_only_that_subjects_articles(client, story):
    other = make_article(title="Elsewhere", people=["Someone Else"], section=make_section())

    for url in subject_feed_urls(story):
        _, feed = parse(client, url)
        assert "Elsewhere" not in [entry.title for entry in feed.entries], url
    _, feed = parse(
        client, reverse("syndication:tag-feed", kwargs={"vocabulary": "people", "slug": "someone-else"})
    )
    assert [entry.title for entry in feed.entries] == [other.title]


def test_subject_feed_has_the_subjects_title_and_page(client, story):
    _, feed = parse(
        client,
        reverse("syndication:tag-feed-atom", kwargs={"vocabulary": "people", "slug": "vladimir-putin"}),
    )

    assert feed.feed.title == "Vladimir Putin · HOLR Magazine"
    assert feed.feed.link == f"{SITE}/people/vladimir-putin/"


def test_feed_of_a_tag_or_author_known_only_from_unpublished_work_is_404(client):
    make_article(status=Status.DRAFT, people=["Secret Source"], authors=[make_author(slug="ghost")])

    assert (
        client.get(
            reverse("syndication:tag-feed", kwargs={"vocabulary": "people", "slug": "secret-source"})
        ).status_code
        == 404
    )
    assert client.get(reverse("syndication:author-feed", kwargs={"slug": "ghost"})).status_code == 404
    assert client.get(reverse("syndication:section-feed", kwargs={"slug": "nope"})).status_code == 404
    assert client.get("/people/nobody/feed/atom/").status_code == 404


def test_empty_section_has_an_empty_feed(client):
    make_section(slug="culture")

    _, feed = parse(client, reverse("syndication:section-feed", kwargs={"slug": "culture"}))

    assert feed.entries == []


@pytest.mark.parametrize("name", ["section-feed", "section-feed-atom"])
def test_an_empty_feed_says_the_same_update_time_every_time(client, name):
    """Not "now" (Django's default), which made every render differ and a cached copy look stale."""
    make_section(slug="culture")
    url = reverse(f"syndication:{name}", kwargs={"slug": "culture"})

    first, feed = parse(client, url)

    assert client.get(url).content == first.content
    assert feed.feed.updated_parsed[:3] == (1970, 1, 1)


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_feed_queries_are_fixed_whatever_the_size(client, story):
    """At most 6 queries per feed, the same for 1 article as for 20 with bylines, tags and images."""
    urls = all_feed_urls(story)
    small = [count_queries(client, url) for url in urls]
    authors = [make_author() for _ in range(3)]
    image = make_image(width=400, height=300)
    for n in range(25):
        make_article(
            section=story.section,
            authors=[*authors, story.authors.first()],
            lead_image=image,
            people=["Vladimir Putin", f"Person {n}"],
            places=["Moscow", f"Place {n}"],
            events=["Xi's 2023 state visit to Moscow", f"Event {n}"],
        )

    large = [count_queries(client, url) for url in urls]

    assert large == small
    assert max(large) <= 6


def test_pages_advertise_their_feeds(client, story):
    """<link rel="alternate"> for the site everywhere, for the subject on its page; footer links."""
    home = client.get(reverse("articles:home")).content.decode()
    tag_page = client.get(story.people.get(name="Xi Jinping").get_absolute_url()).content.decode()
    article = client.get(story.get_absolute_url()).content.decode()

    for page in (home, tag_page, article):
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="HOLR Magazine (RSS)" href="{SITE}/feed/">'
            in page
        )
        assert (
            f'<link rel="alternate" type="application/atom+xml" title="HOLR Magazine (Atom)" href="{SITE}/feed/atom/">'
            in page
        )
        assert '<a href="/feed/" type="application/rss+xml">RSS feed</a>' in page
    assert (
        f'type="application/rss+xml" title="Xi Jinping · HOLR Magazine (RSS)" href="{SITE}/people/xi-jinping/feed/">'
        in tag_page
    )
    assert (
        f'type="application/atom+xml" title="Xi Jinping · HOLR Magazine (Atom)" href="{SITE}/people/xi-jinping/feed/atom/">'
        in tag_page
    )
    assert '<a href="/people/xi-jinping/feed/" type="application/rss+xml">Follow by RSS</a>' in tag_page


def test_feed_body_links_are_absolute_and_the_body_is_sanitized_again(client):
    """Links into the site work in a feed reader; markup that got in past the model is removed."""
    article = make_article(
        body='<p>See <a href="/people/xi-jinping/">Xi</a> and <a href="https://example.com/x">this</a>.</p>'
    )
    # A raw update bypasses Article.save() and its sanitizer.
    type(article).objects.filter(pk=article.pk).update(
        body=article.body + "<script>alert(1)</script><img src=x onerror=alert(1)>"
    )

    for name in ("syndication:feed", "syndication:feed-atom"):
        response, feed = parse(client, reverse(name))
        body = feed.entries[0].content[0].value
        assert f'<a href="{SITE}/people/xi-jinping/" rel="noopener">Xi</a>' in body
        assert '<a href="https://example.com/x" rel="noopener">this</a>' in body
        # Checked in the raw XML: feedparser sanitizes on its own, other readers may not.
        assert "alert" not in response.content.decode() and "img" not in response.content.decode()


def test_unicode_tag_has_a_working_feed(client):
    make_article(title="State visit", people=["习近平"])

    _, feed = parse(
        client, reverse("syndication:tag-feed", kwargs={"vocabulary": "people", "slug": "习近平"})
    )

    assert [entry.title for entry in feed.entries] == ["State visit"]
    assert feed.feed.link == f"{SITE}/people/%E4%B9%A0%E8%BF%91%E5%B9%B3/"


def test_feeds_use_site_url_not_the_request_host(client, story, settings):
    settings.SITE_URL = "https://magazine.example"
    settings.ALLOWED_HOSTS = ["evil.example"]

    for url in (reverse("syndication:feed"), reverse("syndication:feed-atom")):
        content = client.get(url, HTTP_HOST="evil.example").content.decode()
        assert "evil.example" not in content, url
        assert "https://magazine.example/articles/putin-hosts-xi/" in content
