"""An article's history: one Revision per save, never rewritten.

A revision copies the fields an editor writes and the tag *names* (not ids), so it
still reads right after a tag is renamed, merged or deleted.
"""

import re
from html import unescape

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags

from articles.vocabularies import VOCABULARIES

BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.IGNORECASE)

# The Article fields a revision keeps, in the order the history shows them.
CONTENT_FIELDS = ["title", "slug", "dek", "body", "status", "published_at", "caption"]


class RevisionQuerySet(models.QuerySet):
    def latest_for(self, article_id):
        return self.filter(article_id=article_id).order_by("-number").first()


class Revision(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1 for the article's first save, then counting up.")
    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.CharField(max_length=200, blank=True)

    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=200)
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10)
    published_at = models.DateTimeField(null=True, blank=True)
    caption = models.CharField(max_length=500, blank=True)
    people = models.JSONField(default=list)
    places = models.JSONField(default=list)
    events = models.JSONField(default=list)
    notes = models.JSONField(
        default=list, help_text="The article's corrections and updates: [kind, ISO time, text], newest first."
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="unique_article_revision")]

    def __str__(self):
        return f"Revision {self.number} of “{self.title}”"

    @property
    def body_text(self):
        """The body as plain text, one paragraph a line: what the side-by-side diff compares."""
        html = " ".join(self.body.split())
        html = BLOCK_END.sub(lambda match: match.group(0) + "\n", html)
        return "\n".join(" ".join(line.split()) for line in unescape(strip_tags(html)).splitlines()).strip()

    def tag_names(self):
        return {key: list(getattr(self, key)) for key in VOCABULARIES}

    @property
    def label(self):
        return f"Revision {self.number}, {self.author_name}"

    @property
    def author_name(self):
        if self.user is None:
            return "a script or import"
        return self.user.get_full_name() or self.user.get_username()
