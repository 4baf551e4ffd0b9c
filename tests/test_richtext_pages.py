"""Figures as readers, feeds, search engines, the library and the admin see them (issue 10)."""

import html
import json
import re

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from richtext.models import ImageUse
from tests.builders import make_article, make_image
from tests.markup import live_markup, live_markup_in_feed
from tests.test_admin import ADD_URL, article_data

pytestmark = pytest.mark.django_db
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def photos():
    return [
        make_image(alt="Crowds in Red Square", credit="Anna Petrova"),
        make_image(alt="The Kremlin at dusk", credit="HOLR Photo Desk"),
        make_image(alt="A guard of honour", credit=""),
    ]


@pytest.fixture
def story(photos):
    crowd, kremlin, guard = photos
    return make_article(
        title="A state visit in pictures",
        body=(
            "<p>The motorcade arrived at noon.</p>"
            f'<figure data-image="{crowd.pk}" data-size="wide"><figcaption>Crowds waited for hours</figcaption></figure>'
            f'<figure data-gallery="{crowd.pk},{kremlin.pk},{guard.pk}"><figcaption>The first day</figcaption></figure>'
            f'<figure data-embed="{YOUTUBE}"><figcaption>The arrival, filmed</figcaption></figure>'
            '<figure data-pullquote=""><blockquote><p>Nobody expected a deal so soon.</p></blockquote>'
            "<figcaption>A Western diplomat</figcaption></figure>"
            "<table><thead><tr><th>Day</th><th>Meeting</th></tr></thead>"
            "<tbody><tr><td>Monday</td><td>Talks</td></tr></tbody></table>"
        ),
    )


def body_of(response):
    page = response.content.decode()
    return page[
        page.index('<div class="article__body prose">') : page.index('<footer class="article__footer">')
    ]


def test_inline_image_is_a_picture_with_renditions_alt_caption_and_credit(client, story, photos):
    body = body_of(client.get(story.get_absolute_url()))
    crowd = photos[0]
    figure = re.search(r'<figure class="figure figure--wide">.*?</figure>', body, re.S).group(0)
    renditions = crowd.renditions
    assert (
        f'<source type="image/avif" srcset="{renditions.avif_srcset}" sizes="(min-width: 64rem) 60rem, 100vw">'
        in figure
    )
    assert f'srcset="{renditions.webp_srcset}"' in figure
    assert (
        f'width="{crowd.width}" height="{crowd.height}" alt="Crowds in Red Square" decoding="async" loading="lazy"'
        in figure
    )
    assert (
        '<figcaption>Crowds waited for hours <span class="credit">Anna Petrova</span></figcaption>' in figure
    )


def test_gallery_is_a_list_of_pictures_with_one_caption_and_every_credit(client, story):
    body = body_of(client.get(story.get_absolute_url()))
    gallery = re.search(r'<figure class="figure figure--gallery">.*?</figure>', body, re.S).group(0)
    assert '<ul class="gallery gallery--3">' in gallery
    assert gallery.count("<picture>") == 3
    assert re.findall(r'alt="([^"]*)"', gallery) == [
        "Crowds in Red Square",
        "The Kremlin at dusk",
        "A guard of honour",
    ]
    assert (
        '<figcaption>The first day <span class="credit">Anna Petrova</span> '
        '<span class="credit">HOLR Photo Desk</span></figcaption>'
    ) in gallery


def test_embed_is_our_own_placeholder_until_the_reader_asks(client, story):
    """No iframe, no provider image or script: a name, a button our script wakes, and a plain link."""
    response = client.get(story.get_absolute_url())
    body = body_of(response)
    assert (
        "<iframe" not in body
        and "ytimg" not in body
        and "youtube-nocookie"
        not in body.replace('data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"', "")
    )
    assert '<p class="embed__provider">YouTube</p>' in body
    assert '<button type="button" class="embed__play" hidden>Play on YouTube</button>' in body
    assert f'<a class="embed__link" href="{YOUTUBE}" rel="noopener">Open it on YouTube</a>' in body
    assert "<figcaption>The arrival, filmed</figcaption>" in body
    page = response.content.decode()
    assert '<script src="/static/js/embeds.js" defer></script>' in page
    assert all(src.startswith("/static/") for src in re.findall(r'<script[^>]* src="([^"]+)"', page))
    assert live_markup(page) == []


