"""Article and page saves and deletes → webhook events, queued after the transaction commits.

Visible before and after: article.updated; becomes visible: article.published; stops
being visible: article.unpublished; a visible article deleted: article.deleted; a
correction or update added to, changed on or removed from a visible article: article.updated. A save
that schedules an article queues nothing: it is announced when its time comes
(events.announce_due_articles). Pages have no schedule: `is_published` is the whole
story, and the same four changes send page.published, page.updated, page.unpublished and
page.deleted.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, ArticleNote, Status
from pages.models import Page

from .events import published_subject, queue_article_event, queue_page_event
from .models import Event


def was_visible(state):
    return (
        bool(state)
        and state["status"] == Status.PUBLISHED
        and state["published_at"] is not None
        and (state["published_at"] <= timezone.now())
    )


def summary(article):
    return {"id": article.pk, "slug": article.slug, "title": article.title}


@receiver(pre_save, sender=Article, dispatch_uid="webhooks.article_pre_save")
def remember_visibility(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._webhook_was_visible = False
        return
    state = Article.objects.filter(pk=instance.pk).values("status", "published_at").first()
    instance._webhook_was_visible = was_visible(state)


@receiver(post_save, sender=Article, dispatch_uid="webhooks.article_saved")
def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before, now = getattr(instance, "_webhook_was_visible", False), instance.is_published()
    if now and not before:
        subject = published_subject(instance.pk, instance.published_at)
        queue_article_event(Event.ARTICLE_PUBLISHED, instance.pk, subject)
    elif now:
        queue_article_event(Event.ARTICLE_UPDATED, instance.pk)
    elif before:
        subject = f"article:{instance.pk}:unpublished:{instance.updated_at.isoformat()}"
        queue_article_event(Event.ARTICLE_UNPUBLISHED, instance.pk, subject, fallback=summary(instance))


@receiver(pre_delete, sender=Article, dispatch_uid="webhooks.article_pre_delete")
def remember_before_delete(sender, instance, **kwargs):
    instance._webhook_was_visible = instance.is_published()
    instance._webhook_id = instance.pk


@receiver(post_delete, sender=Article, dispatch_uid="webhooks.article_deleted")
def article_deleted(sender, instance, **kwargs):
    if getattr(instance, "_webhook_was_visible", False):
        article_id = instance._webhook_id
        data = {**summary(instance), "id": article_id}
        queue_article_event(Event.ARTICLE_DELETED, article_id, f"article:{article_id}:deleted", fallback=data)


@receiver(post_save, sender=ArticleNote, dispatch_uid="webhooks.note_saved")
@receiver(post_delete, sender=ArticleNote, dispatch_uid="webhooks.note_deleted")
def note_changed(sender, instance, raw=False, **kwargs):
    """A correction or update is part of a published article: article.updated (once per commit)."""
    if not raw:
        queue_article_event(Event.ARTICLE_UPDATED, instance.article_id)


@receiver(pre_save, sender=Page, dispatch_uid="webhooks.page_pre_save")
def remember_page_visibility(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._webhook_was_visible = False
        return
    instance._webhook_was_visible = Page.objects.published().filter(pk=instance.pk).exists()


@receiver(post_save, sender=Page, dispatch_uid="webhooks.page_saved")
def page_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before, now = getattr(instance, "_webhook_was_visible", False), instance.is_published
    moment = instance.updated_at.isoformat()
    if now and not before:
        queue_page_event(Event.PAGE_PUBLISHED, instance.pk, f"page:{instance.pk}:published:{moment}")
    elif now:
        queue_page_event(Event.PAGE_UPDATED, instance.pk, f"page:{instance.pk}:updated:{moment}")
    elif before:
        subject = f"page:{instance.pk}:unpublished:{moment}"
        queue_page_event(Event.PAGE_UNPUBLISHED, instance.pk, subject, fallback=summary(instance))


@receiver(pre_delete, sender=Page, dispatch_uid="webhooks.page_pre_delete")
def remember_page_before_delete(sender, instance, **kwargs):
    instance._webhook_was_visible = Page.objects.published().filter(pk=instance.pk).exists()
    instance._webhook_id = instance.pk


@receiver(post_delete, sender=Page, dispatch_uid="webhooks.page_deleted")
def page_deleted(sender, instance, **kwargs):
    if getattr(instance, "_webhook_was_visible", False):
        page_id = instance._webhook_id
        data = {**summary(instance), "id": page_id}
        queue_page_event(Event.PAGE_DELETED, page_id, f"page:{page_id}:deleted", fallback=data)
