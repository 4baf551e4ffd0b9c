"""WordPress bodies into HOLR body HTML (wordpress/body.py), before the sanitizer."""

from dataclasses import dataclass

import pytest

from wordpress import body


@dataclass
class Found:
    image_id: int
    caption: str = ""


class Library:
    """Attachments 10 and 12 are in the library as images 1 and 3; 13 is not."""

    ids = {10: Found(1, "The Kremlin, March 2013."), 12: Found(3, "Vladivostok harbour.")}
    paths = {"2013/03/kremlin.jpg": 10, "2014/07/harbour.png": 12}

    def by_id(self, wp_id):
        return self.ids.get(wp_id)

    def by_path(self, path):
        return self.ids.get(self.paths.get(path))

    def children(self, post_id):
        return [12, 10] if post_id == 100 else []


UPLOADS = "http://holr.example/wp-content/uploads"


def convert(content, post_id=None):
    notes = body.Notes()
    return body.convert(content, Library(), notes, post_id=post_id), notes


def test_classic_blank_lines_are_paragraphs_and_newlines_are_breaks():
    html, _ = convert("First line\nsecond line.\n\nNew paragraph.")
    assert html == "<p>First line<br />\nsecond line.</p>\n<p>New paragraph.</p>"


def test_classic_lists_and_blockquotes_are_not_wrapped_in_paragraphs():
    html, _ = convert("Intro.\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n<blockquote>Said.</blockquote>")
    assert (
        html
        == "<p>Intro.</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n<blockquote><p>Said.</p></blockquote>"
    )


def test_block_editor_comments_are_dropped_and_html_kept_without_autop():
    html, _ = convert(
        '<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator {"a":1} /-->'
    )
    assert html == "<p>One\ntwo</p>"


@pytest.mark.parametrize(
    "marker", ["<!--more-->", "<!--more Read on…-->", "<!--nextpage-->", "<!--noteaser-->"]
)
def test_more_and_nextpage_leave_no_text_behind(marker):
    html, _ = convert(f"Before.\n\n{marker}\n\nAfter.")
    assert html == "<p>Before.</p>\n<p>After.</p>"


def test_caption_shortcode_becomes_an_image_figure_with_its_caption():
    html, _ = convert(
        f'[caption id="attachment_10" align="aligncenter" width="300"]<a href="{UPLOADS}/2013/03/kremlin.jpg">'
        f'<img class="wp-image-10" src="{UPLOADS}/2013/03/kremlin-300x200.jpg" /></a> Red <em>walls</em>[/caption]'
    )
    assert (
        html
        == '<figure data-image="1" data-size="inline"><figcaption>Red <em>walls</em></figcaption></figure>'
    )


def test_wide_and_full_alignments_choose_the_figure_size():
    html, _ = convert(
        f'[caption id="attachment_12" align="alignwide"]<img src="{UPLOADS}/2014/07/harbour.png" /> Ships[/caption]'
    )
    assert 'data-size="wide"' in html
    block = f'<!-- wp:image --><figure class="wp-block-image alignfull"><img src="{UPLOADS}/2014/07/harbour.png"/></figure><!-- /wp:image -->'
    html, _ = convert(block)
    assert (
        html
        == '<figure data-image="3" data-size="full"><figcaption>Vladivostok harbour.</figcaption></figure>'
    )


def test_gallery_ids_become_a_gallery_of_library_images_and_missing_ones_are_reported():
    html, notes = convert('[gallery ids="12,13,10" columns="3"]')
    assert html == '<figure data-gallery="3,1"></figure>'
    assert notes.missing_images == ["attachment 13"]


def test_gallery_without_ids_shows_the_posts_own_attachments():
    html, _ = convert("[gallery]", post_id=100)
    assert html == '<figure data-gallery="3,1"></figure>'


@pytest.mark.parametrize(
    "content",
    [
        "[embed]https://www.youtube.com/watch?v=abc[/embed]",
        '[video src="https://www.youtube.com/watch?v=abc"]',
        "https://www.youtube.com/watch?v=abc",
        "  https://www.youtube.com/watch?v=abc  ",
    ],
)
def test_embeds_and_bare_provider_urls_become_embed_figures(content):
    html, _ = convert(content)
    assert html == '<figure data-embed="https://www.youtube.com/watch?v=abc"></figure>'


def test_a_provider_url_inside_a_sentence_stays_text():
    html, _ = convert("See https://vimeo.com/1 for more.")
    assert html == "<p>See https://vimeo.com/1 for more.</p>"


def test_block_editor_embed_figure_becomes_an_embed():
    html, _ = convert(
        '<!-- wp:embed --><figure class="wp-block-embed is-provider-vimeo"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/76979871\n</div></figure><!-- /wp:embed -->"
    )
    assert html == '<figure data-embed="https://vimeo.com/76979871"></figure>'


def test_other_shortcodes_are_removed_keeping_inner_text_and_counted():
    html, notes = convert(
        '[pullquote align="left"]Old friends.[/pullquote]\n\n[contact-form-7 id="3"]\n\n[row][column]Deep[/column][/row]'
    )
    assert html == "<p>Old friends.</p>\n<p>Deep</p>"
    assert notes.shortcodes == {"pullquote": 1, "contact-form-7": 1, "row": 1, "column": 1}


def test_square_brackets_that_are_not_shortcodes_stay():
    html, notes = convert("Prices in [sic] roubles [1].")
    assert html == "<p>Prices in [sic] roubles [1].</p>"
    assert not notes.shortcodes


def test_uploads_images_become_figures_and_others_are_reported():
    html, notes = convert(
        f'<img src="{UPLOADS}/2013/03/kremlin-1024x683.jpg" alt="" />\n\n'
        '<img src="https://elsewhere.example/hot.jpg" />\n\n'
        f'<img src="{UPLOADS}/2014/07/gone.jpg" />'
    )
    assert (
        html
        == '<figure data-image="1" data-size="inline"><figcaption>The Kremlin, March 2013.</figcaption></figure>'
    )
    assert notes.other_images == ["https://elsewhere.example/hot.jpg"]
    assert notes.missing_images == [f"{UPLOADS}/2014/07/gone.jpg"]


def test_wordpress_com_file_host_paths_are_uploads_paths():
    assert body.uploads_path("https://mag.files.wordpress.com/2013/03/market.jpg") == "2013/03/market.jpg"
    assert body.uploads_path(f"{UPLOADS}/2013/03/a%20b.jpg") == "2013/03/a b.jpg"
    assert body.uploads_path("https://elsewhere.example/2013/03/x.jpg") == ""


def test_a_body_escaped_once_more_on_export_is_unescaped():
    html, _ = convert("&lt;p&gt;Escaped &lt;strong&gt;body&lt;/strong&gt;.&lt;/p&gt;")
    assert html == "<p>Escaped <strong>body</strong>.</p>"


def test_empty_content_gives_an_empty_body():
    assert convert("")[0] == ""
    assert convert("<!-- wp:paragraph --><!-- /wp:paragraph -->")[0] == ""
