"""The plain-text importer: `manage.py import_articles FILE...`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from articles.management.commands import import_articles
from articles.models import Article, Author, Event, Person, Place, Section, Status
from images.models import Image

from .builders import image_bytes, make_article, make_author, make_image, make_section

FIXTURES = Path(__file__).parent / "fixtures" / "importer"
SEED_SHAPED = FIXTURES / "night-market.txt"
SEED_SLUG = "lisbon-hosts-its-first-night-market-for-independent-designers"
SECOND = FIXTURES / "tidal-power.txt"
SECOND_SLUG = "a-small-island-bets-on-tidal-power"


def run_import(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("import_articles", *map(str, args), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored_files(settings):
    media = Path(settings.MEDIA_ROOT)
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.fixture
def lead_jpeg(tmp_path):
    path = tmp_path / "market.jpg"
    path.write_bytes(image_bytes(width=800, height=450))
    return path


def assert_nothing_stored(settings):
    assert Article.objects.count() == 0
    assert Image.objects.count() == 0
    assert Section.objects.count() == 0
    assert Author.objects.count() == 0
    assert Person.objects.count() == 0
    assert stored_files(settings) == []


# The file format --------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_article_from_seed_shaped_file():
    """Title from the first line, each paragraph a <p>, the mid-article short line an <h2>."""
    stdout, _ = run_import(SEED_SHAPED)

    article = Article.objects.get()
    assert article.title == "Lisbon Hosts Its First Night Market for Independent Designers"
    assert article.slug == SEED_SLUG
    assert article.body.count("<p>") == 4
    assert article.body.count("<h2>") == 1
    assert "<h2>Designers Behind the Stalls</h2>" in article.body
    assert article.body.startswith("<p>More than 2.5 thousand visitors")
    assert article.body.endswith(
        "agree to the late opening hours. A public consultation is planned for the spring.</p>"
    )
    assert article.status == Status.DRAFT
    assert article.published_at is None
    assert stdout.splitlines() == [f"created {SEED_SLUG}", "Imported 1 article: 1 created, 0 updated."]


@pytest.mark.django_db
def test_import_leaves_credit_and_published_by_lines_out_of_the_body():
    """The Image Credit and "Published by" lines are recognised, not printed as paragraphs."""
    run_import(SEED_SHAPED)

    body = Article.objects.get().body
    assert "Image Credit" not in body
    assert "Marta Lopes" not in body
    assert "Published by" not in body


@pytest.mark.django_db
def test_import_takes_the_first_sentence_as_dek():
    """The dek is the first paragraph's first sentence; a decimal point does not end it."""
    run_import(SEED_SHAPED)

    assert Article.objects.get().dek == (
        "More than 2.5 thousand visitors crowded the riverside warehouses of Lisbon on Friday "
        "for the city’s first night market devoted to independent designers."
    )


@pytest.mark.django_db
def test_import_dek_skips_abbreviations_and_caps_long_sentences(tmp_path):
    """The dek's sentence runs past "Mr." and "U.S."; one over 300 characters is cut on a word, with an ellipsis."""
    short = write(
        tmp_path, "short.txt", "Talks Resume\n\nMr. Lee met U.S. envoys on Monday. Nothing was agreed.\n"
    )
    words = " ".join(f"word{n}" for n in range(80))
    long = write(tmp_path, "long.txt", f"A Long Opening\n\n{words}. Second sentence.\n")
    run_import(short, long)

    assert Article.objects.get(slug="talks-resume").dek == "Mr. Lee met U.S. envoys on Monday."
    dek = Article.objects.get(slug="a-long-opening").dek
    assert len(dek) <= 300
    assert dek.endswith("…")
    assert words.startswith(dek.removesuffix("…"))
    assert dek.removesuffix("…").split()[-1] in words.split()  # a whole word, not a fragment


@pytest.mark.django_db
def test_import_uses_the_dek_option_when_given():
    """--dek replaces the first-sentence default."""
    run_import(SEED_SHAPED, "--dek", "Designers take over the riverside for one night.")

    assert Article.objects.get().dek == "Designers take over the riverside for one night."


@pytest.mark.django_db
def test_import_makes_headings_only_of_short_unpunctuated_lines_between_paragraphs(tmp_path):
    """A short line ending in punctuation, or one with no paragraph after it, stays a paragraph."""
    path = write(
        tmp_path,
        "headings.txt",
        "Rules for Headings\n\nFirst paragraph.\n\nIt was over.\n\nSecond paragraph.\n\n"
        "What Comes Next\n\nThird paragraph.\n\nA closing thought\n",
    )
    run_import(path)

    assert Article.objects.get().body == (
        "<p>First paragraph.</p>\n<p>It was over.</p>\n<p>Second paragraph.</p>\n"
        "<h2>What Comes Next</h2>\n<p>Third paragraph.</p>\n<p>A closing thought</p>"
    )


