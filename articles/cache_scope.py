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

The listings too, for a change to what is listed: publishing, unpublishing, a new time
or section, retagging, new authors, corrections. Every page and remembered value depends
on `articles:listed` unless it spares it (dependencies.register_default): an article
page lists nothing but its related stories, which depend instead on `tagged:<tag>:<id>`
for each of its tags, so such a change retires `article:<id>`, `articles:edited`,
`articles:listed` and `tagged:…` for each of the article's tags (and each tag added or
removed): the listings, and the article pages that share a tag with it, not the rest.

Everything, for the rest: a new slug (its old address starts to redirect), a deleted
visible article (its address starts to answer 410), tags cleared at once.

The previous state of an article is the one redirects.py reads in pre_save; deletes read
theirs in pre_delete below.
"""

from django.db.models import ForeignKey
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from pagecache.dependencies import key_for
from pagecache.versions import EVERYTHING

from .models import (
    Article,
    ArticleAuthor,
    ArticleNote,
    PreviewLink,
    Status,
    TaggedEvent,
    TaggedPerson,
    TaggedPlace,
    VocabularyTag,
)

TAGGINGS = (TaggedPerson, TaggedPlace, TaggedEvent)

NOTHING = frozenset()
# Recorded by pages whose membership or order depends on articles' text or `updated_at`.
EDITED = "articles:edited"
# Every page and remembered value depends on it unless it spares it: which articles are
# listed, and in what order.
LISTED = "articles:listed"
# Apps whose rows hanging off a visible article retire only EDITED (search) or nothing.
EDITED_ONLY_APPS = ("search",)
UNSEEN_APPS = ("revisions",)


def tagged_key(tag_model, tag_id):
    """What a page showing the related stories of an article with this tag depends on."""
    return f"tagged:{tag_model._meta.model_name}:{tag_id}"


def change_scope(sender, instance=None, signal=None, raw=False, **kwargs):
    if raw or instance is None:
        return EVERYTHING
    if signal is m2m_changed:
        return relation_scope(instance, kwargs["model"], kwargs.get("pk_set"), kwargs.get("action"))
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
        if isinstance(instance, TAGGINGS):
            tag = instance._meta.get_field("tag").related_model
            return listing_change(article_id, {tagged_key(tag, instance.tag_id)})
        if isinstance(instance, ArticleAuthor | ArticleNote):
            return listing_change(article_id)
    return EVERYTHING


def listing_change(article_id, tag_keys=None):
    """What a change to what is listed retires (see the module's docstring)."""
    if tag_keys is None:
        tag_keys = tag_keys_of(article_id)
    return frozenset({f"article:{article_id}", EDITED, LISTED, *tag_keys})


def tag_keys_of(article_id):
    keys = set()
    for through in TAGGINGS:
        tag = through._meta.get_field("tag").related_model
        ids = through.objects.filter(content_object_id=article_id).values_list("tag_id", flat=True)
        keys.update(tagged_key(tag, tag_id) for tag_id in ids)
    return keys


def article_save_scope(article):
    previous = getattr(article, "_previous_address", None)
    before = {"status": Status.DRAFT, "published_at": None} if previous is None else previous
    if not visible(before) and not article.is_published():
        scheduled_before, scheduled_after = scheduled_time(before), scheduled_time(vars(article))
        if scheduled_after is None or (scheduled_before is not None and scheduled_after >= scheduled_before):
            return NOTHING
        return EVERYTHING
    if previous is not None and previous["slug"] != article.slug:
        return EVERYTHING  # the old address starts to redirect
    if (
        previous is not None
        and visible(before)
        and article.is_published()
        and (previous["published_at"], previous["section_id"]) == (article.published_at, article.section_id)
    ):
        return frozenset({key_for(article), EDITED})
    return listing_change(article.pk)


def relation_scope(instance, model, pk_set, action):
    if relation_is_unseen(instance, model, pk_set):
        return NOTHING
    if isinstance(instance, Article) and issubclass(model, VocabularyTag) and pk_set:
        return listing_change(
            instance.pk, {tagged_key(model, pk) for pk in pk_set} | tag_keys_of(instance.pk)
        )
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
