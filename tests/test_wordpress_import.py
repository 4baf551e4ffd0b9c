"""`manage.py import_wordpress`: a WordPress export in, articles, images and old addresses out."""

import csv
import shutil
import time
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from unittest import mock

import feedparser
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, Author, Event, PathRedirect, Person, Place, Section, Status
from images.models import Image
from wordpress import importer as importer_module
from wordpress.models import ImportedObject

from .surfaces import all_surfaces, walk

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path):
    """The fixture export copied where the missing-media CSV may be written."""
    path = tmp_path / "magazine.xml"
    shutil.copy(FIXTURES / "magazine.xml", path)
    return path


def run(export, *extra, uploads=True):
    stdout = StringIO()
    args = [str(export), "--tag-map", str(FIXTURES / "tag-map.csv"), "--tags-as", "events", *extra]
    if uploads:
        args += ["--uploads", str(FIXTURES / "uploads")]
    call_command("import_wordpress", *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def stored_files(settings):
    media = Path(settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def article(post_id):
    row = ImportedObject.objects.get(kind="post", wp_id=str(post_id))
    return Article.objects.get(pk=row.object_id)


def test_posts_become_articles_with_status_dates_slugs_and_titles(export):
    run(export)
    assert Article.objects.count() == 11
    classic = article(100)
    assert classic.title == "Putin & Xi: “Old” friends"
    assert classic.slug == "putin-xi-old-friends"
    assert classic.status == Status.PUBLISHED
    assert classic.published_at == datetime(2013, 1, 5, 9, 30, tzinfo=UTC)
    assert article(101).title == "Title With Markup"
    assert article(101).slug == "ελλάδα"
    assert article(102).title == "Moscow rains again today as the river rises…"
    assert article(103).body == ""
    assert article(103).is_published()
    assert (article(105).status, article(105).published_at) == (Status.DRAFT, None)
    assert (article(106).status, article(106).published_at) == (Status.DRAFT, None)
    assert article(107).is_scheduled
    assert article(107).published_at == datetime(2099, 1, 1, 8, 0, tzinfo=UTC)
    assert (article(108).status, article(108).slug) == (Status.DRAFT, "a-draft-without-a-slug")
    assert article(109).status == Status.REVIEW
    assert not Article.objects.filter(title="Thrown away").exists()


def test_authors_sections_tags_and_lead_images_are_mapped(export):
    run(export)
    classic = article(100)
    assert [a.name for a in classic.authors.all()] == ["Anna Ivanova"]
    assert sorted(Author.objects.values_list("name", flat=True)) == ["Anna Ivanova", "Bob Smith"]
    assert classic.section.name == "Europe"  # the first category, a nested one: the leaf's name
    assert article(101).section.slug == "новости"
    assert sorted(Section.objects.values_list("name", flat=True)) == ["Culture", "Europe", "Новости"]
    assert sorted(t.name for t in classic.people.all()) == ["Vladimir Putin", "Xi Jinping"]
    assert [t.name for t in classic.places.all()] == ["Moscow"]
    assert article(104).events.count() == 42  # --tags-as for what the map does not place
    assert Person.objects.count() == 2 and Place.objects.count() == 1 and Event.objects.count() == 42
    assert classic.lead_image.alt == "The Kremlin's red walls at dusk"
    assert classic.caption == "The Kremlin, March 2013."
    market = Image.objects.get(pk=ImportedObject.objects.get(kind="attachment", wp_id="11").object_id)
    assert market.alt == "Night market"  # no alt text in the export: the title
    assert Image.objects.count() == 3  # kremlin, market (found by its URL), harbour
    assert market.renditions.webp[0].width == 320


def test_bodies_reach_readers_without_shortcodes_block_comments_or_escaped_tags(export, client):
    run(export)
    for post_id in (100, 101, 112):
        response = client.get(article(post_id).get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        for leftover in (
            "[caption",
            "[gallery",
            "[contact-form",
            "[pullquote",
            "<!-- wp:",
            "wp:paragraph",
            "&lt;p&gt;",
            "&lt;strong&gt;",
            "<!--more",
            "nextpage",
        ):
            assert leftover not in page, (post_id, leftover)
    assert article(100).body.startswith(
        "<p>Putin and Xi met in Moscow.<br>\nThey talked for <em>three</em> hours.</p>"
    )
    assert "<p>We are old friends.</p>" in article(100).body
    assert "<p>Prices in [sic] roubles.</p>" in article(100).body
    assert article(112).body == "<p>Escaped <strong>body</strong> text.</p>"


def test_figures_from_shortcodes_and_uploads_images_reach_the_body(export):
    run(export)
    kremlin = ImportedObject.objects.get(kind="attachment", wp_id="10").object_id
    harbour = ImportedObject.objects.get(kind="attachment", wp_id="12").object_id
    market = ImportedObject.objects.get(kind="attachment", wp_id="11").object_id
    assert (
        f'<figure data-image="{kremlin}" data-size="inline"><figcaption>The Kremlin, <em>lit</em> at dusk</figcaption></figure>'
        in article(100).body
    )
    assert f'<figure data-gallery="{kremlin},{harbour}"></figure>' in article(100).body
    assert '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></figure>' in article(100).body
    assert f'<figure data-image="{market}" data-size="inline"></figure>' in article(100).body
    assert (
        f'<figure data-image="{harbour}" data-size="inline"><figcaption>Ships at rest</figcaption></figure>'
        in article(101).body
    )
    assert '<figure data-embed="https://vimeo.com/76979871"></figure>' in article(101).body


def test_every_old_address_answers_301(export, client):
    run(export)
    classic, greek = article(100), article(101)
    expected = {
        "/2013/01/05/putin-xi-old-friends/": classic.get_absolute_url(),
        "/2013/01/05/putin-xi-old-friends": classic.get_absolute_url(),
        "/?p=100": classic.get_absolute_url(),
        "/2014/07/20/ελλάδα/": greek.get_absolute_url(),
        "/?p=102": article(102).get_absolute_url(),
        "/category/europe/": reverse("articles:section", kwargs={"slug": "europe"}),
        "/category/world/europe/": reverse("articles:section", kwargs={"slug": "europe"}),
        "/category/новости/": reverse("articles:section", kwargs={"slug": "новости"}),
        "/tag/putin/": Person.objects.get(name="Vladimir Putin").get_absolute_url(),
        "/tag/moscow/": Place.objects.get(name="Moscow").get_absolute_url(),
        "/tag/tag-07/": Event.objects.get(name="Topic 07").get_absolute_url(),
        "/author/anna/": Author.objects.get(name="Anna Ivanova").get_absolute_url(),
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
        assert client.get(new).status_code == 200, new
    assert client.get("/?p=999").status_code == 200  # not an imported post: the home page
    assert PathRedirect.objects.filter(old_path="/category/culture/").exists()  # post 102's first category


def test_nothing_unpublished_is_public(export, client):
    run(export)
    hidden = [article(post_id) for post_id in (105, 106, 107, 108, 109)]
    for story in hidden:
        assert client.get(story.get_absolute_url()).status_code == 404
        assert (
            client.get(f"/?p={ImportedObject.objects.get(object_id=story.pk, kind='post').wp_id}").status_code
            == 200
        )
    assert client.get("/2014/08/04/members-only/").status_code == 404  # the redirect waits for publication
    for surface, response in walk(client, all_surfaces(["Secret", "Private", "Future", "Draft", "Pending"])):
        if response.status_code == 200:
            page = response.content.decode()
            for words in (
                "Secret words",
                "Private words",
                "Future words",
                "Draft words",
                "Pending words",
                "Members only",
                "Private notes",
                "Coming soon",
            ):
                assert words not in page, (surface.url, words)


def test_search_and_feeds_carry_the_imported_stories(export, client):
    run(export)
    found = client.get(reverse("search:search") + "?q=Vladivostok").content.decode()
    assert article(101).get_absolute_url() in found
    feed = feedparser.parse(client.get(reverse("syndication:feed")).content)
    titles = {entry.title for entry in feed.entries}
    assert {"Putin & Xi: “Old” friends", "Title With Markup", "Forty-two tags"} <= titles
    assert "Members only" not in titles and "Coming soon" not in titles


def test_a_second_run_changes_nothing(export, settings):
    run(export)
    before = {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "updated_at", "slug", "body")),
        "redirects": list(
            PathRedirect.objects.order_by("pk").values_list("pk", "old_path", "article_id", "new_path")
        ),
        "images": list(Image.objects.order_by("pk").values_list("pk", "file")),
        "files": stored_files(settings),
        "counts": [m.objects.count() for m in (Author, Section, Person, Place, Event, ImportedObject)],
    }
    output = run(export)
    after = {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "updated_at", "slug", "body")),
        "redirects": list(
            PathRedirect.objects.order_by("pk").values_list("pk", "old_path", "article_id", "new_path")
        ),
        "images": list(Image.objects.order_by("pk").values_list("pk", "file")),
        "files": stored_files(settings),
        "counts": [m.objects.count() for m in (Author, Section, Person, Place, Event, ImportedObject)],
    }
    assert after == before
    assert "  article: unchanged 11\n" in output
    assert "old address" not in output


