import math
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from richtext.fields import BodyField
from richtext.sanitizer import sanitize_html

from .links import absolute_url
from .querysets import ArticleQuerySet, PreviewLinkQuerySet
from .slugs import unique_slug

WORDS_PER_MINUTE = 230
# An edit this long after publication shows readers an "Updated" date.
UPDATE_GRACE = timedelta(minutes=15)


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site's navigation; lower comes first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True, help_text="A sentence or two, shown on the author's page.")
    photo = models.ForeignKey(
        "images.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="Optional: the staff account of this author. Guest authors need none.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class VocabularyTag(TagBase):
    """A tag in one of the three vocabularies; `vocabulary` names its URL segment."""

    vocabulary = None
    description = models.TextField(blank=True, help_text="Shown at the top of the tag's page.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"vocabulary": self.vocabulary, "slug": self.slug})

    def slugify(self, tag, i=None):
        # taggit keeps unicode in slugs (习近平 stays 习近平); a name of only
        # punctuation would give an empty slug, which no URL can hold.
        slug = super().slugify(tag, i) or f"{self.vocabulary}-{i or 1}"
        return slug.strip("-_") or f"{self.vocabulary}-{i or 1}"


class Person(VocabularyTag):
    vocabulary = "people"

    class Meta(VocabularyTag.Meta):
        verbose_name = "person"
        verbose_name_plural = "people"


class Place(VocabularyTag):
    vocabulary = "places"

    class Meta(VocabularyTag.Meta):
        verbose_name = "place"
        verbose_name_plural = "places"


class Event(VocabularyTag):
    vocabulary = "events"

    class Meta(VocabularyTag.Meta):
        verbose_name = "event"
        verbose_name_plural = "events"


class TaggedPerson(TaggedItemBase):
    tag = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_person")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="person_articles_idx")]


class TaggedPlace(TaggedItemBase):
    tag = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_place")]
        indexes = [models.Index(fields=["tag", "content_object"], name="place_articles_idx")]


class TaggedEvent(TaggedItemBase):
    tag = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_event")]
        indexes = [models.Index(fields=["tag", "content_object"], name="event_articles_idx")]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Ready for review")
    PUBLISHED = "published", _("Published")


def tag_field(label, through, examples):
    return TaggableManager(
        through=through,
        verbose_name=label,
        related_name="articles",
        ordering=["name"],  # pages and the admin list a vocabulary's tags alphabetically
        blank=True,
        help_text=f"Comma-separated names, e.g. {examples}. New names become new tags; "
        "put a name that contains a comma in double quotes.",
    )


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The article's address: /articles/this-slug/. Filled from the title.",
    )
    dek = models.TextField(
        max_length=400,
        blank=True,
        help_text="The standfirst: one or two sentences under the headline. Also the search-engine description.",
    )
    body = BodyField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        db_index=True,
        help_text="Leave empty to publish now. A future time schedules the article: it goes live then.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    authors = models.ManyToManyField(Author, through="ArticleAuthor", blank=True, related_name="articles")
    lead_image = models.ForeignKey(
        "images.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_articles",
        help_text="Pick from the image library, or add a new one with the + button.",
    )
    caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="This article's caption for the lead image. Alt text and credit belong to the image.",
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)

    people = tag_field("people", TaggedPerson, "Vladimir Putin, Xi Jinping")
    places = tag_field("places", TaggedPlace, "Moscow, the Kremlin")
    events = tag_field("events", TaggedEvent, "Xi's 2023 state visit to Moscow")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # Undated drafts first, then newest: the same on SQLite and PostgreSQL (whose
        # default would differ), and a backward scan of the (status, published_at) index.
        ordering = [models.F("published_at").desc(nulls_first=True), "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_visibility_idx"),
            # Lists reached through a tag or an author find their articles by id, then
            # filter and order on visibility: this answers that from the index alone, without
            # reading the rows (5 KB bodies) of articles that will not be shown (issue 5).
            models.Index(fields=["id", "status", "published_at"], name="article_id_visibility_idx"),
        ]
        permissions = [("publish_article", "Can publish and schedule articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.body = sanitize_html(self.body)
        self.word_count = len(strip_tags(self.body).split())
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.published_at is not None and self.published_at.microsecond:
            # To the second, as the admin's date and time fields show and send it back:
            # otherwise the first edit of a story published "now" would move its time.
            self.published_at = self.published_at.replace(microsecond=0)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body", "word_count", "slug", "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_admin_url(self):
        return reverse("admin:articles_article_change", args=[self.pk])

    @property
    def last_modified(self):
        """When readers last saw a change: its publication, its last save, or its latest
        correction or update (a note's save also moves `updated_at`: articles/corrections.py).

        The sitemap says the same in SQL (Greatest("updated_at", "published_at")).
        """
        moments = [self.updated_at, self.published_at]
        if "notes" in getattr(self, "_prefetched_objects_cache", {}):
            moments += [note.noted_at for note in self.notes.all()]
        return max(moment for moment in moments if moment is not None)

    def is_published(self):
        """The per-object twin of ArticleQuerySet.published()."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_updated(self):
        """Edited noticeably after publication: pages then show an "Updated" time."""
        return self.published_at is not None and self.updated_at - self.published_at > UPDATE_GRACE

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def state(self):
        """The article's state in words, as the admin shows it."""
        if self.is_scheduled:
            when = format_date(timezone.localtime(self.published_at), gettext("j M Y, H:i"))
            return gettext("Scheduled for %(when)s") % {"when": when}
        return self.get_status_display() if self.status != Status.REVIEW else gettext("In review")

    def _unique_slug(self):
        others = Article.objects.exclude(pk=self.pk)
        return unique_slug(self.title, lambda slug: others.filter(slug=slug).exists())


class ArticleAuthor(models.Model):
    """An author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="author_links")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_links")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the byline.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="unique_article_author")]
        indexes = [models.Index(fields=["author", "article"], name="author_articles_idx")]
        verbose_name = "author"
        verbose_name_plural = "authors"

    def __str__(self):
        return str(self.author)


class PreviewLink(models.Model):
    """A share link: lets someone without an account read one unpublished article.

    The URL carries the link's id signed with the secret key (django.core.signing), so
    it cannot be guessed or altered; expiry and revocation are checked in the database.
    """

    SIGNING_SALT = "articles.PreviewLink"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    note = models.CharField(
        max_length=200, blank=True, help_text="Who the link is for, e.g. “Fact-check, Anna”."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Share link for “{self.article}”" + (f" ({self.note})" if self.note else "")

    def get_absolute_url(self):
        return reverse("editorial:preview", kwargs={"token": self.token})

    def public_url(self):
        """The link to hand out: on SITE_URL, never on the Host the editor happened to use."""
        return absolute_url(self.get_absolute_url())

    @property
    def token(self):
        return signing.dumps(self.pk, salt=self.SIGNING_SALT)

    @classmethod
    def id_from_token(cls, token):
        """The link id a token was signed for, or None when it was altered or made up."""
        try:
            link_id = signing.loads(token, salt=cls.SIGNING_SALT)
        except signing.BadSignature:
            return None
        return link_id if isinstance(link_id, int) else None

    def is_active(self):
        """The per-object twin of PreviewLinkQuerySet.active()."""
        return self.revoked_at is None and self.expires_at > timezone.now()


class ArticleRedirect(models.Model):
    """An address a published article used to have; it answers 301 to the article's current one.

    The row points at the article, not at a slug, so a chain of renames (A → B → C) is
    always one hop, and an address the article takes back stops being a redirect.
    """

    old_slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "old article address"
        verbose_name_plural = "old article addresses"

    def __str__(self):
        return f"/articles/{self.old_slug}/ → {self.article.slug}"


class DeletedArticle(models.Model):
    """A tombstone: the address of a deleted published article, which answers 410 Gone."""

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    title = models.CharField(max_length=200, help_text="For the record; readers are not shown it.")
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = "deleted article address"
        verbose_name_plural = "deleted article addresses"

    def __str__(self):
        return self.slug


class TagRedirect(models.Model):
    """The old address of a renamed or merged tag; it answers 301 to the tag that replaced it.

    `old_name` lets a restored revision that names a merged-away tag ("Bladimir Putin")
    find the tag it became.
    """

    vocabulary = models.CharField(max_length=20)
    old_slug = models.SlugField(max_length=100, allow_unicode=True)
    old_name = models.CharField(max_length=100)
    new_slug = models.SlugField(max_length=100, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vocabulary", "old_slug"], name="unique_tag_redirect")]
        verbose_name = "old tag address"
        verbose_name_plural = "old tag addresses"

    def __str__(self):
        return f"/{self.vocabulary}/{self.old_slug}/ → /{self.vocabulary}/{self.new_slug}/"


class NoteKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    UPDATE = "update", _("Update")


class ArticleNote(models.Model):
    """A dated correction or update, shown at the end of the article, newest first.

    A note is part of the public record: a save or delete moves the article's modified
    time (articles/corrections.py), which the JSON-LD, the feeds and the sitemap read.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.CORRECTION)
    noted_at = models.DateTimeField(
        "time", default=timezone.now, help_text="When the correction or update was made; not in the future."
    )
    text = models.TextField(
        max_length=1000,
        help_text="Plain text, e.g. “An earlier version misstated the length of the talks.”",
    )

    class Meta:
        ordering = ["-noted_at", "-id"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()}, {timezone.localtime(self.noted_at):%-d %B %Y}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.noted_at and self.noted_at > timezone.now() + timedelta(minutes=1):
            raise ValidationError({"noted_at": "A correction or update cannot be dated in the future."})


class PathRedirect(models.Model):
    """Any other old address (a WordPress permalink, /?p=123, /category/news/): 301 to its target.

    Points at an article when it stands for one, so the redirect follows the article's
    slug and stops while the article is not visible; otherwise at a path on this site.
    Consulted only for addresses nothing else answers (see articles.old_addresses).
    """

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address without the domain, e.g. /2013/01/05/some-post/ or /?p=123.",
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="path_redirects"
    )
    new_path = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where it answers, when it is not an article: e.g. /sections/news/.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = "old path"
        verbose_name_plural = "old paths"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False) | ~models.Q(new_path=""),
                name="path_redirect_has_target",
                violation_error_message="Pick an article, or give a path on this site.",
            )
        ]

    def __str__(self):
        return f"{self.old_path} → {self.target()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if not self.old_path.startswith("/"):
            errors["old_path"] = "Start the old address with a slash, e.g. /2013/01/05/some-post/."
        if self.article_id is None and not self.new_path.startswith("/"):
            errors["new_path"] = "Pick an article, or give a path on this site starting with /."
        if errors:
            raise ValidationError(errors)

    def target(self):
        """The URL it answers with, or None while its article is not visible to readers."""
        if self.article_id is not None:
            return self.article.get_absolute_url() if self.article.is_published() else None
        return self.new_path
