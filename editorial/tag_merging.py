"""Merging tags: fix a typo ("Bladimir Putin") by folding it into the right tag."""

from django.db import transaction

from articles.models import Article
from articles.redirects import redirect_tag
from holr.signals import content_changed
from revisions.recording import record_revision


def merge_tags(vocabulary, keep, others, user=None):
    """Re-tag the articles of `others` with `keep` and delete `others`; returns the articles changed.

    An article tagged with several of them ends with `keep` once. Each merged tag's
    address answers 301 to `keep`'s, its description fills an empty one on `keep`, and
    each article changed gets a revision saying so. Sends `content_changed` (the
    re-tagging is a bulk update that sends no model signals).
    """
    others = [tag for tag in others if tag.pk != keep.pk]
    if not others:
        return []
    through = Article._meta.get_field(vocabulary.key).through
    other_ids = [tag.pk for tag in others]
    with transaction.atomic():
        rows = through.objects.filter(tag_id__in=other_ids)
        article_ids = set(rows.values_list("content_object_id", flat=True))
        # Articles that already have `keep` lose the duplicate rows; of the rest, one row
        # per article is re-pointed, any further ones go.
        rows.filter(
            content_object_id__in=through.objects.filter(tag=keep).values("content_object_id")
        ).delete()
        seen, duplicates = set(), []
        for row_id, article_id in rows.order_by("pk").values_list("pk", "content_object_id"):
            (duplicates.append(row_id) if article_id in seen else seen.add(article_id))
        through.objects.filter(pk__in=duplicates).delete()
        rows.update(tag=keep)

        if not keep.description:
            keep.description = next((tag.description for tag in others if tag.description), "")
            keep.save(update_fields=["description"])
        for tag in others:
            redirect_tag(vocabulary, tag.slug, tag.name, keep.slug)
            tag.delete()

        names = ", ".join(f"“{tag.name}”" for tag in others)
        articles = list(Article.objects.filter(pk__in=article_ids))
        for article in articles:
            record_revision(article, user=user, comment=f"Merged {names} into “{keep.name}”")
    content_changed.send(sender=vocabulary.model, vocabulary=vocabulary, tags=[keep])
    return articles
