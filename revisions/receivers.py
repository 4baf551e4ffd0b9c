"""Every save of an article keeps a revision, whatever path it came by.

The admin's change form records its own revision once the tags are saved too
(revisions.admin.ArticleHistoryMixin.save_related). Any other save (an import, a bulk
action, the shell) is recorded here: at once outside a transaction, or when the
transaction commits, so that tags set after the save (as the importer does) are in it.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import Article

from .recording import acting_user, record_revision


class RecordAfterCommit:
    """An on-commit callback; one per article per transaction, however often it is saved."""

    def __init__(self, article_id, user):
        self.article_id, self.user = article_id, user
        self.is_done = False

    def __call__(self):
        self.is_done = True
        article = Article.objects.filter(pk=self.article_id).first()
        if article is not None:  # deleted in the same transaction: nothing to keep
            record_revision(article, user=self.user)


@receiver(post_save, sender=Article)
def record_saved_article(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_revision_after_related", False):
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        record_revision(instance, user=acting_user())
        return
    already = any(
        isinstance(callback, RecordAfterCommit)
        and callback.article_id == instance.pk
        and not callback.is_done
        for _, callback, _ in connection.run_on_commit
    )
    if not already:
        transaction.on_commit(RecordAfterCommit(instance.pk, acting_user()))