def test_csp_frame_src_lists_exactly_the_embed_hosts_and_script_src_only_self(client, story):
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client.get(story.get_absolute_url())["Content-Security-Policy"].split(";")
    )
    assert sorted(policy["frame-src"].split()) == sorted(
        [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://geo.dailymotion.com",
            "https://open.spotify.com",
            "https://w.soundcloud.com",
            "https://embed.bsky.app",
            "https://www.instagram.com",
            "https://platform.twitter.com",
        ]
    )
    assert policy["script-src"] == "'self'"


def test_pull_quote_and_table(client, story):
    body = body_of(client.get(story.get_absolute_url()))
    assert (
        '<figure class="pullquote">\n  <blockquote><p>Nobody expected a deal so soon.</p></blockquote>\n'
        "  <figcaption>A Western diplomat</figcaption>\n</figure>"
    ) in body
    assert "<table><thead><tr><th>Day</th><th>Meeting</th></tr></thead>" in body


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_thirty_inline_images_cost_one_query_and_none_once_warm(client):
    """All of a body's images come in one query, kept under the content version like related stories."""
    images = [make_image(alt=f"Photo {n}") for n in range(30)]
    plain = make_article(body="<p>No pictures.</p>")
    one = make_article(body=f'<figure data-image="{images[0].pk}"></figure>')
    thirty = make_article(body="".join(f'<figure data-image="{image.pk}"></figure>' for image in images))

    client.get("/")  # the content version is read and stored once for the whole site
    cold = [queries_for(client, article.get_absolute_url()) for article in (plain, one, thirty)]
    assert cold[1] == cold[2] == cold[0] + 1
    warm = [queries_for(client, article.get_absolute_url()) for article in (plain, one, thirty)]
    assert warm[0] == warm[1] == warm[2]
    assert body_of(client.get(thirty.get_absolute_url())).count("<picture>") == 30


def test_library_changes_show_at_once_on_every_story_even_from_the_page_cache(
    client, settings, story, photos
):
    settings.PAGE_CACHE = True
    url = story.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    crowd = photos[0]
    crowd.alt, crowd.credit = "Thousands in Red Square", "Reuters"
    crowd.save()
    page = client.get(url).content.decode()
    assert 'alt="Thousands in Red Square"' in page and '<span class="credit">Reuters</span>' in page
    assert "Crowds in Red Square" not in page


