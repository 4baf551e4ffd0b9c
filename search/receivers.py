"""Keep the search index in step with what editors change.

Articles, their tags (the through rows that taggit's add/remove/set/clear create and
delete one by one), renamed tags and `content_changed` (bulk edits that send no model
signals). Indexing runs in the same transaction as the change, so a rolled-back edit
leaves the index as it was.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Event, Person, Place, TaggedEvent, TaggedPerson, TaggedPlace
from holr.signals import content_changed

from .documents import articles_tagged, index_articles, rebuild_index


@receiver(post_save, sender=Article)
def index_saved_article(instance, raw=False, **kwargs):
    if not raw:
        index_articles([instance.pk])


# Deleting an article deletes its SearchEntry by cascade.


@receiver(post_save, sender=TaggedPerson)
@receiver(post_save, sender=TaggedPlace)
@receiver(post_save, sender=TaggedEvent)
@receiver(post_delete, sender=TaggedPerson)
@receiver(post_delete, sender=TaggedPlace)
@receiver(post_delete, sender=TaggedEvent)
def index_retagged_article(instance, raw=False, origin=None, **kwargs):
    # An article being deleted drops its tags (and its SearchEntry) by cascade:
    # indexing it now would write a row for an article about to disappear.
    if not raw and not deletes_articles(origin):
        index_articles([instance.content_object_id])


def deletes_articles(origin):
    """True when a delete started from an article or a queryset of articles."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, Article)


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Place)
@receiver(post_save, sender=Event)
def index_articles_of_renamed_tag(instance, created=False, raw=False, **kwargs):
    if not (created or raw):
        index_articles(articles_tagged(instance))


@receiver(content_changed)
def reindex_after_bulk_change(tags=None, **kwargs):
    """A change naming its tags (a merge, a rename) re-indexes their articles; any other, everything."""
    if tags is None:
        rebuild_index()
        return
    for tag in tags:
        index_articles(list(articles_tagged(tag)))
