"""What an article change retires in the page cache (issue 12; see pagecache/versions.py).

An editor saving a draft every second used to retire every cached page every second, and
so did a typo fixed in a five-year-old story. Now:

Nothing, for a change no reader can see:
- an Article saved while it is not visible to readers before nor after the save, when its
  scheduled time (if any) does not move earlier: the page cache's schedule must still
  know the next time an article goes live; a schedule that comes too early only costs a
  spurious miss, one that comes too late serves stale pages, so a new or earlier
  scheduled time retires everything;
- a not-visible Article deleted;
- a row hanging off one article (its authors, tags, notes, revisions, search entry,
  preview links: any model with a foreign key to Article, or to a row whose primary key
  is one) saved or deleted while that article is not visible;
- taggit's m2m changes on a not-visible article (or, from the tag's side, on articles
  none of which is visible), and m2m signals that change no row;
- a tag created: the A–Z indexes, search suggestions and the API list only tags that
  published articles carry, and the tag's own page did not exist (a 404 is never cached);
- revisions and preview links of any article: readers never see them.

Its own key, `article:<id>`, plus `articles:edited`, for an edit to a visible article
that leaves it visible with the same address, time and section: its title, dek, body,
lead image or caption. Pages that show the article built it, so they recorded its key
(pagecache/dependencies.py); pages whose membership or order follows text or
`updated_at` (search, sitemaps, feeds, API lists) record `articles:edited`. Its search
entry, re-indexed right after, retires `articles:edited` only.

Everything, for the rest: publishing, unpublishing, scheduling, a new slug, time or
section, retagging, new authors, corrections, a deleted visible article.

The previous state of an article is the one redirects.py reads in pre_save; deletes read
theirs in pre_delete below.
"""

from django.db.models import ForeignKey
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from pagecache.dependencies import key_for
from pagecache.versions import EVERYTHING

from .models import Article, PreviewLink, Status, VocabularyTag

NOTHING = frozenset()
# Recorded by pages whose membership or order depends on articles' text or `updated_at`.
EDITED = "articles:edited"
# Apps whose rows hanging off a visible article retire only EDITED (search) or nothing.
EDITED_ONLY_APPS = ("search",)
UNSEEN_APPS = ("revisions",)


def change_scope(sender, instance=None, signal=None, raw=False, **kwargs):
    if raw or instance is None:
        return EVERYTHING
    if signal is m2m_changed:
        return NOTHING if relation_is_unseen(instance, kwargs["model"], kwargs.get("pk_set")) else EVERYTHING
    if sender is Article:
        if signal is post_save:
            return article_save_scope(instance)
        if signal is post_delete and getattr(instance, "_was_visible", True) is False:
            return NOTHING
        return EVERYTHING
    if signal is post_save and kwargs.get("created") and isinstance(instance, VocabularyTag):
        return NOTHING
    if signal in (post_save, post_delete):
        if instance._meta.app_label in UNSEEN_APPS or isinstance(instance, PreviewLink):
            return NOTHING
        article_id = article_id_of(instance)
        if article_id is None:
            return EVERYTHING
        if not is_visible(article_id):
            return NOTHING
        if instance._meta.app_label in EDITED_ONLY_APPS:
            return frozenset({EDITED})
    return EVERYTHING


def article_save_scope(article):
    previous = getattr(article, "_previous_address", None)
    before = {"status": Status.DRAFT, "published_at": None} if previous is None else previous
    if not visible(before) and not article.is_published():
        scheduled_before, scheduled_after = scheduled_time(before), scheduled_time(vars(article))
        if scheduled_after is None or (scheduled_before is not None and scheduled_after >= scheduled_before):
            return NOTHING
        return EVERYTHING
    if (
        previous is not None
        and visible(before)
        and article.is_published()
        and (previous["slug"], previous["published_at"], previous["section_id"])
        == (article.slug, article.published_at, article.section_id)
    ):
        return frozenset({key_for(article), EDITED})
    return EVERYTHING


def relation_is_unseen(instance, model, pk_set):
    if pk_set is not None and not pk_set:
        return True  # taggit's add() and remove() signal even when nothing changes
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


@receiver(pre_delete, sender=Article, dispatch_uid="articles.cache_scope.pre_delete")
def remember_visibility_before_delete(sender, instance, **kwargs):
    # From the database: the instance being deleted may be older than the row.
    instance._was_visible = is_visible(instance.pk)
