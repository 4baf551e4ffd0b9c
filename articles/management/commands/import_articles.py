"""`manage.py import_articles FILE...`: plain-text articles into the CMS.

Every file is read and checked before anything is written; the writes then happen in
one transaction, so a run imports all of its files or none of them.
"""

import re
from argparse import RawDescriptionHelpFormatter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.core.validators import validate_unicode_slug
from django.db import DatabaseError, transaction
from django.utils.html import escape
from django.utils.text import slugify

from articles.models import Article, ArticleAuthor, Author, Section, Status
from articles.tagging import parse_tags
from articles.vocabularies import VOCABULARIES
from images.models import Image
from images.renditions import delete_renditions
from images.validators import open_checked

FILE_FORMAT = """\
Import plain-text articles, creating or updating each by its slug.

File format (UTF-8 text):

  Vladimir Putin Meets Xi Jinping            <- first line: the title
                                             <- paragraphs are separated by blank lines
  Xi Jinping made his first trip abroad...   <- a paragraph (may wrap over several lines)

  A Short Subheading                         <- a short line (80 characters or fewer) with no
                                                final punctuation, between two paragraphs,
  The timing of the visit...                    becomes a subheading (<h2>)

  Image Credit: Reuters                      <- the lead image's credit (not part of the body)

  Published by HOLR Magazine.                <- recognised at the end and left out of the body

The slug comes from the title (unicode kept: "Zürich" stays "zürich"); an article with
that slug is updated, otherwise one is created. The dek is the first sentence of the
first paragraph unless --dek is given. Text is stored as text: "<b>" in a file shows
as "<b>", it is never markup.

Each file is reported as "created <slug>" or "updated <slug>". If any file has a
problem, the command names it and imports nothing.
"""

TITLE_MAX_CHARS = Article._meta.get_field("title").max_length
SLUG_MAX_CHARS = Article._meta.get_field("slug").max_length
DEK_MAX_CHARS = 400  # Article.dek's form limit, for a dek given with --dek
DEFAULT_DEK_CHARS = 300
HEADING_MAX_CHARS = 80
# A line ending in one of these is a sentence (or a quotation), not a subheading.
TERMINAL_PUNCTUATION = tuple(".!?:;…”\"’'")
CREDIT_LINE = re.compile(r"image credit\s*:\s*(?P<credit>.*)", re.IGNORECASE)
# Short, so that a closing paragraph such as "Published by Penguin in 1995, the novel…"
# is not mistaken for the magazine's sign-off.
PUBLISHED_LINE = re.compile(r"published by\s+\S.{0,80}", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(?=\s)")
# Words whose full stop does not end a sentence in a dek ("Mr. Xi said").
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "gen", "col", "lt", "sgt",
    "capt", "gov", "sen", "rep", "pres", "rev", "fr", "no", "vs", "etc", "approx", "inc",
}


class FileProblem(Exception):
    """Why one file (an article or the --image) cannot be imported."""


@dataclass(frozen=True)
class ParsedArticle:
    path: Path
    title: str
    slug: str
    dek: str
    body: str
    credit: str = ""  # from the "Image Credit:" line; empty when the file has none


@dataclass(frozen=True)
class LeadImage:
    path: Path
    alt: str


@dataclass(frozen=True)
class Metadata:
    """What the command line sets on every imported article; None means "leave as is"."""

    status: str | None = None
    section: str | None = None
    authors: list | None = None
    tags: dict = field(default_factory=dict)  # vocabulary -> names, only those given
    image: LeadImage | None = None


@dataclass
class Outcome:
    path: Path
    slug: str
    is_new: bool
    warnings: list = field(default_factory=list)


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's option order, with the file-format description kept as written."""


