"""Map a WordPress export onto HOLR: authors, sections, tags, images, articles, old addresses.

Two streaming passes over the file: the first collects the small things every post may
point at (authors, categories, attachments' metadata), the second imports the posts one
at a time. Everything happens in one transaction: a run imports all or nothing, and a
dry run is a real run rolled back. `ImportedObject` remembers what each WordPress object
became (site URL + WordPress id), so running the same export again updates in place.
"""

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from articles.models import Article, ArticleAuthor, Author, PathRedirect, Section, Status
from articles.vocabularies import VOCABULARIES
from images.cleanup import files_follow_transactions
from images.models import Image
from images.validators import open_checked
from pagecache.versions import bumps_deferred
from revisions.recording import record_revision
from richtext.sanitizer import sanitize_html
from search.documents import indexing_deferred

from . import body, pages
from .models import ImportedObject
from .wxr import read_wxr

Kind = ImportedObject.Kind
TITLE_WORDS = 8


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll everything back."""


@dataclass
class Attachment:
    wp_id: int
    url: str
    path: str  # relative to the uploads folder: 2013/03/photo.jpg
    alt: str
    caption: str
    parent: int
    title: str


@dataclass
class Found:
    """A library image an attachment became, with the attachment's caption."""

    image_id: int
    caption: str


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))  # kind → {created: n, …}
    skipped: Counter = field(default_factory=Counter)  # (kind, reason) → n
    named: list = field(default_factory=list)  # lines naming one post each
    missing_media: list = field(default_factory=list)  # [wp id, url, expected file, reason]
    shortcodes: Counter = field(default_factory=Counter)
    other_images: Counter = field(default_factory=Counter)

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def skip(self, kind, reason):
        self.skipped[(kind, reason)] += 1

    def name(self, item, message):
        self.named.append(f"post {item.post_id} “{clean_title(item.title) or '(untitled)'}”: {message}")


class Media:
    """Which library image an attachment id or uploads path became (body.py asks this)."""

    def __init__(self):
        self.attachments = {}  # wp id → Attachment
        self.images = {}  # wp id → Found
        self.paths = {}  # uploads path → wp id
        self.parents = defaultdict(list)  # post id → its attachments' ids

    def add(self, attachment):
        self.attachments[attachment.wp_id] = attachment
        if attachment.path:
            self.paths[attachment.path] = attachment.wp_id
        if attachment.parent:
            self.parents[attachment.parent].append(attachment.wp_id)

    def by_id(self, wp_id):
        return self.images.get(wp_id) if wp_id else None

    def by_path(self, path):
        return self.images.get(self.paths.get(path))

    def children(self, post_id):
        return self.parents.get(post_id, [])


