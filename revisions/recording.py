"""Taking revisions: a snapshot of an article as it is in the database, after every save."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Max

from articles.models import Article
from articles.vocabularies import VOCABULARIES

from .models import CONTENT_FIELDS, Revision

# Who is saving, for revisions taken by the post_save receiver (bulk actions, restores).
_acting_user = ContextVar("revisions_acting_user", default=None)


@contextmanager
def acting_as(user):
    """Revisions taken inside this block are credited to `user`."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def acting_user():
    return _acting_user.get()


def tag_names(article):
    """The article's tag names per vocabulary, read from the database (never a stale prefetch)."""
    return {
        key: sorted(
            vocabulary.model.objects.filter(tagged_articles__content_object=article).values_list(
                "name", flat=True
            ),
            key=str.casefold,
        )
        for key, vocabulary in VOCABULARIES.items()
    }


def note_rows(article):
    """The article's corrections and updates as [kind, ISO time, text], newest first, from the database."""
    from articles.models import ArticleNote

    rows = ArticleNote.objects.filter(article=article).values_list("kind", "noted_at", "text")
    return [[kind, noted_at.isoformat(), text] for kind, noted_at, text in rows]


def record_revision(article, user=None, comment=""):
    """Add the next revision of `article`, copied from its saved state."""
    with transaction.atomic():
        # Locks the article's row (PostgreSQL), so two saves cannot take the same number.
        Article.objects.select_for_update().filter(pk=article.pk).exists()
        last = Revision.objects.filter(article=article).aggregate(last=Max("number"))["last"] or 0
        return Revision.objects.create(
            article=article,
            number=last + 1,
            user=user if user is not None and user.is_authenticated else None,
            comment=comment[:200],
            **{field: getattr(article, field) for field in CONTENT_FIELDS},
            **tag_names(article),
            notes=note_rows(article),
        )


def restore_revision(revision, user):
    """Bring back a revision's words and tags as a new revision; history is never rewritten.

    The publishing state (status and time) stays as it is now: restoring old text must not
    publish or unpublish anything. A slug another article has taken since is left alone.
    Returns the new revision and a list of notes for the editor.
    """
    from articles.models import TagRedirect

    article = Article.objects.get(pk=revision.article_id)
    notes = []
    for field in ("title", "dek", "body", "caption"):
        setattr(article, field, getattr(revision, field))
    if revision.slug != article.slug:
        if Article.objects.filter(slug=revision.slug).exclude(pk=article.pk).exists():
            notes.append(
                f"The address “{revision.slug}” now belongs to another article; the current one is kept."
            )
        else:
            article.slug = revision.slug
    with transaction.atomic(), acting_as(user):
        article._revision_after_related = True
        article.save()
        for key, vocabulary in VOCABULARIES.items():
            tags = []
            for name in getattr(revision, key):
                tag = vocabulary.model.objects.filter(name__iexact=name).first()
                if tag is None:
                    # A tag merged or renamed since: use the tag it became.
                    moved = TagRedirect.objects.filter(vocabulary=key, old_name__iexact=name).first()
                    if moved is not None:
                        tag = vocabulary.model.objects.filter(slug=moved.new_slug).first()
                tags.append(tag or name)
            getattr(article, key).set(tags)
        new_revision = record_revision(article, user=user, comment=f"Restored revision {revision.number}")
    return new_revision, notes
