"""The site's content version: one token that changes whenever anything readers see changes.

Cached pages (middleware.py) and the masthead (articles/navigation.py) are stored with the
token they were made under and used only while it is still current, so a change is seen on
the very next request, by every process on every server, as long as they all read the
token from the same place:

* a shared cache (Redis): the token lives in that cache, next to the pages, and one
  round trip (MGET) fetches the token, the schedule and a page together;
* a per-process cache (local memory, the default): each gunicorn worker has its own, so
  the token lives in the database (pagecache.ContentVersion), read once per request.

Time changes content too: a scheduled article goes live at its `published_at` without
anyone saving anything. Each token remembers the next scheduled publication after it was
made; once that time has passed, every process derives the same successor token from
(token, time), so all of them move on together and no page made before the time is served
after it.
"""

import functools
import hashlib
import os
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

VERSION_KEY = "holr:content-version"
SCHEDULE_KEY = "holr:content-schedule"
# Settings that show in pages: a change to one retires every cached page.
RELEASE_SETTINGS = (
    "SITE_NAME",
    "SITE_URL",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "STATIC_URL",
    "MEDIA_URL",
    "STORAGES",
    "DEBUG",
)
# Caches that other processes (or other servers) cannot see into.
PER_PROCESS_CACHES = (LocMemCache, DummyCache, FileBasedCache)


@dataclass(frozen=True, slots=True)
class ContentVersion:
    token: str
    changed_at: datetime


def cache():
    return caches["default"]


@functools.cache
def release():
    """Which code and settings render the pages: DJANGO_RELEASE, or a digest of the project's
    code and templates; plus the settings that show in every page.

    Folded into cache keys so that a deploy (or a new SITE_NAME, media storage...) never
    serves pages rendered by the previous one; servers running the same code and settings
    compute the same value.
    """
    shown = repr([getattr(settings, name, None) for name in RELEASE_SETTINGS]).encode()
    settings_digest = hashlib.sha256(shown).hexdigest()[:8]
    if os.environ.get("DJANGO_RELEASE"):
        return f"{os.environ['DJANGO_RELEASE']}-{settings_digest}"
    return f"{_code_digest()}-{settings_digest}"