def test_a_run_on_a_changed_export_updates_in_place(export):
    run(export)
    classic = article(100)
    export.write_text(export.read_text().replace("Putin &amp; Xi: “Old” friends", "Putin and Xi again"))
    output = run(export)
    assert "  article: unchanged 10, updated 1\n" in output
    assert article(100).pk == classic.pk
    assert article(100).title == "Putin and Xi again"
    assert Article.objects.count() == 11


@pytest.mark.django_db(transaction=True)  # files are removed once the outermost transaction ends
def test_dry_run_reports_and_writes_nothing(export, settings):
    output = run(export, "--dry-run")
    assert output.startswith("22/22 items\n\nDry run: nothing was written.")
    assert "  article: created 11\n" in output
    assert Article.objects.count() == Image.objects.count() == PathRedirect.objects.count() == 0
    assert Author.objects.count() == Section.objects.count() == ImportedObject.objects.count() == 0
    assert stored_files(settings) == []
    assert not (export.parent / "magazine-missing-media.csv").exists()


def test_the_report_names_private_posts_untitled_posts_skips_and_shortcodes(export):
    output = run(export)
    assert "  post: 1 (status “trash”)\n" in output
    assert "  nav_menu_item: 1 (not a post, page or attachment)\n" in output
    assert "post 105 “Members only”: password-protected: imported as a draft, never public" in output
    assert "post 106 “Private notes”: private: imported as a draft, never public" in output
    assert (
        "post 102 “(untitled)”: had no title; titled “Moscow rains again today as the river rises…”" in output
    )
    assert "post 100 “Putin & Xi: “Old” friends”: other categories not carried over: Culture" in output
    assert "Shortcodes removed (their inner text kept): [contact-form-7] ×1, [pullquote] ×1" in output
    assert "  https://elsewhere.example/hotlinked.jpg ×1" in output