@pytest.mark.django_db
def test_import_joins_wrapped_lines_into_one_paragraph(tmp_path):
    """Lines without a blank line between them are one paragraph, whatever the line endings."""
    path = tmp_path / "wrapped.txt"
    path.write_bytes(b"Wrapped Text\r\n\r\nOne sentence that\r\nwraps over two lines.\r\n")
    run_import(path)

    assert Article.objects.get().body == "<p>One sentence that wraps over two lines.</p>"


@pytest.mark.django_db
def test_import_stores_html_in_the_text_as_text():
    """Markup in a file is escaped: <script> is stored as visible text, never as a tag."""
    run_import(FIXTURES / "markup-in-text.txt")

    article = Article.objects.get()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article.body
    assert "<script" not in article.body
    assert "Q&amp;A" in article.body
    assert "&lt;a href=" in article.body
    assert "<a " not in article.body
    assert article.title == "Why <b>Bold</b> Tags Are Not Bold Here"  # plain text; templates escape it


@pytest.mark.django_db
def test_import_keeps_unicode_in_the_slug(tmp_path):
    """Slugs come from slugify(allow_unicode=True): 习近平 and ü survive."""
    chinese = write(tmp_path, "xi.txt", "习近平访问莫斯科\n\n第一段。\n")
    german = write(tmp_path, "zurich.txt", "Zürich Café Owners Object\n\nThey wrote a letter.\n")
    run_import(chinese, german)

    assert set(Article.objects.values_list("slug", flat=True)) == {
        "习近平访问莫斯科",
        "zürich-café-owners-object",
    }


def test_help_describes_the_file_format():
    """--help explains the title line, blank-line paragraphs, subheadings and the two special lines."""
    parser = import_articles.Command().create_parser("manage.py", "import_articles")
    text = parser.format_help()

    for phrase in (
        "first line: the title",
        "blank lines",
        "<h2>",
        "Image Credit:",
        "Published by",
        "--people",
        "--image",
    ):
        assert phrase in text


# Metadata from the command line ----------------------------------------------------------


@pytest.mark.django_db
def test_import_tags_three_vocabularies_keeping_full_names():
    """--people/--places/--events split on commas only: "Vladimir Putin" stays one person."""
    run_import(
        SEED_SHAPED,
        "--people",
        "Vladimir Putin, Xi Jinping",
        "--places",
        'Moscow, the Kremlin, "Washington, D.C."',
        "--events",
        "Xi's 2023 state visit to Moscow",
    )

    article = Article.objects.get()
    assert sorted(article.people.names()) == ["Vladimir Putin", "Xi Jinping"]
    assert sorted(article.places.names()) == ["Moscow", "Washington, D.C.", "the Kremlin"]
    assert list(article.events.names()) == ["Xi's 2023 state visit to Moscow"]
    assert Person.objects.count() == 2
    assert Place.objects.count() == 3
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_import_reuses_existing_tags_case_insensitively():
    """A name typed in another case is the existing tag, not a new one."""
    make_article(people=["Vladimir Putin"])
    run_import(SEED_SHAPED, "--people", "vladimir putin")

    assert Person.objects.count() == 1
    assert list(Article.objects.get(slug=SEED_SLUG).people.names()) == ["Vladimir Putin"]


@pytest.mark.django_db
def test_import_sets_status_section_and_ordered_authors():
    """--status published publishes now; --section finds or creates; --author keeps byline order."""
    run_import(
        SEED_SHAPED,
        "--status",
        "published",
        "--section",
        "Culture",
        "--author",
        "Ana Lima, Ben Okafor",
        "--author",
        "Chen Wei",
    )

    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert article.published_at is not None
    assert article.is_published() is True
    assert (article.section.name, article.section.slug) == ("Culture", "culture")
    byline = [link.author.name for link in article.author_links.order_by("position")]
    assert byline == ["Ana Lima", "Ben Okafor", "Chen Wei"]
    assert Author.objects.get(name="Ben Okafor").slug == "ben-okafor"