class Command(BaseCommand):
    help = FILE_FORMAT

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="Plain-text article files.")
        parser.add_argument("--people", help='Comma-separated names, e.g. "Vladimir Putin, Xi Jinping". '
                            "Replaces the article's people; an empty string clears them.")
        parser.add_argument("--places", help='Comma-separated places, e.g. "Moscow, the Kremlin". Replaces the article\'s places.')
        parser.add_argument("--events", help="Comma-separated events. Replaces the article's events.")
        parser.add_argument("--section", help="Section name or slug; created when it does not exist.")
        parser.add_argument("--status", choices=Status.values,
                            help="draft, review or published. New articles default to draft; "
                            "an updated article keeps its status unless this is given.")
        parser.add_argument("--author", action="append", dest="authors", metavar="NAMES",
                            help="Byline, in order: repeat the option or separate names with commas. "
                            "Unknown authors are created. Replaces the article's authors.")
        parser.add_argument("--slug", help="Use this slug instead of the title's (one FILE only).")
        parser.add_argument("--dek", help="The standfirst (one FILE only). Default: the first sentence of the first paragraph.")
        parser.add_argument("--image", type=Path, metavar="PATH",
                            help="Lead image file (JPEG, PNG, WebP, AVIF or GIF; one FILE only). "
                            "Its credit is the file's Image Credit line. Needs --alt.")
        parser.add_argument("--alt", help="Alt text for --image: what the image shows.")

    def handle(self, *args, files, **options):
        metadata, lead_image_problem = read_metadata(files, options)
        articles, problems = [], [lead_image_problem] if lead_image_problem else []
        for path in files:
            try:
                articles.append(parse_file(path, slug=options["slug"], dek=options["dek"]))
            except FileProblem as problem:
                problems.append(f"{path}: {problem}")
        problems += duplicate_slugs(articles)
        if problems:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(problems))

        try:
            outcomes = import_all(articles, metadata)
        except WriteFailed as failure:
            raise CommandError(
                f"{failure.path}: could not be stored ({failure.error}). Nothing was imported."
            ) from failure
        self.report(outcomes, options["verbosity"])

    def report(self, outcomes, verbosity):
        for outcome in outcomes:
            for warning in outcome.warnings:
                self.stderr.write(f"warning: {outcome.path}: {warning}", style_func=self.style.WARNING)
            if verbosity >= 1:
                self.stdout.write(f"{'created' if outcome.is_new else 'updated'} {outcome.slug}")
        if verbosity >= 1:
            created = sum(outcome.is_new for outcome in outcomes)
            noun = "article" if len(outcomes) == 1 else "articles"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {len(outcomes)} {noun}: {created} created, {len(outcomes) - created} updated."
                )
            )


# Reading the command line -------------------------------------------------------------


def read_metadata(files, options):
    """Check the options; return (Metadata, a problem with the --image file or None)."""
    for name in ("slug", "dek", "image", "alt"):
        if options[name] is not None and len(files) > 1:
            raise CommandError(f"--{name} applies to one article; {len(files)} files were given.")
    if options["slug"] is not None:
        check_slug(options["slug"])
    if options["dek"] is not None and len(options["dek"]) > DEK_MAX_CHARS:
        raise CommandError(f"--dek is {len(options['dek'])} characters; the limit is {DEK_MAX_CHARS}.")
    if options["section"] is not None:
        check_name("--section", options["section"], Section, ("name", "slug"))

    authors = None
    if options["authors"] is not None:
        authors = [name for value in options["authors"] for name in parse_tags(value)]
        for name in authors:
            check_name("--author", name, Author, ("name", "slug"))
    tags = {}
    for vocabulary in VOCABULARIES:
        if options[vocabulary] is not None:
            tags[vocabulary] = parse_tags(options[vocabulary])
            model = VOCABULARIES[vocabulary].model
            for name in tags[vocabulary]:
                check_name(f"--{vocabulary}", name, model, ("name",))

    image, problem = read_lead_image(options["image"], options["alt"])
    metadata = Metadata(status=options["status"], section=options["section"], authors=authors, tags=tags, image=image)
    return metadata, problem


def check_slug(slug):
    try:
        validate_unicode_slug(slug)
    except ValidationError as error:
        raise CommandError(
            f"--slug {slug!r} is not a slug: use letters, numbers, hyphens and underscores."
        ) from error
    if len(slug) > SLUG_MAX_CHARS:
        raise CommandError(f"--slug is {len(slug)} characters; the limit is {SLUG_MAX_CHARS}.")


def check_name(option, name, model, fields):
    """A name the write phase can store: it fits the model's fields and gives a slug."""
    limit = min(model._meta.get_field(name_field).max_length for name_field in fields)
    if len(name) > limit:
        raise CommandError(f"{option} {name[:40]!r}… is {len(name)} characters; the limit is {limit}.")
    if not name.strip() or ("slug" in fields and not slugify(name, allow_unicode=True)):
        raise CommandError(f"{option} {name!r} needs at least one letter or digit.")


def read_lead_image(path, alt):
    if path is None:
        if alt is not None:
            raise CommandError("--alt describes the --image file; give --image PATH too.")
        return None, None
    alt = " ".join((alt or "").split())
    if not alt:
        raise CommandError(f"--image {path} needs --alt: a short description of what the image shows.")
    limit = Image._meta.get_field("alt").max_length
    if len(alt) > limit:
        raise CommandError(f"--alt is {len(alt)} characters; the limit is {limit}.")
    try:
        check_image_file(path)
    except FileProblem as problem:
        return LeadImage(path, alt), f"{path}: {problem}"
    return LeadImage(path, alt), None


