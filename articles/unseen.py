"""Which changes no reader can see, so the page cache retires nothing for them (issue 12).

An editor saving a draft every second used to retire every cached page every second. A
change is unseen when:

- an Article is saved and is not visible to readers before nor after the save, and its
  scheduled time (if any) does not move earlier, since the page cache's schedule
  (pagecache/versions.py) must still know the next time an article goes live: a schedule
  that comes too early only costs a spurious miss, one that comes too late serves stale
  pages, so a new or earlier scheduled time bumps;
- a not-visible Article is deleted;
- a row hanging off one article (its authors, tags, notes, revisions, search entry,
  preview links, body images: any model with a foreign key to Article, or to a row whose
  primary key is one) is saved or deleted while that article is not visible;
- taggit's m2m changes on a not-visible article (or, from the tag's side, on articles
  none of which is visible);
- a tag is created: the A–Z indexes, search suggestions and the API list only tags that
  published articles carry, and the tag's own page did not exist (a 404 is never cached).

Everything else bumps, as before. The previous state of an article is the one
redirects.py reads in pre_save; deletes read theirs in pre_delete below.
"""

from django.db.models import ForeignKey
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import Article, Status, VocabularyTag


def is_unseen(sender, instance=None, signal=None, raw=False, **kwargs):
    if raw or instance is None:
        return False
    if signal is m2m_changed:
        return relation_is_unseen(instance, kwargs["model"], kwargs.get("pk_set"))
    if sender is Article:
        if signal is post_save:
            return article_save_is_unseen(instance)
        if signal is post_delete:
            return getattr(instance, "_was_visible", True) is False
        return False
    if signal is post_save and kwargs.get("created") and isinstance(instance, VocabularyTag):
        return True
    if signal in (post_save, post_delete):
        article_id = article_id_of(instance)
        return article_id is not None and not is_visible(article_id)
    return False


def article_save_is_unseen(article):
    previous = getattr(article, "_previous_address", None)
    before = {"status": Status.DRAFT, "published_at": None} if previous is None else previous
    if visible(before) or article.is_published():
        return False
    scheduled_before, scheduled_after = scheduled_time(before), scheduled_time(vars(article))
    return scheduled_after is None or (scheduled_before is not None and scheduled_after >= scheduled_before)


def relation_is_unseen(instance, model, pk_set):
    if isinstance(instance, Article):
        return not is_visible(instance.pk)
    if model is Article and pk_set:
        return not Article.objects.published().filter(pk__in=pk_set).exists()
    return False


def visible(fields):
    return (
        fields["status"] == Status.PUBLISHED
        and fields["published_at"] is not None
        and fields["published_at"] <= timezone.now()
    )


def scheduled_time(fields):
    published_at = fields["published_at"]
    if fields["status"] == Status.PUBLISHED and published_at is not None and published_at > timezone.now():
        return published_at
    return None


def is_visible(article_id):
    return Article.objects.published().filter(pk=article_id).exists()


def article_id_of(instance):
    """The article a row hangs off: its foreign key to Article, or one hop further
    through a foreign key to a row whose primary key is an Article (search's FTS row)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, ForeignKey) and field.related_model is Article:
            return getattr(instance, field.attname)
    for field in instance._meta.concrete_fields:
        if not isinstance(field, ForeignKey):
            continue
        primary_key = field.related_model._meta.pk
        if isinstance(primary_key, ForeignKey) and primary_key.related_model is Article:
            return getattr(instance, field.attname)
    return None


@receiver(pre_delete, sender=Article, dispatch_uid="articles.unseen.pre_delete")
def remember_visibility_before_delete(sender, instance, **kwargs):
    # From the database: the instance being deleted may be older than the row.
    instance._was_visible = is_visible(instance.pk)