@pytest.mark.django_db
def test_import_finds_existing_section_and_author_by_name_or_slug():
    """An existing section matches by slug or by name in any case; an author by name in any case."""
    arts = make_section(name="Arts & Culture", slug="arts")
    news = make_section(name="News", slug="news-desk")
    author = make_author(name="Ana Lima", slug="ana")
    run_import(SEED_SHAPED, "--section", "arts", "--author", "ana lima")
    run_import(SECOND, "--section", "NEWS")

    assert Article.objects.get(slug=SEED_SLUG).section == arts
    assert Article.objects.get(slug=SECOND_SLUG).section == news
    assert list(Article.objects.get(slug=SEED_SLUG).authors.all()) == [author]
    assert Section.objects.count() == 2
    assert Author.objects.count() == 1


@pytest.mark.django_db
def test_import_accepts_a_slug_for_a_single_file():
    """--slug overrides the title's slug."""
    run_import(SEED_SHAPED, "--slug", "night-market")

    assert Article.objects.get().slug == "night-market"


@pytest.mark.django_db
def test_import_refuses_per_article_options_with_several_files():
    """--slug, --dek, --image and --alt describe one article, so several files are refused."""
    with pytest.raises(CommandError, match="--slug applies to one article"):
        run_import(SEED_SHAPED, SECOND, "--slug", "both")
    assert Article.objects.count() == 0


# Create or update ---------------------------------------------------------------------


@pytest.mark.django_db
def test_second_import_updates_the_article_instead_of_duplicating(tmp_path):
    """Importing a file again updates the article with that slug and reports "updated"."""
    path = write(tmp_path, "story.txt", "Harbour Works Begin\n\nThe first version.\n")
    run_import(path)
    path.write_text("Harbour Works Begin\n\nThe corrected version.\n", encoding="utf-8")
    stdout, _ = run_import(path)

    article = Article.objects.get()
    assert article.body == "<p>The corrected version.</p>"
    assert article.dek == "The corrected version."
    assert stdout.splitlines() == ["updated harbour-works-begin", "Imported 1 article: 0 created, 1 updated."]


@pytest.mark.django_db
def test_update_replaces_only_the_vocabularies_given():
    """On update, tags given on the command line replace that vocabulary; the others stay."""
    run_import(SEED_SHAPED, "--people", "Ana Lima, Ben Okafor", "--places", "Lisbon")
    run_import(SEED_SHAPED, "--people", "Chen Wei", "--events", "")

    article = Article.objects.get()
    assert list(article.people.names()) == ["Chen Wei"]
    assert list(article.places.names()) == ["Lisbon"]
    assert list(article.events.names()) == []


@pytest.mark.django_db
def test_update_keeps_status_section_and_authors_unless_given():
    """Re-importing a published article without --status does not unpublish it."""
    run_import(SEED_SHAPED, "--status", "published", "--section", "Culture", "--author", "Ana Lima")
    published_at = Article.objects.get().published_at
    run_import(SEED_SHAPED)

    article = Article.objects.get()
    assert article.status == Status.PUBLISHED
    assert article.published_at == published_at
    assert article.section.name == "Culture"
    assert [author.name for author in article.authors.all()] == ["Ana Lima"]


@pytest.mark.django_db
def test_update_replaces_the_byline_when_authors_are_given():
    """--author on update replaces the byline, in the new order."""
    run_import(SEED_SHAPED, "--author", "Ana Lima, Ben Okafor")
    run_import(SEED_SHAPED, "--author", "Ben Okafor, Chen Wei")

    article = Article.objects.get()
    assert [link.author.name for link in article.author_links.order_by("position")] == [
        "Ben Okafor",
        "Chen Wei",
    ]


@pytest.mark.django_db
def test_import_reports_each_file_and_a_summary():
    """One line per file, then the counts."""
    make_article(slug=SECOND_SLUG)
    stdout, _ = run_import(SEED_SHAPED, SECOND)

    assert stdout.splitlines() == [
        f"created {SEED_SLUG}",
        f"updated {SECOND_SLUG}",
        "Imported 2 articles: 1 created, 1 updated.",
    ]


# Images and credits ------------------------------------------------------------------


@pytest.mark.django_db
def test_import_with_image_creates_lead_image_with_credit_and_alt(lead_jpeg, settings):
    """--image stores a library image with the file's credit and --alt, as the lead image."""
    run_import(SEED_SHAPED, "--image", lead_jpeg, "--alt", "Shoppers between lit stalls at night")

    image = Article.objects.get().lead_image
    assert image.credit == "Marta Lopes for HOLR"
    assert image.alt == "Shoppers between lit stalls at night"
    assert (image.width, image.height) == (800, 450)
    assert Path(image.file.path).is_file()