@contextmanager
def reading(what):
    """Turn the ways a file cannot be read into a FileProblem that says so."""
    try:
        yield
    except FileNotFoundError as error:
        raise FileProblem(f"no such {what}") from error
    except IsADirectoryError as error:
        raise FileProblem(f"is a directory, not {'an' if what[0] in 'aeiou' else 'a'} {what}") from error
    except PermissionError as error:
        raise FileProblem("cannot be read (permission denied)") from error
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror or error})") from error


def check_image_file(path):
    with reading("image file"):
        with path.open("rb") as handle:
            try:
                open_checked(File(handle, name=path.name))
            except ValidationError as error:
                raise FileProblem(" ".join(error.messages)) from error


# Reading and parsing a file -------------------------------------------------------------


def parse_file(path, *, slug=None, dek=None):
    text = read_text(path)
    return parse_article(path, text, slug=slug, dek=dek)


def read_text(path):
    with reading("file"):
        data = path.read_bytes()
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark some editors write
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); save it as UTF-8"
        ) from error
    if "\x00" in text:
        raise FileProblem("contains NUL bytes; is it a text file?")
    if not text.strip():
        raise FileProblem("is empty")
    return text


def parse_article(path, text, *, slug=None, dek=None):
    lines = [" ".join(line.split()) for line in text.splitlines()]
    title_index = next(index for index, line in enumerate(lines) if line)
    title = lines[title_index]
    check_title(title)
    rest = lines[title_index + 1 :]
    credit = take_credit(rest, first_line_number=title_index + 2)
    drop_published_by(rest)
    blocks = split_blocks(rest)
    if not blocks:
        raise FileProblem("has a title but no body paragraphs")

    slug = slug or slug_from_title(title)
    body = render_body(blocks)
    if dek is None:
        dek = first_sentence(" ".join(blocks[0]))
    return ParsedArticle(path=path, title=title, slug=slug, dek=" ".join(dek.split()), body=body, credit=credit)


def check_title(title):
    if CREDIT_LINE.fullmatch(title) or PUBLISHED_LINE.fullmatch(title):
        raise FileProblem(f"has no title: the first line is {title[:60]!r}")
    if len(title) > TITLE_MAX_CHARS:
        raise FileProblem(
            f"has no title: the first line is {len(title)} characters long, and a title is at most "
            f"{TITLE_MAX_CHARS} (is the title line missing?)"
        )


def take_credit(lines, *, first_line_number):
    """Remove the "Image Credit:" line from `lines` (in place) and return its credit."""
    found = [(index, match) for index, line in enumerate(lines) if (match := CREDIT_LINE.fullmatch(line))]
    if not found:
        return ""
    if len(found) > 1:
        numbers = ", ".join(str(first_line_number + index) for index, _ in found)
        raise FileProblem(f"has {len(found)} Image Credit lines (lines {numbers}); keep one")
    index, match = found[0]
    credit = match["credit"]
    limit = Image._meta.get_field("credit").max_length
    if not credit:
        raise FileProblem(f"line {first_line_number + index}: the Image Credit line names no one")
    if len(credit) > limit:
        raise FileProblem(f"line {first_line_number + index}: the image credit is {len(credit)} characters; the limit is {limit}")
    lines[index] = ""  # a blank line: the credit also ends the paragraph above it
    return credit


def drop_published_by(lines):
    """Blank out "Published by …" lines at the end of `lines`, after the last paragraph."""
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index]:
            continue
        if not PUBLISHED_LINE.fullmatch(lines[index]):
            return
        lines[index] = ""


def split_blocks(lines):
    """Group lines into blocks separated by blank lines; a block is one paragraph or heading."""
    blocks, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def slug_from_title(title):
    slug = slugify(title, allow_unicode=True)[:SLUG_MAX_CHARS].strip("-_")
    if not slug:
        raise FileProblem(f"the title {title!r} gives an empty slug; pass --slug")
    return slug


def looks_like_heading(block):
    text = block[0]
    return (
        len(block) == 1
        and len(text) <= HEADING_MAX_CHARS
        and not text.endswith(TERMINAL_PUNCTUATION)
        and any(char.isalnum() for char in text)
    )


def render_body(blocks):
    """Paragraphs as <p>; a heading-like line between two paragraphs as <h2>. Text is escaped."""
    candidates = [looks_like_heading(block) for block in blocks]
    parts = []
    for index, block in enumerate(blocks):
        is_heading = (
            candidates[index]
            and 0 < index < len(blocks) - 1
            and not candidates[index - 1]
            and not candidates[index + 1]
        )
        tag = "h2" if is_heading else "p"
        parts.append(f"<{tag}>{escape(' '.join(block))}</{tag}>")
    return "\n".join(parts)


