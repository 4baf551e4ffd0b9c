"""Which events happen, and queueing them: after the change commits, one Delivery per endpoint.

`queue()` is the one entry point; article and page saves and deletes are wired in receivers.py, and scheduled
articles are announced by `announce_due_articles()` when their time comes, which
`deliver_webhooks` runs on every pass.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Clock, Delivery, Endpoint, Event


def queue(event, subject, data):
    """Queue `event` about `subject` (a unique string) with `data` for every endpoint that wants it.

    The same event about the same subject is queued once per endpoint.
    """
    endpoints = [e for e in Endpoint.objects.filter(is_active=True) if event in e.events]
    if not endpoints:
        return []
    body = json.dumps(
        {"event": event, "created_at": timezone.now(), "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    deliveries = [Delivery(endpoint=e, event=event, subject=subject, body=body) for e in endpoints]
    return Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def article_data(article_id):
    """The article as the API gives it, or None when readers cannot see it (any more)."""
    from api.endpoints import published_articles
    from api.representations import article_detail

    article = published_articles().filter(pk=article_id).first()
    return article_detail(article) if article is not None else None


def queue_article_event(event, article_id, subject=None, fallback=None):
    """After commit: read the article as it was committed (tags included) and queue the event.

    article.updated is about the committed `updated_at`, so an article saved with a new
    correction in one transaction (the article's save, then the note's) is sent once.
    """

    def send():
        if event in (Event.ARTICLE_PUBLISHED, Event.ARTICLE_UPDATED):
            data = article_data(article_id)
            if data is None:  # unpublished again before the commit
                return
        else:
            data = fallback
        if event == Event.ARTICLE_UPDATED:
            queue(event, f"article:{article_id}:updated:{data['updated_at'].isoformat()}", data)
        else:
            queue(event, subject, data)

    transaction.on_commit(send)


def page_data(page_id):
    """The page as the API gives it, or None when readers cannot see it (any more)."""
    from api.endpoints import published_pages
    from api.representations import page_detail

    page = published_pages().filter(pk=page_id).first()
    return page_detail(page) if page is not None else None


def queue_page_event(event, page_id, subject, fallback=None):
    """After commit: read the page as it was committed and queue the event."""

    def send():
        if event in (Event.PAGE_PUBLISHED, Event.PAGE_UPDATED):
            data = page_data(page_id)
            if data is None:  # unpublished again before the commit
                return
        else:
            data = fallback
        queue(event, subject, data)

    transaction.on_commit(send)


def published_subject(article_id, published_at):
    return f"article:{article_id}:published:{published_at.isoformat()}"


def announce_due_articles():
    """Queue article.published for scheduled articles whose time has come since the last pass."""
    from articles.models import Article, Status

    now = timezone.now()
    clock = Clock.objects.filter(pk=1).first()
    if clock is None:
        try:
            with transaction.atomic():
                Clock.objects.create(pk=1, checked_until=now)
        except IntegrityError:
            pass
        return
    due = Article.objects.filter(
        status=Status.PUBLISHED, published_at__gt=clock.checked_until, published_at__lte=now
    ).values_list("pk", "published_at")
    for article_id, published_at in due:
        data = article_data(article_id)
        if data is not None:
            queue(Event.ARTICLE_PUBLISHED, published_subject(article_id, published_at), data)
    Clock.objects.filter(pk=1).update(checked_until=now)