@pytest.mark.django_db
def test_import_requires_alt_with_image(lead_jpeg, settings):
    """--image without --alt is an error, and nothing is stored."""
    with pytest.raises(CommandError, match="needs --alt"):
        run_import(SEED_SHAPED, "--image", lead_jpeg)
    assert_nothing_stored(settings)


@pytest.mark.django_db
def test_update_without_image_sets_the_credit_of_the_existing_lead_image():
    """Re-importing without --image moves the file's credit onto the article's lead image."""
    image = make_image(credit="Old credit")
    make_article(slug=SEED_SLUG, lead_image=image)
    _, stderr = run_import(SEED_SHAPED)

    image.refresh_from_db()
    assert image.credit == "Marta Lopes for HOLR"
    assert stderr == ""


@pytest.mark.django_db
def test_credit_without_any_image_is_reported_not_lost():
    """With no image to carry it, the credit line produces a warning naming the file and the credit."""
    _, stderr = run_import(SEED_SHAPED)

    assert str(SEED_SHAPED) in stderr
    assert "Image Credit: Marta Lopes for HOLR" in stderr
    assert "no lead image" in stderr
    assert Article.objects.get().lead_image is None


# Bad input: named, and nothing imported ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("does-not-exist.txt", "no such file"),
        ("empty.txt", "is empty"),
        ("latin-1.txt", "is not UTF-8 text (byte 0xe9 on line 1)"),
        ("title-only.txt", "has a title but no body paragraphs"),
    ],
)
def test_bad_file_is_named_and_nothing_is_imported(name, problem, settings, lead_jpeg):
    """A bad file among good ones stops the whole run before anything is written."""
    bad = FIXTURES / name
    with pytest.raises(CommandError) as raised:
        run_import(
            SEED_SHAPED,
            bad,
            SECOND,
            "--people",
            "Vladimir Putin",
            "--section",
            "News",
            "--author",
            "Ana Lima",
        )

    assert f"{bad}: {problem}" in str(raised.value)
    assert str(SEED_SHAPED) not in str(raised.value)
    assert_nothing_stored(settings)


@pytest.mark.django_db
def test_every_bad_file_is_reported_at_once():
    """All problems are listed in one error, so a batch can be fixed in one pass."""
    with pytest.raises(CommandError) as raised:
        run_import(FIXTURES / "empty.txt", SEED_SHAPED, FIXTURES / "title-only.txt")

    message = str(raised.value)
    assert "Nothing was imported" in message
    assert f"{FIXTURES / 'empty.txt'}: is empty" in message
    assert f"{FIXTURES / 'title-only.txt'}: has a title but no body paragraphs" in message
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_file_without_a_title_line_is_refused(tmp_path):
    """A file that opens with the credit line, or with a whole paragraph, has no title."""
    credit_first = write(tmp_path, "credit-first.txt", "Image Credit: Someone\n\nA paragraph.\n")
    paragraph_first = write(tmp_path, "paragraph-first.txt", "word " * 60 + "\n\nA paragraph.\n")
    with pytest.raises(CommandError) as raised:
        run_import(credit_first, paragraph_first)

    assert f"{credit_first}: has no title" in str(raised.value)
    assert f"{paragraph_first}: has no title" in str(raised.value)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_two_files_with_the_same_slug_are_refused(tmp_path):
    """Two files that would write the same article in one run are an error, not a silent overwrite."""
    copy = write(tmp_path, "copy.txt", SEED_SHAPED.read_text(encoding="utf-8"))
    with pytest.raises(CommandError, match=f"{copy}: has the same slug as {SEED_SHAPED}"):
        run_import(SEED_SHAPED, copy)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_broken_image_is_named_and_nothing_is_stored(settings):
    """A text file renamed .jpg is refused with its name; no article, image or file is left."""
    broken = FIXTURES / "not-an-image.jpg"
    with pytest.raises(CommandError) as raised:
        run_import(SEED_SHAPED, "--image", broken, "--alt", "A market at night", "--section", "Culture")

    assert f"{broken}: This file is not an image Pillow can read" in str(raised.value)
    assert_nothing_stored(settings)


@pytest.mark.django_db
def test_failed_write_rolls_back_and_removes_stored_image_files(lead_jpeg, settings, monkeypatch):
    """If a write fails after the image was stored, the run leaves no rows and no files behind."""

    def fail(article, tags):
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(import_articles, "apply_tags", fail)
    with pytest.raises(CommandError) as raised:
        run_import(SEED_SHAPED, "--image", lead_jpeg, "--alt", "A market at night", "--section", "Culture")

    assert f"{SEED_SHAPED}: could not be stored (simulated failure)" in str(raised.value)
    assert_nothing_stored(settings)
