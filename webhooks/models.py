import secrets

from django.db import models
from django.utils import timezone


class Event(models.TextChoices):
    ARTICLE_PUBLISHED = "article.published", "Article published"
    ARTICLE_UPDATED = "article.updated", "Published article updated"
    ARTICLE_UNPUBLISHED = "article.unpublished", "Article unpublished"
    ARTICLE_DELETED = "article.deleted", "Published article deleted"
    PAGE_PUBLISHED = "page.published", "Page published"
    PAGE_UPDATED = "page.updated", "Published page updated"
    PAGE_UNPUBLISHED = "page.unpublished", "Page unpublished"
    PAGE_DELETED = "page.deleted", "Published page deleted"


def new_secret():
    return secrets.token_urlsafe(32)


class Endpoint(models.Model):
    """Where HOLR tells other software about published content: a URL, the events it wants, a secret."""

    url = models.URLField(
        "URL",
        max_length=500,
        help_text="Where to POST events. Addresses on this machine or a private network are refused.",
    )
    events = models.JSONField(default=list, help_text="The events sent to this URL.")
    secret = models.CharField(
        max_length=100,
        default=new_secret,
        help_text="Shared with the receiver, which checks the X-HOLR-Signature header with it (docs/api.md).",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.url


class Status(models.TextChoices):
    PENDING = "pending", "Waiting"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One event for one endpoint: the queue `manage.py deliver_webhooks` works through, and its log."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    # What the event is about, e.g. "article:12:2026-05-01T09:00:00+00:00": the same event
    # about the same thing is queued once (a scheduled article is not announced twice).
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="The JSON sent, exactly as signed.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event", "subject"], name="unique_webhook_event")
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class Clock(models.Model):
    """One row: scheduled articles published up to `checked_until` have been announced."""

    checked_until = models.DateTimeField()

    def __str__(self):
        return f"Scheduled articles announced up to {self.checked_until:%Y-%m-%d %H:%M:%S}"
