"""Old addresses keep working: moved articles and tags answer 301, deleted articles 410.

The receivers here keep three tables in step with every save and delete, whatever path
it came by (admin, import, shell):

- ArticleRedirect: a published article's old slug → the article (so always one hop).
- TagRedirect: a renamed or merged tag's old slug → the slug that replaced it; chains are
  collapsed when written and a slug that is live again stops redirecting (no cycles).
- DeletedArticle: the slug of a deleted published article, which answers 410 Gone.

An address that a live article or tag takes (again) is never a redirect or a tombstone:
the live page wins.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.shortcuts import redirect, render

from holr.signals import content_changed

from .models import Article, ArticleRedirect, DeletedArticle, TagRedirect
from .querysets import may_read_unpublished
from .vocabularies import VOCABULARIES


def article_moved_or_gone(request, slug):
    """The 301 or 410 response for an article slug that matched no visible article, or None."""
    moved = ArticleRedirect.objects.filter(old_slug=slug).select_related("article").first()
    if moved is not None:
        article = moved.article
        if article.is_published() or may_read_unpublished(request.user):
            return redirect(article, permanent=True)
        return None
    if DeletedArticle.objects.filter(slug=slug).exists():
        return render(request, "410.html", {"slug": slug}, status=410)
    return None


def tag_moved(vocabulary, slug, url_name="articles:tag"):
    """The 301 response for a tag slug that was renamed or merged away, or None.

    `url_name` is the tag's page, or another address of the tag (its feeds). As with
    articles, the redirect answers only when readers may see where it leads: a tag known
    only from unpublished work must not leak its new name.
    """
    new_slug = (
        TagRedirect.objects.filter(vocabulary=vocabulary.key, old_slug=slug)
        .values_list("new_slug", flat=True)
        .first()
    )
    if new_slug is None:
        return None
    shown = vocabulary.model.objects.filter(
        slug=new_slug, tagged_articles__content_object__in=Article.objects.published()
    )
    if not shown.exists():
        return None
    return redirect(url_name, vocabulary=vocabulary.key, slug=new_slug, permanent=True)


def redirect_tag(vocabulary, old_slug, old_name, new_slug):
    """Point a tag's old address at `new_slug`, collapsing chains (A → B, B → C is A → C)."""
    if old_slug == new_slug:
        return
    redirects = TagRedirect.objects.filter(vocabulary=vocabulary.key)
    redirects.filter(new_slug=old_slug).update(new_slug=new_slug)
    redirects.filter(old_slug=new_slug).delete()  # the new slug is live: never a redirect
    TagRedirect.objects.update_or_create(
        vocabulary=vocabulary.key, old_slug=old_slug, defaults={"new_slug": new_slug, "old_name": old_name}
    )


# Articles ---------------------------------------------------------------------------


@receiver(pre_save, sender=Article)
def remember_previous_address(sender, instance, raw=False, **kwargs):
    instance._previous_address = None
    if raw or instance.pk is None:
        return
    instance._previous_address = (
        Article.objects.filter(pk=instance.pk).values("slug", "status", "published_at", "section_id").first()
    )


@receiver(post_save, sender=Article)
def keep_old_article_address(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_previous_address", None)
    if not created and (previous is None or previous["slug"] == instance.slug):
        return
    ArticleRedirect.objects.filter(old_slug=instance.slug).delete()
    DeletedArticle.objects.filter(slug=instance.slug).delete()
    if previous is not None and was_visible(previous):
        ArticleRedirect.objects.update_or_create(old_slug=previous["slug"], defaults={"article": instance})


def was_visible(fields):
    shadow = Article(status=fields["status"], published_at=fields["published_at"])
    return shadow.is_published()


@receiver(pre_delete, sender=Article)
def leave_tombstone(sender, instance, **kwargs):
    """A deleted published article's addresses (current and old) answer 410 Gone."""
    if not instance.is_published():
        return
    slugs = [instance.slug, *instance.redirects.values_list("old_slug", flat=True)]
    DeletedArticle.objects.filter(slug__in=slugs).delete()
    DeletedArticle.objects.bulk_create(DeletedArticle(slug=slug, title=instance.title) for slug in slugs)


# Tags -------------------------------------------------------------------------------


def remember_previous_tag(sender, instance, raw=False, **kwargs):
    instance._previous_tag = None
    if not raw and instance.pk is not None:
        instance._previous_tag = sender.objects.filter(pk=instance.pk).values("slug", "name").first()


def keep_old_tag_address(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_previous_tag", None)
    if previous is not None and previous["name"] != instance.name:
        # Every page that shows the tag shows its new name; caches keyed on articles miss that.
        content_changed.send(sender=sender, vocabulary=VOCABULARIES[sender.vocabulary], tags=[instance])
    if not created and (previous is None or previous["slug"] == instance.slug):
        return
    vocabulary = VOCABULARIES[sender.vocabulary]
    TagRedirect.objects.filter(vocabulary=vocabulary.key, old_slug=instance.slug).delete()
    if previous is not None:
        redirect_tag(vocabulary, previous["slug"], previous["name"], instance.slug)


def forget_redirects_to_deleted_tag(sender, instance, **kwargs):
    TagRedirect.objects.filter(vocabulary=sender.vocabulary, new_slug=instance.slug).delete()


for _vocabulary in VOCABULARIES.values():
    _model = _vocabulary.model
    pre_save.connect(remember_previous_tag, sender=_model, dispatch_uid=f"tag-prev-{_vocabulary.key}")
    post_save.connect(keep_old_tag_address, sender=_model, dispatch_uid=f"tag-redirect-{_vocabulary.key}")
    post_delete.connect(
        forget_redirects_to_deleted_tag, sender=_model, dispatch_uid=f"tag-forget-{_vocabulary.key}"
    )
