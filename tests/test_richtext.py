"""The body's storage format (docs/rich-text.md): what the sanitizer keeps, what the form says."""

import pytest
from django.conf import settings

from richtext.embeds import EMBED_HOSTS, PROVIDERS, resolve
from richtext.sanitizer import MAX_FIGURES, sanitize_html
from richtext.validation import body_problems
from tests.builders import make_image


@pytest.mark.parametrize(
    ("url", "provider", "embed_url"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://www.dailymotion.com/video/x8abcd1",
            "Dailymotion",
            "https://geo.dailymotion.com/player.html?video=x8abcd1",
        ),
        (
            "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
            "Spotify",
            "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC",
        ),
        (
            "https://soundcloud.com/artist/a-track",
            "SoundCloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fartist%2Fa-track",
        ),
        (
            "https://bsky.app/profile/holr.example/post/3kabcdefghi2x",
            "Bluesky",
            "https://embed.bsky.app/embed/holr.example/app.bsky.feed.post/3kabcdefghi2x",
        ),
        (
            "https://www.instagram.com/p/C1a2B3c4D5e/",
            "Instagram",
            "https://www.instagram.com/p/C1a2B3c4D5e/embed",
        ),
        (
            "https://x.com/holr/status/1234567890123456789",
            "X",
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true",
        ),
        (
            "https://twitter.com/holr/status/12345",
            "X",
            "https://platform.twitter.com/embed/Tweet.html?id=12345&dnt=true",
        ),
    ],
)
def test_provider_links_resolve_from_the_url_alone(url, provider, embed_url):
    embed = resolve(url)
    assert (embed.provider.name, embed.embed_url) == (provider, embed_url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://user:pw@youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/about",
        "https://x.com/holr",
        "https://example.com/video.mp4",
        "",
        "https://[::1/",
        'https://youtu.be/dQw4w9WgXcQ" onerror="alert(1)',
        "https://youtu.be/" + "a" * 600,
    ],
)
def test_unknown_or_malformed_links_do_not_resolve(url):
    assert resolve(url) is None


def test_the_embed_hosts_are_exactly_the_providers_player_hosts():
    assert set(EMBED_HOSTS) == {
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "geo.dailymotion.com",
        "open.spotify.com",
        "w.soundcloud.com",
        "embed.bsky.app",
        "www.instagram.com",
        "platform.twitter.com",
    }
    assert len(PROVIDERS) == 8
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] == [
        f"https://{host}" for host in EMBED_HOSTS
    ]


def test_tables_keep_their_cells_and_lose_merged_cells_and_attributes():
    html = (
        '<table class="x"><thead><tr><th colspan="2" style="color:red">Year</th></tr></thead>'
        '<tbody><tr><td rowspan="3"><p>2023</p></td></tr></tbody></table>'
    )
    assert sanitize_html(html) == (
        "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td><p>2023</p></td></tr></tbody></table>"
    )


def test_pull_quote_keeps_its_sentence_and_attribution():
    html = '<figure data-pullquote="x"><blockquote><p>Talks went on.</p></blockquote><figcaption>A diplomat</figcaption></figure>'
    assert sanitize_html(html) == (
        '<figure data-pullquote=""><blockquote><p>Talks went on.</p></blockquote><figcaption>A diplomat</figcaption></figure>'
    )


def test_embed_link_is_stored_in_its_canonical_form():
    html = '<figure data-embed="https://youtu.be/dQw4w9WgXcQ"><figcaption>The <em>talk</em></figcaption></figure>'
    assert sanitize_html(html) == (
        '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"><figcaption>The <em>talk</em></figcaption></figure>'
    )


@pytest.mark.django_db
def test_image_and_gallery_references_keep_only_existing_images():
    one, two = make_image(), make_image()
    html = (
        f'<figure data-image="{one.pk}" data-size="wide" onclick="x"><figcaption><p>Crowds</p></figcaption></figure>'
        f'<figure data-gallery="{one.pk},{two.pk},99999"></figure>'
        f'<figure data-gallery="{two.pk},99998"><figcaption>Left alone</figcaption></figure>'
        '<figure data-image="99999"><figcaption>Gone</figcaption></figure>'
        f'<figure data-image="{one.pk}" data-size="huge"></figure>'
    )
    assert sanitize_html(html) == (
        f'<figure data-image="{one.pk}" data-size="wide"><figcaption>Crowds</figcaption></figure>'
        f'<figure data-gallery="{one.pk},{two.pk}"></figure>'
        f'<figure data-image="{two.pk}" data-size="inline"><figcaption>Left alone</figcaption></figure>'
        f'<figure data-image="{one.pk}" data-size="inline"></figure>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        '<figure data-image="1 OR 1=1"></figure>',
        '<figure data-image="-1"></figure>',
        '<figure data-image="0x10"></figure>',
        '<figure data-gallery="1,javascript:alert(1)"></figure>',
        '<figure data-embed="javascript:alert(1)"><figcaption>x</figcaption></figure>',
        '<figure data-embed="data:text/html;base64,PHNjcmlwdD4="></figure>',
        '<figure data-embed="https://evil.example/watch?v=dQw4w9WgXcQ"></figure>',
        '<figure data-embed="https://youtu.be/dQw4w9WgXcQ&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"></figure>',
        '<figure data-size="wide" data-src="https://evil.example/x.js" onload="alert(1)"></figure>',
    ],
)
def test_forged_references_are_dropped(hostile):
    clean = sanitize_html(hostile + "<p>Text</p>")
    assert "data-" not in clean and "script" not in clean and "evil" not in clean
    assert clean.endswith("<p>Text</p>")


@pytest.mark.django_db
def test_nested_figures_are_dropped_and_the_outer_kept():
    image = make_image()
    html = (
        f'<figure data-image="{image.pk}"><figure data-embed="https://youtu.be/dQw4w9WgXcQ"></figure>'
        "<figcaption>Outer</figcaption></figure>"
        '<blockquote><figure data-embed="https://youtu.be/dQw4w9WgXcQ"></figure><p>Quoted</p></blockquote>'
    )
    assert sanitize_html(html) == (
        f'<figure data-image="{image.pk}" data-size="inline"><figcaption>Outer</figcaption></figure>'
        "<blockquote><p>Quoted</p></blockquote>"
    )


@pytest.mark.django_db
def test_five_thousand_figures_are_cut_to_the_limit_with_one_query(django_assert_num_queries):
    image = make_image()
    html = f'<figure data-image="{image.pk}"></figure>' * 5000
    with django_assert_num_queries(1):
        clean = sanitize_html(html)
    assert clean.count("<figure") == MAX_FIGURES
    assert (
        body_problems(html)[-1]
        == f"A story holds at most {MAX_FIGURES} images, galleries and embeds; this one has 5000."
    )


@pytest.mark.django_db
def test_form_problems_name_each_bad_figure_and_list_the_providers():
    image = make_image()
    problems = body_problems(
        f'<figure data-image="{image.pk}" data-size="tiny"></figure>'
        '<figure data-embed="https://example.com/clip"></figure>'
        '<figure data-image="424242"></figure>'
    )
    assert problems == [
        "An image's size is one of inline, wide, full.",
        "“https://example.com/clip” is not a link to a video, audio or post we can embed. Paste the address of "
        "an item on YouTube, Vimeo, Dailymotion, Spotify, SoundCloud, Bluesky, Instagram and X (Twitter).",
        "Image 424242 is not in the library (was it deleted?).",
    ]
