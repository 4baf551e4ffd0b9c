"""What goes into the index for an article, and writing it there."""

import html
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils.html import strip_tags

from articles.models import Article, Status
from articles.vocabularies import VOCABULARIES
from holr.progress import no_progress

from .backends import get_backend
from .models import SearchEntry
from .query import clean_text

BATCH_SIZE = 500
_deferred = ContextVar("search_deferred_articles", default=None)


def plain_text(body_html):
    """The body as readers read it: tags gone (blocks kept apart by a space), entities decoded."""
    return clean_text(html.unescape(strip_tags(body_html.replace("<", " <"))))


def entries_for(articles):
    """The index rows for these articles (3 queries for their tag names, whatever the number)."""
    tags = defaultdict(list)
    pks = [article.pk for article in articles]
    for vocabulary in VOCABULARIES.values():
        through = vocabulary.model.tagged_articles.rel.related_model
        for pk, name in through.objects.filter(content_object_id__in=pks).values_list(
            "content_object_id", "tag__name"
        ):
            tags[pk].append(name)
    return [
        SearchEntry(
            article_id=article.pk,
            title=clean_text(article.title),
            dek=clean_text(article.dek),
            tags=clean_text(", ".join(tags[article.pk])),
            body=plain_text(article.body),
        )
        for article in articles
    ]


def indexable(articles):
    # Scheduled articles are indexed too, so they turn up at their time with no save;
    # search filters results through Article.objects.published().
    return articles.filter(status=Status.PUBLISHED).only("title", "dek", "body")


def write(articles):
    entries = SearchEntry.objects.bulk_create(entries_for(articles))
    if entries:
        get_backend().entries_written([entry.article_id for entry in entries])
    return len(entries)


@contextmanager
def indexing_deferred():
    """Articles to index inside this block are noted, and indexed together, BATCH_SIZE at a time,
    when it ends without an error (a bulk import: one pass instead of one per save and tag).

    Use it inside the writer's transaction, so the index commits with the articles.
    """
    pending = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    pks = sorted(pending)
    for start in range(0, len(pks), BATCH_SIZE):
        index_articles(pks[start : start + BATCH_SIZE])


@transaction.atomic
def index_articles(pks):
    """Bring the index rows of these articles up to date: written if published, removed if not."""
    pks = set(pks)
    if not pks:
        return
    pending = _deferred.get()
    if pending is not None:
        pending.update(pks)
        return
    articles = list(indexable(Article.objects.filter(pk__in=pks)))
    SearchEntry.objects.filter(article_id__in=pks).delete()
    write(articles)


@transaction.atomic
def rebuild_index(progress=no_progress):
    """Empty the index and fill it again from every published article; returns how many.

    One transaction: concurrent searches see the old index until the new one is complete.
    `progress` is called with the number of articles each batch indexed.
    """
    SearchEntry.objects.all().delete()
    articles = indexable(Article.objects.order_by("pk"))
    count, last_pk = 0, 0
    while batch := list(articles.filter(pk__gt=last_pk)[:BATCH_SIZE]):
        written = write(batch)
        count += written
        progress(written)
        last_pk = batch[-1].pk
    return count


def articles_tagged(tag):
    """The pks of articles that carry this tag (a Person, Place or Event)."""
    through = tag.tagged_articles.model
    return through.objects.filter(tag=tag).values_list("content_object_id", flat=True)