def _code_digest():
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    skipped = {"media", "staticfiles", "tests", "docs", "node_modules", "__pycache__"}
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(
            f
            for f in folders
            if not f.startswith(".") and f not in skipped and not (Path(folder) / f / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt", ".xml", ".po", ".mo")):
                path = Path(folder) / name
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def store():
    """Where the token lives: "cache" when the cache is shared, "database" when per-process."""
    choice = getattr(settings, "CONTENT_VERSION_STORE", "auto")
    if choice == "auto":
        return "database" if isinstance(cache(), PER_PROCESS_CACHES) else "cache"
    return choice


# Within one request (middleware.py opens the scope), the version is read once: the page
# cache's own read, or the first read by whatever renders the page (masthead, counts).
# A change made during the request (bump) forgets it, so later reads see the new one.
_request_memo = ContextVar("content_version_request_memo", default=None)


@contextmanager
def request_scope(version=None):
    token = _request_memo.set({"version": version} if version is not None else {})
    try:
        yield
    finally:
        _request_memo.reset(token)


def current(*keys):
    """The current content version, and the cache values of `keys` fetched with it.

    With a shared cache this is one round trip in the steady state; with a per-process
    cache it is one database query plus one local lookup.
    """
    if store() == "database":
        memo = _request_memo.get()
        version = memo.get("version") if memo is not None else None
        if version is None:
            version = _current_from_database()
            if memo is not None:
                memo["version"] = version
        values = cache().get_many(keys) if keys else {}
        return version, values
    values = cache().get_many([VERSION_KEY, SCHEDULE_KEY, *keys])
    version = _current_from_cache(values.get(VERSION_KEY), values.get(SCHEDULE_KEY))
    return version, values


def remembered(key, make, timeout=None):
    """`make()`, kept in the cache for as long as the content version it was made under.

    For anything derived from content (the masthead, listing counts, deep-page
    boundaries): any change that retires the version, a scheduled article coming due
    included, retires these with it, in every process.
    """
    key = f"{key}:{release()}"
    version, values = current(key)
    entry = values.get(key)
    if entry is not None and entry[0] == version.token:
        return entry[1]
    value = make()
    cache().set(key, (version.token, value), timeout=timeout)
    return value


_deferred_bumps = ContextVar("pagecache_deferred_bumps", default=None)


@contextmanager
def bumps_deferred():
    """Inside this block bumps are only noted, and made once on the way out.

    For bulk writers (manage.py import_wordpress saves thousands of rows): one bump at
    the end instead of one per row. Wrap the block around the transaction, so the bump
    comes after the commit (or the rollback, where it is harmless).
    """
    pending = []
    token = _deferred_bumps.set(pending)
    try:
        yield
    finally:
        _deferred_bumps.reset(token)
        if pending:
            bump()


def bump():
    """Readers may see something new: retire the current token, everywhere.

    Called from model signals, inside the writer's transaction. In the database the new
    token commits with the change itself. A shared cache is not transactional, so it is
    told twice: now, and again once the change has committed, so that no page rendered
    from the old data can be stored under a token that outlives the commit.
    """
    pending = _deferred_bumps.get()
    if pending is not None:
        pending.append(True)
        return
    memo = _request_memo.get()
    if memo:
        memo.pop("version", None)
    if store() == "database":
        _bump_database()
        return
    _bump_cache()
    if connection.in_atomic_block:
        transaction.on_commit(_bump_cache)


def _new_token():
    return secrets.token_hex(8)


def _successor(token, scheduled_at):
    """The token after `token` once `scheduled_at` has passed; the same in every process."""
    return hashlib.sha256(f"{token}|{scheduled_at.isoformat()}".encode()).hexdigest()[:16]


# What goes live by itself at a time (scheduled articles): each app with such content
# registers a function `moment -> the next such time after it, or None` when it is ready
# (articles/apps.py), so the cache depends on no content app.
_schedules = []


def register_schedule(next_after):
    if next_after not in _schedules:
        _schedules.append(next_after)


def _next_scheduled_after(moment):
    return min(filter(None, (next_after(moment) for next_after in _schedules)), default=None)


# Changes no reader can see (an editor saving a draft): each content app registers a
# function `(sender, instance, **signal kwargs) -> True when the change is unseen` when it
# is ready (articles/unseen.py), and receivers.py skips the bump for those. A function
# answers True only when it is sure; anything it does not know about still bumps.
_unseen_deciders = []


def register_unseen(decide):
    if decide not in _unseen_deciders:
        _unseen_deciders.append(decide)


def is_unseen(sender, **kwargs):
    return any(decide(sender, **kwargs) for decide in _unseen_deciders)


# A shared cache


def _bump_cache():
    cache().set(VERSION_KEY, (_new_token(), timezone.now()), timeout=None)


def _current_from_cache(state, schedule):
    if state is None:
        # First request, or the cache was flushed: start a new token. `add` lets one
        # process win, and everyone uses the winner's.
        cache().add(VERSION_KEY, (_new_token(), timezone.now()), timeout=None)
        state = cache().get(VERSION_KEY) or (_new_token(), timezone.now())
    token, changed_at = state
    now = timezone.now()
    while True:
        if schedule is None or schedule[0] != token:
            schedule = (token, _next_scheduled_after(changed_at))
            cache().set(SCHEDULE_KEY, schedule, timeout=None)
        next_change_at = schedule[1]
        if next_change_at is None or next_change_at > now:
            return ContentVersion(token, changed_at)
        token, changed_at = _successor(token, next_change_at), next_change_at
        cache().set(VERSION_KEY, (token, changed_at), timeout=None)
        schedule = None


# The database (for per-process caches)


def _row():
    """(token, changed_at, next_change_at, is_schedule_known), or None before the first change.

    Read on every request when the version lives in the database, so in plain SQL: the
    ORM would spend eight times the CPU of the query itself building it.
    """
    from .models import ContentVersion as Row

    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("token", "changed_at", "next_change_at", "is_schedule_known"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(Row._meta.db_table)} WHERE {quote('id')} = 1")
        row = cursor.fetchone()
    if row is None:
        return None
    token, changed_at, next_change_at, is_schedule_known = row
    return token, _aware(changed_at), _aware(next_change_at), bool(is_schedule_known)


def _aware(moment):
    # SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones.
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, UTC)
    return moment


def _create_row():
    from .models import ContentVersion as Row

    try:
        with transaction.atomic():
            Row.objects.create(pk=1, token=_new_token(), changed_at=timezone.now())
    except IntegrityError:
        pass  # another process made it first
    return _row()


def _bump_database():
    from .models import ContentVersion as Row

    updated = Row.objects.filter(pk=1).update(
        token=_new_token(), changed_at=timezone.now(), next_change_at=None, is_schedule_known=False
    )
    if not updated:
        _create_row()


def _current_from_database():
    from .models import ContentVersion as Row

    token, changed_at, next_change_at, is_schedule_known = _row() or _create_row()
    now = timezone.now()
    while True:
        if not is_schedule_known:
            next_change_at = _next_scheduled_after(changed_at)
            # Only for this token: a change that committed meanwhile has its own.
            Row.objects.filter(pk=1, token=token).update(
                next_change_at=next_change_at, is_schedule_known=True
            )
        if next_change_at is None or next_change_at > now:
            return ContentVersion(token, changed_at)
        successor = _successor(token, next_change_at)
        Row.objects.filter(pk=1, token=token).update(
            token=successor, changed_at=next_change_at, next_change_at=None, is_schedule_known=False
        )
        token, changed_at, is_schedule_known = successor, next_change_at, False