def clean_title(title):
    """Plain text: markup dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(title or "")).split())


def old_path(url):
    """The address part of a WordPress URL: /2013/01/05/some-post/ or /?p=12 (decoded)."""
    parts = urlsplit(url or "")
    path = unquote(parts.path or "/")
    if parts.query:
        return f"{path}?{parts.query}"
    return "" if path == "/" else path


def unique_slug(model, slug, exclude_pk=None, max_length=200):
    """`slug`, or `slug-2`, `slug-3`… when another row of `model` has it."""
    base = slug[: max_length - 10]
    candidate, n = base, 2
    while model.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class Importer:
    def __init__(self, path, *, uploads=None, tags_as=None, tag_map=None, dry_run=False, progress=None):
        self.path = Path(path)
        self.uploads = Path(uploads).resolve() if uploads else None
        self.tags_as = tags_as
        self.tag_map = {name.casefold(): vocabulary for name, vocabulary in (tag_map or {}).items()}
        self.dry_run = dry_run
        self.progress = progress or (lambda done, total: None)
        self.report = Report()
        self.media = Media()
        self.site = None
        self.authors = {}  # login → display name (from the export)
        self.categories = {}  # slug → Term
        self.tag_names = set()
        self.item_count = 0

    # The run ---------------------------------------------------------------------------

    def scan(self):
        """Pass one: site, authors, categories, attachments; counts the items."""
        for kind, value in read_wxr(self.path):
            if kind == "site":
                self.site = value
            elif kind == "author":
                self.authors[value.login] = value.display_name or value.login
            elif kind == "term" and value.kind == "category":
                self.categories[value.slug] = value
            elif kind == "term":
                self.tag_names.add(value.name)
            elif kind == "item":
                self.item_count += 1
                self.tag_names.update(name for _, name in value.tags)
                if value.post_type == "attachment":
                    self.media.add(self.attachment(value))
        return self

    @property
    def needs_tag_vocabulary(self):
        return bool(self.tag_names) and not self.tags_as and not self.tag_map

    def run(self):
        """Pass two, in one transaction (rolled back for a dry run). Returns the report."""
        # One cache bump and one search-index pass for the whole run, not one per row saved.
        with files_follow_transactions(), bumps_deferred():
            try:
                with transaction.atomic(), indexing_deferred():
                    self.load_mappings()
                    self.import_images()
                    done = 0
                    for kind, item in read_wxr(self.path):
                        if kind != "item":
                            continue
                        self.import_item(item)
                        done += 1
                        self.progress(done, self.item_count)
                    if self.dry_run:
                        raise DryRunRollback
            except DryRunRollback:
                pass
        return self.report

    def load_mappings(self):
        self.site_url = self.site.url
        self.mapped = defaultdict(dict)  # kind → {wp id: object id}
        for kind, wp_id, object_id in ImportedObject.objects.filter(site_url=self.site_url).values_list(
            "kind", "wp_id", "object_id"
        ):
            self.mapped[kind][wp_id] = object_id
        self.redirects = {
            path: (article_id, new_path)
            for path, article_id, new_path in PathRedirect.objects.values_list(
                "old_path", "article_id", "new_path"
            )
        }
        self.sections = {}
        self.author_objects = {}
        self.tags = {key: {} for key in VOCABULARIES}

    def remember(self, kind, wp_id, obj):
        wp_id = str(wp_id)
        known = self.mapped[kind].get(wp_id)
        if known is None:
            ImportedObject.objects.create(site_url=self.site_url, kind=kind, wp_id=wp_id, object_id=obj.pk)
        elif known != obj.pk:  # what it became was deleted since the last run
            ImportedObject.objects.filter(site_url=self.site_url, kind=kind, wp_id=wp_id).update(
                object_id=obj.pk
            )
        self.mapped[kind][wp_id] = obj.pk

    def mapped_object(self, model, kind, wp_id):
        object_id = self.mapped[kind].get(str(wp_id))
        return model.objects.filter(pk=object_id).first() if object_id is not None else None

    def redirect(self, path, article=None, new_path=""):
        """Make `path` answer 301 to `article` or `new_path`; a second run writes nothing."""
        if not path or path == "/":
            return
        target = (article.pk if article else None, new_path)
        if self.redirects.get(path) == target:
            return
        if path in self.redirects:
            PathRedirect.objects.filter(old_path=path[:500]).update(article=article, new_path=new_path)
        else:
            PathRedirect.objects.create(old_path=path[:500], article=article, new_path=new_path)
        self.redirects[path] = target
        self.report.count("old address", "written")

    # Attachments -----------------------------------------------------------------------

    def attachment(self, item):
        url = item.attachment_url or item.link
        relative = item.meta.get("_wp_attached_file", "").strip().lstrip("/") or body.uploads_path(url)
        return Attachment(
            wp_id=item.post_id,
            url=url,
            path=relative,
            alt=clean_title(item.meta.get("_wp_attachment_image_alt", "")) or clean_title(item.title),
            caption=clean_title(item.excerpt),
            parent=item.parent_id,
            title=clean_title(item.title),
        )

    def import_images(self):
        for attachment in self.media.attachments.values():
            image = self.mapped_object(Image, Kind.ATTACHMENT, attachment.wp_id)
            if image is not None:
                self.report.count("image", "unchanged")
            else:
                image = self.import_image(attachment)
            if image is not None:
                self.media.images[attachment.wp_id] = Found(image.pk, attachment.caption)

    def import_image(self, attachment):
        problem, file_path = None, None
        if self.uploads is None:
            problem = "no --uploads folder given"
        elif not attachment.path:
            problem = "the export names no file"
        else:
            file_path = (self.uploads / attachment.path).resolve()
            if not file_path.is_relative_to(self.uploads):
                problem = "the file name points outside the uploads folder"
            elif not file_path.is_file():
                problem = "file not found"
        if problem is None:
            with open(file_path, "rb") as handle:
                upload = File(handle, name=file_path.name)
                try:
                    open_checked(upload)
                except ValidationError as error:
                    problem = f"refused: {' '.join(error.messages)}"
                else:
                    image = Image(
                        file=upload, alt=(attachment.alt or attachment.title or file_path.stem)[:300]
                    )
                    image.save()
                    self.remember(Kind.ATTACHMENT, attachment.wp_id, image)
                    self.report.count("image", "created")
                    return image
        expected = (
            str(self.uploads / attachment.path) if self.uploads and attachment.path else attachment.path
        )
        self.report.missing_media.append([attachment.wp_id, attachment.url, expected, problem])
        self.report.skip("image", "missing or refused file (see the missing-media list)")
        return None

    # Items -----------------------------------------------------------------------------

    def import_item(self, item):
        if item.post_type == "post":
            self.import_post(item)
        elif item.post_type == "page":
            pages.import_page(self, item)
        elif item.post_type != "attachment":
            self.report.skip(item.post_type or "item", "not a post, page or attachment")

    def author_for(self, login):
        if not login:
            return None
        if login in self.author_objects:
            return self.author_objects[login]
        author = self.mapped_object(Author, Kind.AUTHOR, login)
        if author is None:
            name = self.authors.get(login) or login
            author = Author.objects.create(
                name=name[:150],
                slug=unique_slug(Author, slugify(login, allow_unicode=True) or "author", max_length=150),
            )
            self.remember(Kind.AUTHOR, login, author)
            self.report.count("author", "created")
        self.redirect(f"/author/{login}/", new_path=author.get_absolute_url())
        self.author_objects[login] = author
        return author

    def section_for(self, slug, name):
        if slug in self.sections:
            return self.sections[slug]
        section = self.mapped_object(Section, Kind.CATEGORY, slug)
        if section is None:
            term_name = (self.categories[slug].name if slug in self.categories else "") or name or slug
            section = (
                Section.objects.filter(slug=slugify(slug, allow_unicode=True)).first()
                or Section.objects.filter(name=term_name[:100]).first()
            )
            if section is None:
                section = Section.objects.create(
                    name=term_name[:100],
                    slug=unique_slug(Section, slugify(slug, allow_unicode=True) or "section", max_length=100),
                )
                self.report.count("section", "created")
            self.remember(Kind.CATEGORY, slug, section)
        for path in self.category_paths(slug):
            self.redirect(path, new_path=section.get_absolute_url())
        self.sections[slug] = section
        return section

    def category_paths(self, slug):
        """/category/<slug>/, and /category/<parent>/<slug>/ for a nested one."""
        chain, seen = [slug], {slug}
        while chain[0] in self.categories and self.categories[chain[0]].parent and len(chain) < 10:
            parent = self.categories[chain[0]].parent
            if parent in seen:
                break
            chain.insert(0, parent)
            seen.add(parent)
        paths = [f"/category/{slug}/"]
        if len(chain) > 1:
            paths.append(f"/category/{'/'.join(chain)}/")
        return paths

    def tags_for(self, item):
        """{vocabulary: [tag, …]} for the item's WordPress tags."""
        chosen = defaultdict(list)
        for slug, full_name in item.tags:
            name = full_name.strip()[:100]  # the tag models' limit
            if not name:
                continue
            vocabulary = self.tag_map.get(name.casefold(), self.tags_as)
            if vocabulary is None:
                self.report.skip("tag", "not in --tag-map and no --tags-as given")
                continue
            tag = self.tags[vocabulary].get(name.casefold())
            if tag is None:
                model = VOCABULARIES[vocabulary].model
                tag = model.objects.filter(name__iexact=name).first()
                if tag is None:
                    tag = model.objects.create(name=name)
                    self.report.count(f"tag ({vocabulary})", "created")
                self.tags[vocabulary][name.casefold()] = tag
                self.redirect(f"/tag/{slug}/", new_path=tag.get_absolute_url())
            chosen[vocabulary].append(tag)
        return chosen

    def post_status(self, item):
        """(status, published_at), naming posts that must stay private."""
        when = item.date_gmt or item.date
        if item.password:
            self.report.name(item, "password-protected: imported as a draft, never public")
            return Status.DRAFT, None
        if item.status == "private":
            self.report.name(item, "private: imported as a draft, never public")
            return Status.DRAFT, None
        if item.status in ("publish", "future"):
            return Status.PUBLISHED, when or timezone.now()
        if item.status == "pending":
            return Status.REVIEW, None
        return Status.DRAFT, None

    def import_post(self, item):
        if item.status not in ("publish", "future", "draft", "pending", "private"):
            self.report.skip("post", f"status “{item.status or 'none'}”")
            return
        notes = body.Notes()
        body_html = body.convert(item.content, self.media, notes, post_id=item.post_id)
        self.report.shortcodes.update(notes.shortcodes)
        self.report.other_images.update(notes.other_images)
        for src in notes.missing_images:
            self.report.missing_media.append([item.post_id, src, "", "used in a post; no library image"])

        title = clean_title(item.title)
        if not title:
            words = strip_tags(body_html).split()
            title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
            title = html.unescape(title) or f"Untitled WordPress post {item.post_id}"
            self.report.name(item, f"had no title; titled “{title}”")
        status, published_at = self.post_status(item)
        first, other_categories = (item.categories[0], item.categories[1:]) if item.categories else (None, [])
        if other_categories:
            names = ", ".join(name for _, name in other_categories)
            self.report.name(item, f"other categories not carried over: {names}")
        thumbnail = self.media.by_id(int(item.meta.get("_thumbnail_id") or 0) or None)
        fields = {
            "title": Truncator(title).chars(200),
            "dek": Truncator(clean_title(item.excerpt)).chars(400),
            "body": sanitize_html(body_html),
            "status": status,
            "published_at": published_at,
            "section": self.section_for(*first) if first else None,
            "lead_image_id": thumbnail.image_id if thumbnail else None,
            "caption": Truncator(thumbnail.caption).chars(500) if thumbnail else "",
        }
        article = self.mapped_object(Article, Kind.POST, item.post_id)
        slug = slugify(item.slug, allow_unicode=True)[:200]
        if slug:
            free = unique_slug(Article, slug, exclude_pk=article.pk if article else None)
            if free != slug:
                self.report.name(item, f"slug “{slug}” was taken; it is “{free}”")
            slug = free
        elif article is not None:
            slug = article.slug  # a draft's slug made from its title the first time
        fields["slug"] = slug
        author = self.author_for(item.creator)
        tags = self.tags_for(item)

        if article is None:
            article = Article(**fields)
            article._revision_after_related = True  # recorded below, with its tags, in this transaction
            article.save()
            self.remember(Kind.POST, item.post_id, article)
            if author is not None:
                ArticleAuthor.objects.create(article=article, author=author, position=0)
            for vocabulary, chosen in tags.items():
                # Straight into the through table (taggit's add() saves them one by one); the
                # article is indexed once when the run ends (indexing_deferred).
                through = Article._meta.get_field(vocabulary).remote_field.through
                unique = {tag.pk: tag for tag in chosen}
                through.objects.bulk_create(
                    through(tag=tag, content_object=article) for tag in unique.values()
                )
            record_revision(article, comment="Imported from WordPress")
            self.report.count("article", "created")
        else:
            changed = [name for name, value in fields.items() if getattr(article, name) != value]
            if changed:
                for name in changed:
                    setattr(article, name, fields[name])
                article._revision_after_related = True
                article.save()
            authors = [author.pk] if author else []
            if list(article.author_links.values_list("author_id", flat=True)) != authors:
                article.author_links.all().delete()
                if author is not None:
                    ArticleAuthor.objects.create(article=article, author=author, position=0)
                changed.append("authors")
            for vocabulary in VOCABULARIES:
                wanted = {tag.pk for tag in tags.get(vocabulary, [])}
                manager = getattr(article, vocabulary)
                if set(manager.values_list("pk", flat=True)) != wanted:
                    manager.set(tags.get(vocabulary, []))
                    changed.append(vocabulary)
            if changed:
                record_revision(article, comment="Updated from WordPress")
            self.report.count("article", "updated" if changed else "unchanged")
        self.redirect(f"/?p={item.post_id}", article=article)
        self.redirect(old_path(item.link), article=article)
