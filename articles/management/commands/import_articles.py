"""`manage.py import_articles FILE...`: plain-text articles into the CMS.

Every file is read and checked before anything is written; the writes then happen in
one transaction, so a run imports all of its files or none of them.
"""

from argparse import RawDescriptionHelpFormatter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.core.validators import validate_unicode_slug
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from articles.models import Article, ArticleAuthor, Author, Section, Status
from articles.plain_text import (
    SLUG_MAX_CHARS,
    FileProblem,
    duplicate_slugs,
    parse_file,
    reading,
)
from articles.tagging import parse_tags
from articles.vocabularies import VOCABULARIES
from holr.progress import command_progress, no_progress
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

DEK_MAX_CHARS = 400  # Article.dek's form limit, for a dek given with --dek


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
        parser.add_argument(
            "--people",
            help='Comma-separated names, e.g. "Vladimir Putin, Xi Jinping". '
            "Replaces the article's people; an empty string clears them.",
        )
        parser.add_argument(
            "--places",
            help='Comma-separated places, e.g. "Moscow, the Kremlin". Replaces the article\'s places.',
        )
        parser.add_argument("--events", help="Comma-separated events. Replaces the article's events.")
        parser.add_argument("--section", help="Section name or slug; created when it does not exist.")
        parser.add_argument(
            "--status",
            choices=Status.values,
            help="draft, review or published. New articles default to draft; "
            "an updated article keeps its status unless this is given.",
        )
        parser.add_argument(
            "--author",
            action="append",
            dest="authors",
            metavar="NAMES",
            help="Byline, in order: repeat the option or separate names with commas. "
            "Unknown authors are created. Replaces the article's authors.",
        )
        parser.add_argument("--slug", help="Use this slug instead of the title's (one FILE only).")
        parser.add_argument(
            "--dek",
            help="The standfirst (one FILE only). Default: the first sentence of the first paragraph.",
        )
        parser.add_argument(
            "--image",
            type=Path,
            metavar="PATH",
            help="Lead image file (JPEG, PNG, WebP, AVIF or GIF; one FILE only). "
            "Its credit is the file's Image Credit line. Needs --alt.",
        )
        parser.add_argument("--alt", help="Alt text for --image: what the image shows.")

    def handle(self, *args, files, **options):
        metadata, lead_image_problem = read_metadata(files, options)
        articles, problems = [], [lead_image_problem] if lead_image_problem else []
        verbosity = options["verbosity"]
        with command_progress(self, "Reading", len(files), verbosity=verbosity, unit="files") as progress:
            for path in files:
                try:
                    articles.append(parse_file(path, slug=options["slug"], dek=options["dek"]))
                except FileProblem as problem:
                    problems.append(f"{path}: {problem}")
                progress()
        problems += duplicate_slugs(articles)
        if problems:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(problems))

        try:
            with command_progress(
                self, "Importing", len(articles), verbosity=verbosity, unit="articles"
            ) as progress:
                outcomes = import_all(articles, metadata, progress)
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
    metadata = Metadata(
        status=options["status"], section=options["section"], authors=authors, tags=tags, image=image
    )
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


def check_image_file(path):
    with reading("image file"), path.open("rb") as handle:
        try:
            open_checked(File(handle, name=path.name))
        except ValidationError as error:
            raise FileProblem(" ".join(error.messages)) from error


# Writing ------------------------------------------------------------------------------


class WriteFailed(Exception):
    def __init__(self, path, error):
        super().__init__(path, error)
        self.path, self.error = path, error


def import_all(articles, metadata, progress=no_progress):
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
                progress()
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
