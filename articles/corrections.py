"""Corrections and updates move the article's modified time.

The JSON-LD dateModified, the feeds' updated time and the sitemap's lastmod all read the
article's `updated_at` (via Article.last_modified and its SQL twin in the
sitemap), so a note saved or deleted by any path touches it here, once, rather than each
of those learning about notes.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Article, ArticleNote


@receiver(post_save, sender=ArticleNote, dispatch_uid="articles.note_saved")
@receiver(post_delete, sender=ArticleNote, dispatch_uid="articles.note_deleted")
def note_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # .update(): no revision of its own (the admin records one with the notes in it) and no
    # second pass through Article.save(); the page cache hears the note's own signal.
    Article.objects.filter(pk=instance.article_id).update(updated_at=timezone.now())
