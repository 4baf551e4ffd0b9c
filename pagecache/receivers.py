"""Anything readers may see changed: retire what it changed (see versions.py).

Generic on purpose: every model of the apps that hold reader-visible content, and the
tag through models' m2m changes, plus `holr.signals.content_changed` for changes that
send no model signals (queryset update(), bulk_create, raw SQL). A new model in one of
these apps (feeds, search, revisions, slug redirects...) is covered without more work:
it retires everything.

A content app may vouch for less (versions.register_scope): nothing for a draft's save
and everything hanging off the draft, the changed object's own key for an edit that moves
nothing else (articles/cache_scope.py, images/cache_scope.py).
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from holr.signals import content_changed

from . import versions


def watched(model):
    return model._meta.app_label in settings.PAGE_CACHE_WATCHED_APPS


@receiver(post_save, dispatch_uid="pagecache.saved")
@receiver(post_delete, dispatch_uid="pagecache.deleted")
def model_changed(sender, signal, **kwargs):
    # Fixtures (raw saves) too: loaddata changes what readers see.
    if watched(sender):
        versions.retire(versions.scope_of(sender, signal=signal, **kwargs))


@receiver(m2m_changed, dispatch_uid="pagecache.m2m")
def relation_changed(sender, action, **kwargs):
    if action.startswith("post_") and (watched(sender) or watched(kwargs["model"])):
        versions.retire(versions.scope_of(sender, action=action, **kwargs))


@receiver(content_changed, dispatch_uid="pagecache.content_changed")
def content_changed_elsewhere(sender, **kwargs):
    versions.bump()