def test_missing_media_are_listed_and_written_as_csv_next_to_the_export(export):
    output = run(export)
    assert "Missing media (3):" in output
    with open(export.parent / "magazine-missing-media.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["wordpress_id", "url", "expected_file", "reason"]
    assert [row[0] for row in rows[1:]] == ["13", "14", "100"]
    assert rows[1][3] == "file not found"
    assert rows[2][3].startswith("refused: This file is not an image Pillow can read")


def test_without_uploads_every_attachment_is_missing_and_the_import_still_succeeds(export):
    output = run(export, uploads=False)
    assert Image.objects.count() == 0
    assert "Missing media (" in output and "no --uploads folder given" in output
    assert article(100).lead_image is None


def test_an_attached_file_outside_the_uploads_folder_is_refused(export):
    export.write_text(
        export.read_text().replace(
            "2013/03/kremlin.jpg]]></wp:meta_value>", "../../../wordpress/magazine.xml]]></wp:meta_value>"
        )
    )
    output = run(export)
    assert "the file name points outside the uploads folder" in output


def test_tags_need_a_vocabulary(export):
    with pytest.raises(
        CommandError, match=r"The export has 45 tags\. Say where they go: --tags-as people\|places\|events"
    ):
        call_command("import_wordpress", str(export), stdout=StringIO())
    assert Article.objects.count() == 0


def test_tag_map_alone_skips_unplaced_tags(export):
    stdout = StringIO()
    call_command("import_wordpress", str(export), "--tag-map", str(FIXTURES / "tag-map.csv"), stdout=stdout)
    assert Event.objects.count() == 0
    assert "  tag: 42 (not in --tag-map and no --tags-as given)\n" in stdout.getvalue()


def test_a_bad_tag_map_row_is_named(export, tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("Moscow,cities\n")
    with pytest.raises(CommandError, match=r"line 1: expected name,vocabulary .* got 'Moscow,cities'"):
        call_command("import_wordpress", str(export), "--tag-map", str(bad), stdout=StringIO())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("billion-laughs.xml", "refused: the file declares a DTD or entities"),
        ("external-entity.xml", "refused: the file declares a DTD or entities"),
        ("dtd-fetch.xml", "refused: the file declares a DTD or entities"),
        (
            "truncated.xml",
            r"Line 36: the XML is broken or cut short \(no element found\)\. Nothing was imported\.",
        ),
        ("not-wxr.xml", "this is not a WordPress export: the document starts with <html>"),
        ("rss-not-wxr.xml", r"this is not a WordPress export: no <wp:wxr_version>"),
    ],
)
def test_hostile_and_bad_files_are_refused_quickly_and_nothing_is_imported(name, message):
    started = time.monotonic()
    no_network = mock.patch("socket.socket.connect", side_effect=AssertionError("no network"))
    with no_network, pytest.raises(CommandError, match=message):
        call_command("import_wordpress", str(FIXTURES / name), "--tags-as", "events", stdout=StringIO())
    assert time.monotonic() - started < 5  # a billion-laughs expansion would take minutes and gigabytes
    assert Article.objects.count() == Author.objects.count() == ImportedObject.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failure_midway_leaves_nothing_behind(export, settings):
    real = importer_module.Importer.import_post

    def fail_on_104(self, item):
        if item.post_id == 104:
            raise RuntimeError("disk full")
        return real(self, item)

    with mock.patch.object(importer_module.Importer, "import_post", fail_on_104), pytest.raises(RuntimeError):
        run(export)
    assert Article.objects.count() == Image.objects.count() == PathRedirect.objects.count() == 0
    assert stored_files(settings) == []


def test_progress_is_plain_lines_when_not_a_terminal(export, monkeypatch):
    monkeypatch.setattr("wordpress.management.commands.import_wordpress.PLAIN_PROGRESS_EVERY", 10)
    output = run(export)
    assert output.startswith("10/22 items\n20/22 items\n22/22 items\n")


def test_a_slug_taken_by_an_existing_article_gets_a_suffix_and_is_named(export):
    from .builders import make_article

    make_article(slug="forty-two-tags")
    output = run(export)
    assert article(104).slug == "forty-two-tags-2"
    assert "post 104 “Forty-two tags”: slug “forty-two-tags” was taken; it is “forty-two-tags-2”" in output