def test_deleting_an_image_a_story_shows_is_refused_naming_the_story(admin_client, story, photos):
    kremlin = photos[1]
    with pytest.raises(ProtectedError):
        kremlin.delete()
    response = admin_client.post(reverse("admin:images_image_delete", args=[kremlin.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert "“A state visit in pictures” (gallery)" in response.content.decode()


def test_image_uses_follow_the_body_and_where_used_lists_them(admin_client, story, photos):
    crowd, kremlin, guard = photos
    assert sorted(ImageUse.objects.values_list("image_id", "kind")) == sorted(
        [(crowd.pk, "image"), (kremlin.pk, "gallery"), (guard.pk, "gallery")]
    )
    page = admin_client.get(reverse("admin:images_image_change", args=[kremlin.pk])).content.decode()
    assert f'<a href="{story.get_admin_url()}">A state visit in pictures</a> (gallery, Published)' in page

    story.body = f'<figure data-image="{guard.pk}"></figure>'
    story.save()
    assert list(ImageUse.objects.values_list("image_id", "kind")) == [(guard.pk, "image")]
    kremlin.delete()  # no longer used: deleting is allowed


def test_feed_carries_absolute_jpegs_with_caption_and_credit_and_embeds_as_links(
    client, settings, story, photos
):
    response = client.get(reverse("syndication:feed"))
    assert live_markup_in_feed(response.content) == []
    content = html.unescape(response.content.decode())  # as a feed reader reads content:encoded
    crowd = photos[0]
    jpeg = crowd.renditions.jpeg[min(len(crowd.renditions.jpeg) - 1, 3)]
    assert (
        f'<figure><img src="{settings.SITE_URL}{jpeg.url}" width="{jpeg.width}" height="{jpeg.height}" '
        'alt="Crowds in Red Square"><figcaption>Crowds waited for hours Anna Petrova</figcaption></figure>'
    ) in content
    assert f'<p><a href="{YOUTUBE}" rel="noopener">Play on YouTube</a>: The arrival, filmed</p>' in content
    assert (
        "<blockquote><p>Nobody expected a deal so soon.</p><p>— A Western diplomat</p></blockquote>"
        in content
    )
    assert "<iframe" not in content and "data-" not in content


def test_feed_fetches_every_body_image_in_one_query(client, photos):
    for n in range(5):
        make_article(body=f'<figure data-gallery="{photos[0].pk},{photos[1].pk}"></figure>' * (n + 1))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("syndication:feed"))
    # (the articles' own query joins their lead images; this counts queries *of* images)
    assert sum('FROM "images_image"' in query["sql"] for query in queries.captured_queries) == 1


def test_json_ld_lists_the_lead_image_then_the_inline_images(client, story, photos):
    story.lead_image = make_image(alt="Lead")
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()
    graph = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    article = next(node for node in graph["@graph"] if node["@type"] == "NewsArticle")
    assert [image["caption"] for image in article["image"]] == [
        "Lead",
        "Lead",
        "Lead",
        "Lead",
        "Crowds in Red Square",
        "The Kremlin at dusk",
        "A guard of honour",
    ]  # the lead image's share, 4:3 and 1:1 crops and full frame, then the story's own images
    assert article["image"][4]["creditText"] == "Anna Petrova"


def test_captions_and_pull_quotes_are_searchable(client, story):
    for words in ("waited for hours", "Western diplomat", "deal so soon"):
        titles = [
            article.title
            for article in client.get(reverse("search:search"), {"q": words}).context["articles"]
        ]
        assert titles == ["A state visit in pictures"], words


def test_a_bad_embed_is_a_form_error_that_keeps_what_was_typed(admin_client):
    body = (
        '<p>My careful paragraph.</p><figure data-embed="https://example.com/clip">'
        "<figcaption>My caption</figcaption></figure>"
    )
    response = admin_client.post(ADD_URL, article_data(body=body))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a link to a video, audio or post we can embed" in page
    assert "YouTube, Vimeo, Dailymotion, Spotify, SoundCloud, Bluesky, Instagram and X (Twitter)" in page
    assert "My careful paragraph." in page and "https://example.com/clip" in page
    assert not Article.objects.exists()


def test_a_good_figure_saves_through_the_admin(admin_client, photos):
    body = f'<p>Text.</p><figure data-image="{photos[0].pk}" data-size="full"><figcaption>Square</figcaption></figure>'
    response = admin_client.post(ADD_URL, article_data(body=body))
    assert response.status_code == 302
    assert Article.objects.get().body == body


def test_revision_compare_says_in_words_what_changed_among_the_figures(photos):
    from revisions.diff import _figures_diff

    crowd, kremlin, _ = photos
    old = f'<p>Text</p><figure data-embed="{YOUTUBE}"></figure><table><tbody><tr><td>1</td></tr></tbody></table>'
    new = (
        f'<p>Text</p><figure data-image="{crowd.pk}" data-size="wide"><figcaption>x</figcaption></figure>'
        f'<figure data-gallery="{crowd.pk},{kremlin.pk}"></figure>'
        '<figure data-pullquote=""><blockquote><p>Nobody expected a deal.</p></blockquote></figure>'
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    )
    row = _figures_diff(old, new)
    assert row.is_changed
    assert row.old == f"YouTube embed {YOUTUBE}, table of 1 row"
    assert row.new.endswith(
        '<ul class="revision-diff__changes">'
        f"<li>Removed YouTube embed {YOUTUBE}</li>"
        "<li>Added wide image “Crowds in Red Square”</li>"
        "<li>Added gallery of 2 images (“Crowds in Red Square”, “The Kremlin at dusk”)</li>"
        "<li>Added pull quote “Nobody expected a deal.”</li></ul>"
    )
    assert _figures_diff(new, new).is_changed is False


def test_staff_preview_and_share_link_show_the_figures_of_a_draft(client, admin_client, photos):
    from tests.test_previews import make_link

    draft = make_article(
        status="draft",
        published_at=None,
        body=f'<figure data-image="{photos[0].pk}"><figcaption>Draft caption</figcaption></figure>',
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    for response in (
        admin_client.get(draft.get_absolute_url()),
        client.get(make_link(draft).get_absolute_url()),
    ):
        body = body_of(response)
        assert 'alt="Crowds in Red Square"' in body
        assert '<figcaption>Draft caption <span class="credit">Anna Petrova</span></figcaption>' in body
