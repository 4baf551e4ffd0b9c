"""What a page depends on: the dependency keys recorded while it renders (issue 12).

A key names one thing readers see, `<model>:<pk>` ("article:12", "image:7", "section:3",
"person:5"), or a whole kind of change that a page's membership or order depends on
("articles:edited", see articles/cache_scope.py). The page cache (middleware.py) stores a
page with the keys recorded while it rendered, and serves it until a change retires one
of them, or retires everything (versions.py).

Recording is automatic for objects: every instance of a model in a watched app
(settings.PAGE_CACHE_WATCHED_APPS) built while a page renders, by a query, a
select_related join or a prefetch, adds its key. A value kept by `versions.remembered()`
carries the keys recorded while it was made, and hands them to every page that uses it.

What a page reads without building instances (counts, `values()`, aggregates) records
nothing: it is retired only by the changes that retire everything (publishing,
unpublishing, retagging...), unless the view records a key for it with `record()`. A view
whose result depends on article text or `updated_at` (search, sitemaps, feeds, API lists)
records `articles:edited`.

The same keys go to CDNs as `Surrogate-Key` / `Cache-Tag` headers (cdn.py).
"""

import functools
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_init

_recorder = ContextVar("pagecache_dependency_recorder", default=None)
# A page that shows more objects of one kind than this (a sitemap of 50,000 articles, an
# A–Z page of 2,000 people) depends on the kind instead: "article:*", retired by a change
# to any article. Keeps entries, and the CDN's headers, small.
MAX_KEYS_PER_KIND = 200


def key_for(instance):
    return f"{instance._meta.model_name}:{instance.pk}"


# Keys every page and remembered value depends on unless it spares them: a content app's
# "which articles are listed" key (articles/cache_scope.py), so that a view nobody told
# the page cache about is retired by any change to what is listed. A page that lists
# nothing (an article page) spares it, and says what else it depends on instead.
_defaults = set()


def register_default(key):
    _defaults.add(key)


class _Recording:
    __slots__ = ("keys", "spared")

    def __init__(self, keys):
        self.keys, self.spared = keys, set()


@contextmanager
def recording(defaults=False):
    """Collect the keys recorded inside the block into the yielded set.

    With `defaults`, the registered default keys too, unless the block spares them. Nested
    blocks (a remembered value made while a page renders) pass what they recorded on to
    the enclosing one when they end.
    """
    outer = _recorder.get()
    keys = set()
    current = _Recording(keys)
    token = _recorder.set(current)
    try:
        yield keys
    finally:
        _recorder.reset(token)
        # Spared: the defaults this block would have had, never keys a nested value brought.
        if defaults:
            keys.update(_defaults - current.spared)
        if outer is not None:
            outer.keys.update(keys)


def record(*keys):
    """Note that what is being rendered depends on `keys` (no-op outside `recording()`)."""
    current = _recorder.get()
    if current is not None:
        current.keys.update(keys)


def lists_nothing():
    """What is being rendered lists nothing: it does not depend on the default keys (see
    register_default), only on what it records."""
    current = _recorder.get()
    if current is not None:
        current.spared.update(_defaults)


def compact(keys):
    """`keys`, with the `<kind>:<id>` keys of any kind past MAX_KEYS_PER_KIND as `<kind>:*`."""
    per_kind = Counter(kind for kind, _, rest in (key.partition(":") for key in keys) if rest.isdigit())
    crowded = {kind for kind, count in per_kind.items() if count > MAX_KEYS_PER_KIND}
    if not crowded:
        return frozenset(keys)
    kept = {key for key in keys if not (key.partition(":")[0] in crowded and key.partition(":")[2].isdigit())}
    return frozenset(kept | {wildcard(kind) for kind in crowded})


def wildcard(kind):
    return f"{kind}:*"


def wildcards_of(retired):
    """The `<kind>:*` keys a set of retired keys reaches."""
    return {wildcard(kind) for kind, _, rest in (key.partition(":") for key in retired) if rest.isdigit()}


def is_recording():
    return _recorder.get() is not None


def _instance_built(sender, instance, **kwargs):
    current = _recorder.get()
    if current is not None and instance.pk is not None:
        current.keys.add(key_for(instance))


def watch_models():
    """Record every watched model's instances (called once, from PageCacheConfig.ready)."""
    for label in settings.PAGE_CACHE_WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            post_init.connect(
                _instance_built, sender=model, dispatch_uid=f"pagecache.built.{model._meta.label}"
            )


def records(*keys):
    """A view decorator: every response of the view depends on `keys`.

    For views whose membership or order follows what instances do not show:
    `records(EDITED)(view)` for search results, sitemaps, feeds (articles/cache_scope.py).
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            record(*keys)
            return view(*args, **kwargs)

        return wrapped

    return decorate
