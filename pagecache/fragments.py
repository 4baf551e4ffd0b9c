"""Fragments kept in this process's memory, exact like the page cache (issue 12).

A page the cache has to make again (after an edit retired it) is mostly made of pieces
that did not change: nineteen of the home page's twenty teasers, say. `kept(key, make)`
keeps each piece's HTML in process memory with the step it was made under and the
dependency keys it depends on (recorded while it was made, plus `depends_on`: the
objects it was handed, which were built before it began), and reuses it while no later
step retired one of them: the same rule, and the same check (versions.is_fresh), as a
cached page. A piece reused hands its keys to the page around it.

No round trip: the content version is the one the request read already. Used only while
the page cache makes a page for readers (never for staff, previews, or with the cache off,
as under DEBUG where templates change under a running server). At most
settings.PAGE_CACHE_FRAGMENTS pieces per process, least recently used go first.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.db.models import Model

from . import dependencies, versions

_pieces = OrderedDict()
_lock = threading.Lock()


def kept(key, make, depends_on=()):
    """`make()`, or the same HTML made earlier in this process if nothing it shows changed since."""
    limit = settings.PAGE_CACHE_FRAGMENTS
    if not limit or not dependencies.is_recording():
        return make()  # only for pages the page cache is making: never for staff, previews, DEBUG
    version = versions.current_version()
    with _lock:
        piece = _pieces.get(key)
        if piece is not None:
            _pieces.move_to_end(key)
    if piece is not None and versions.is_fresh(piece[0], piece[1], version):
        if piece[0] != version.number:  # still good: stamp it, to keep its check short
            with _lock:
                _pieces[key] = (version.number, *piece[1:])
        dependencies.record(*piece[1])
        return piece[2]
    with dependencies.recording() as keys:
        value = make()
        dependencies.record(*depends_on)
    with _lock:
        _pieces[key] = (version.number, dependencies.compact(keys), value)
        _pieces.move_to_end(key)
        while len(_pieces) > limit:
            _pieces.popitem(last=False)
    return value


def keys_of(instance):
    """The dependency keys of an object and of everything already loaded with it:
    select_related objects and prefetched relations, as far as they go."""
    keys, pending, seen = set(), [instance], set()
    while pending:
        obj = pending.pop()
        if obj is None or id(obj) in seen or not isinstance(obj, Model):
            continue
        seen.add(id(obj))
        if obj._meta.app_label in settings.PAGE_CACHE_WATCHED_APPS and obj.pk is not None:
            keys.add(dependencies.key_for(obj))
        pending.extend(obj._state.fields_cache.values())
        for related in getattr(obj, "_prefetched_objects_cache", {}).values():
            pending.extend(related)
    return keys


def clear():
    with _lock:
        _pieces.clear()