def first_sentence(paragraph, limit=DEFAULT_DEK_CHARS):
    for match in SENTENCE_END.finditer(paragraph):
        if not is_abbreviation(paragraph, match):
            return truncate_words(paragraph[: match.end()], limit)
    return truncate_words(paragraph, limit)


def is_abbreviation(text, match):
    """A full stop after "Mr", "U.S" or an initial, or one followed by a lower-case word."""
    following = text[match.end() :].lstrip()
    if following and following[0].islower():
        return True
    if text[match.start()] != ".":
        return False
    words = text[: match.start()].split()
    word = words[-1] if words else ""
    return len(word) == 1 or "." in word or word.lower() in ABBREVIATIONS


def truncate_words(text, limit):
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # drop the partial word
    return cut.rstrip(" ,;:–—-") + "…"


def duplicate_slugs(articles):
    seen, problems = {}, []
    for article in articles:
        if article.slug in seen:
            problems.append(
                f"{article.path}: has the same slug as {seen[article.slug]} ({article.slug}); "
                "import one of them, or give each its own title"
            )
        else:
            seen[article.slug] = article.path
    return problems


# Writing ------------------------------------------------------------------------------


class WriteFailed(Exception):
    def __init__(self, path, error):
        super().__init__(path, error)
        self.path, self.error = path, error


def import_all(articles, metadata):
    """Store every parsed article in one transaction; on failure, remove any stored image files."""
    created_images = []
    try:
        with transaction.atomic():
            section = resolve_section(metadata.section) if metadata.section is not None else None
            authors = resolve_authors(metadata.authors) if metadata.authors is not None else None
            outcomes = []
            for parsed in articles:
                try:
                    outcomes.append(import_article(parsed, metadata, section, authors, created_images))
                except DatabaseError as error:
                    raise WriteFailed(parsed.path, error) from error
            return outcomes
    except BaseException:
        for image in created_images:
            discard_files(image)
        raise


def import_article(parsed, metadata, section, authors, created_images):
    article = Article.objects.select_for_update().filter(slug=parsed.slug).first()
    outcome = Outcome(parsed.path, parsed.slug, is_new=article is None)
    if article is None:
        article = Article(slug=parsed.slug, status=metadata.status or Status.DRAFT)
    elif metadata.status is not None:
        article.status = metadata.status
    article.title, article.dek, article.body = parsed.title, parsed.dek, parsed.body
    if section is not None:
        article.section = section

    if metadata.image is not None:
        article.lead_image = store_image(metadata.image, parsed.credit, created_images)
    elif parsed.credit and article.lead_image_id:
        article.lead_image.credit = parsed.credit
        article.lead_image.save(update_fields=["credit"])
    elif parsed.credit:
        outcome.warnings.append(
            f'found "Image Credit: {parsed.credit}" but the article has no lead image to attach '
            "it to; import with --image PATH --alt TEXT to add one"
        )
    article.save()

    if authors is not None:
        set_authors(article, authors)
    apply_tags(article, metadata.tags)
    return outcome


def resolve_section(value):
    slug = slugify(value, allow_unicode=True)
    section = (
        Section.objects.filter(slug=value).first()
        or Section.objects.filter(name__iexact=value).first()
        or Section.objects.filter(slug=slug).first()
    )
    return section or Section.objects.create(name=value, slug=slug)


def resolve_authors(names):
    """Authors by name (any case) or slug, created when unknown; in byline order, once each."""
    authors = {}
    for name in names:
        slug = slugify(name, allow_unicode=True)
        author = (
            Author.objects.filter(name__iexact=name).order_by("pk").first()
            or Author.objects.filter(slug=slug).first()
            or Author.objects.create(name=name, slug=slug)
        )
        authors.setdefault(author.pk, author)
    return list(authors.values())


def set_authors(article, authors):
    article.author_links.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, position=position)
        for position, author in enumerate(authors)
    )


def apply_tags(article, tags):
    for vocabulary, names in tags.items():
        getattr(article, vocabulary).set(names)


def store_image(lead_image, credit, created_images):
    image = Image(alt=lead_image.alt, credit=credit)
    created_images.append(image)
    with lead_image.path.open("rb") as handle:
        image.file = File(handle, name=lead_image.path.name)
        image.save()
    return image


def discard_files(image):
    """Delete an image's stored file and renditions (its row is gone with the rollback)."""
    if image.file and getattr(image.file, "_committed", False):
        delete_renditions(image.file.name)
        image.file.storage.delete(image.file.name)
