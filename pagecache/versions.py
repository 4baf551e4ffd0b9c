"""The site's content version: a sequence number that moves on whenever readers may see a change.

Every change is one step of the sequence, logged with what it retired: either a set of
dependency keys ("article:12", "image:7": see dependencies.py), or everything. Cached
pages (middleware.py) and remembered values (`remembered()`: the masthead, listing
counts, related stories) are stored with the number current when they started to render
and the keys they recorded. They are served while no step since then retired one of their
keys or everything, so a change is seen on the very next request, by every process on
every server, and an editor fixing a typo in an old story retires that story's pages,
not the site.

Where the sequence lives:

* a shared cache (Redis): the counter and the log live in that cache, next to the pages;
  one round trip (MGET) fetches the counter, the schedule and a page together, and a page
  stored before the last change costs one more (the log since its number);
* a per-process cache (local memory, the default): each gunicorn worker has its own, so
  the counter lives in the database (pagecache.ContentVersion, one row, read once per
  request) and the log beside it (pagecache.ContentChange).

A step that retires everything comes from any change no content app vouches for (see
`register_scope`): publishing, unpublishing, retagging, renaming a tag or a section...

Time changes content too: a scheduled article goes live at its `published_at` without
anyone saving anything. The counter's schedule remembers the next scheduled publication
after the current step was made; once that time has passed, the first process to notice
takes a step that retires everything, so no page made before the time is served after it.
(`manage.py deliver_webhooks` looks every few seconds, so a CDN that keeps every page
away from the origin still hears of it.)

With a CDN purge configured (cdn.py), every step is sent to the CDN once it commits: its
keys, or the site key for a step that retires everything.
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
from django.db.models import F
from django.utils import timezone

from . import cdn, dependencies

VERSION_KEY = "holr:content-number"  # the counter (a new name: the old key held a token)
CHANGE_KEY = "holr:content-change:%d"  # one step: (changed_at, retired keys or EVERYTHING)
SCHEDULE_KEY = (
    "holr:content-number-schedule"  # (number, when it was taken, the next scheduled publication after)
)
# A step that retires every page. Also what a content app's scope answers when it
# cannot vouch for less (see register_scope).
EVERYTHING = None
# The version while the cache cannot count (Redis down): nothing stored matches it.
UNKNOWN = -1
# A stored value still good after this many steps is stamped current again (rewritten),
# so the log read to check it stays short; fewer steps behind, it is left as it is.
RESTAMP_AFTER = 16
# A page more steps behind than this is made again rather than checked against the log.
MAX_STEPS_BEHIND = 500
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
    number: int
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
# cache's own read, or the first read by whatever renders the page (masthead, counts); so
# is the log since a stored number. A change made during the request (retire) forgets both.
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
    memo = _request_memo.get()
    if store() == "database":
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


def current_version():
    """The content version, read once per request: the one the page cache (or an earlier
    reader in the request) read, or a fresh read outside a request."""
    memo = _request_memo.get()
    if memo is not None and memo.get("version") is not None:
        return memo["version"]
    version, _ = current()
    if memo is not None:
        memo["version"] = version
    return version


def is_fresh(number, keys, version):
    """Whether something stored at step `number`, depending on `keys`, still holds at `version`."""
    if version.number == UNKNOWN:
        return False
    if number == version.number:
        return True
    if not version.number - MAX_STEPS_BEHIND <= number < version.number:
        return False
    retired = retired_since(number, version)
    if retired is EVERYTHING or not retired.isdisjoint(keys):
        return False
    # A page that depends on a whole kind ("article:*": too many to list) goes with any of it.
    return not any(key.endswith(":*") for key in keys) or dependencies.wildcards_of(retired).isdisjoint(keys)


def retired_since(number, version):
    """What the steps after `number` up to `version` retired: a set of keys, or EVERYTHING
    (also when the log has lost one of them)."""
    memo = _request_memo.get()
    seen = memo.setdefault("retired", {}) if memo is not None else {}
    if (number, version.number) not in seen:
        if store() == "database":
            steps = _steps_from_database(number, version.number)
        else:
            found = cache().get_many([CHANGE_KEY % n for n in range(number + 1, version.number + 1)])
            steps = [step[1] for step in found.values()]
        retired = set()
        if len(steps) != version.number - number or EVERYTHING in steps:
            retired = EVERYTHING
        else:
            retired.update(*steps)
        seen[(number, version.number)] = retired
    return seen[(number, version.number)]


def remembered(key, make, timeout=None):
    """`make()`, kept in the cache for as long as nothing it depends on changes.

    For anything derived from content (the masthead, listing counts, deep-page
    boundaries, related stories): the value is kept with the keys recorded while it was
    made (dependencies.py), and a page that uses it depends on them too. A change that
    retires one of them, or everything (a scheduled article coming due included),
    makes it again, in every process.
    """
    key = f"{key}:{release()}"
    version, values = current(key)
    entry = values.get(key)
    if entry is not None and len(entry) == 3 and is_fresh(entry[0], entry[2], version):
        number, value, keys = entry
        if version.number - number > RESTAMP_AFTER:  # still good: stamp it, to keep its check short
            cache().set(key, (version.number, value, keys), timeout=timeout)
        dependencies.record(*keys)
        return value
    with dependencies.recording(defaults=True) as keys:
        value = make()
    cache().set(key, (version.number, value, dependencies.compact(keys)), timeout=timeout)
    return value


_deferred = ContextVar("pagecache_deferred_retirements", default=None)


@contextmanager
def bumps_deferred():
    """Inside this block retirements are only noted, and made as one step on the way out.

    For bulk writers (manage.py import_wordpress saves thousands of rows): one step at the
    end instead of one per row. Wrap the block around the transaction, so the step comes
    after the commit (or the rollback, where it is harmless).
    """
    pending = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        if pending:
            retire(EVERYTHING if EVERYTHING in pending else frozenset().union(*pending))


def bump():
    """Readers may see anything new: retire every cached page and remembered value."""
    retire(EVERYTHING)


def retire(keys=EVERYTHING):
    """Readers may see something new: take a step that retires `keys` (or everything), everywhere.

    Called from model signals, inside the writer's transaction. In the database the step
    commits with the change itself. A shared cache is not transactional, so it is told
    twice: now, and again once the change has committed, so that no page rendered from the
    old data can be stored under a number that outlives the commit. (The step at commit
    alone would do; the first one makes the change visible at once to the writer's own
    process and to the test suite, whose transactions never commit.)
    """
    if keys is not EVERYTHING:
        keys = frozenset(keys)
        if not keys:
            return
    pending = _deferred.get()
    if pending is not None:
        pending.append(keys)
        return
    memo = _request_memo.get()
    if memo:
        memo.pop("version", None)
    if store() == "database":
        _step_database(keys)
    else:
        _step_cache(keys)
        if connection.in_atomic_block:
            transaction.on_commit(lambda: _step_cache(keys))
    _purge_after_commit(keys)


def _purge_after_commit(keys):
    """Tell the CDN (cdn.py) once the change is committed: the keys, or the site key for everything."""
    if not cdn.is_enabled():
        return
    purged = {cdn.SITE_KEY} if keys is EVERYTHING else keys | dependencies.wildcards_of(keys)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: cdn.purge(purged))
    else:
        cdn.purge(purged)


def _first_number():
    # A counter that starts anew (a flushed cache, a new database) starts far from any
    # number an old stored page could carry; below 10^13, so that Redis's Lua (doubles)
    # counts it exactly.
    return secrets.randbelow(2**27) * 2**16


# What goes live by itself at a time (scheduled articles): each app with such content
# registers a function `moment -> the next such time after it, or None` when it is ready
# (articles/apps.py), so the cache depends on no content app.
_schedules = []


def register_schedule(next_after):
    if next_after not in _schedules:
        _schedules.append(next_after)


def _next_scheduled_after(moment):
    return min(filter(None, (next_after(moment) for next_after in _schedules)), default=None)


# What a change retires: each content app registers a function
# `(sender, instance, **signal kwargs) -> a set of keys, or None` when it is ready
# (articles/cache_scope.py, images/cache_scope.py), and receivers.py retires what the
# first that knows answers: an empty set for a change no reader can see (a draft's save),
# the changed object's keys for an edit that moves nothing (a typo fixed in a published
# story). A function answers only when it is sure; anything none knows retires everything.
_scopes = []


def register_scope(decide):
    if decide not in _scopes:
        _scopes.append(decide)


def scope_of(sender, **kwargs):
    for decide in _scopes:
        keys = decide(sender, **kwargs)
        if keys is not EVERYTHING:
            return keys
    return EVERYTHING


# A shared cache


def _step_cache(keys, changed_at=None):
    """Take a step: its number, or None when the cache cannot count (Redis is down; the
    fault-tolerant cache, resilience/cache.py, empties itself when it comes back)."""
    record = (changed_at or timezone.now(), keys)
    for attempt in range(2):
        try:
            return _incr_and_record(record)
        except ValueError:  # no counter yet, or the cache was flushed (or is down)
            if attempt == 0:
                cache().add(VERSION_KEY, _first_number(), timeout=None)
    return None


def _incr_and_record(record):
    if hasattr(cache(), "incr_and_set"):
        # Redis (resilience/cache.py): one script, so no reader sees the number before its record.
        return cache().incr_and_set(
            VERSION_KEY, CHANGE_KEY.removesuffix("%d"), record, settings.PAGE_CACHE_TIMEOUT
        )
    # A cache in this process: nobody else reads it between the two calls that matters to.
    number = cache().incr(VERSION_KEY)
    cache().set(CHANGE_KEY % number, record, timeout=settings.PAGE_CACHE_TIMEOUT)
    return number


def _current_from_cache(number, schedule):
    now = timezone.now()
    if number is None:
        # First request, or the cache was flushed: start a counter. `add` lets one
        # process win, and everyone uses the winner's.
        cache().add(VERSION_KEY, _first_number(), timeout=None)
        schedule = _take_step(EVERYTHING, now)
    elif schedule is None or schedule[0] != number:
        step = cache().get(CHANGE_KEY % number)
        # When this step was taken may be lost (evicted): then take a new one.
        schedule = _schedule(number, step[0]) if step is not None else _take_step(EVERYTHING, now)
    while schedule is not None:
        number, changed_at, next_change_at = schedule
        if next_change_at is None or next_change_at > now:
            return ContentVersion(number, changed_at)
        # A scheduled article has come due since this step: every process that sees it
        # first takes a step (a few at once do no harm: each retires everything).
        schedule = _take_step(EVERYTHING, next_change_at)
        _purge_after_commit(EVERYTHING)
    return ContentVersion(UNKNOWN, now)  # the cache cannot count: nothing stored is served


def _take_step(keys, changed_at):
    number = _step_cache(keys, changed_at)
    return None if number is None else _schedule(number, changed_at)


def _schedule(number, changed_at):
    schedule = (number, changed_at, _next_scheduled_after(changed_at))
    cache().set(SCHEDULE_KEY, schedule, timeout=None)
    return schedule


# The database (for per-process caches)


def _row():
    """(number, changed_at, next_change_at, is_schedule_known), or None before the first change.

    Read on every request when the version lives in the database, so in plain SQL: the
    ORM would spend eight times the CPU of the query itself building it.
    """
    from .models import ContentVersion as Row

    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("number", "changed_at", "next_change_at", "is_schedule_known"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(Row._meta.db_table)} WHERE {quote('id')} = 1")
        row = cursor.fetchone()
    if row is None:
        return None
    number, changed_at, next_change_at, is_schedule_known = row
    return number, _aware(changed_at), _aware(next_change_at), bool(is_schedule_known)


def _aware(moment):
    # SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones.
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, UTC)
    return moment


def _create_row():
    from .models import ContentVersion as Row

    try:
        with transaction.atomic():
            Row.objects.create(pk=1, number=_first_number(), changed_at=timezone.now())
    except IntegrityError:
        pass  # another process made it first
    return _row()


def _log_step(number, changed_at, keys):
    from .models import ContentChange

    ContentChange.objects.update_or_create(
        number=number,
        defaults={
            "changed_at": changed_at,
            "keys": "" if keys is EVERYTHING else " ".join(sorted(keys)),
            "retired_everything": keys is EVERYTHING,
        },
    )
    if number % 100 == 0:  # now and then, forget steps no page is checked against any more
        ContentChange.objects.filter(number__lte=number - MAX_STEPS_BEHIND).delete()


def _step_database(keys):
    from .models import ContentVersion as Row

    now = timezone.now()
    with transaction.atomic():
        updated = Row.objects.filter(pk=1).update(
            number=F("number") + 1, changed_at=now, next_change_at=None, is_schedule_known=False
        )
        if not updated:
            _create_row()
        # The row is locked by this transaction until it commits: the number is ours.
        number = Row.objects.values_list("number", flat=True).get(pk=1)
        _log_step(number, now, keys)


def _steps_from_database(number, last):
    from .models import ContentChange

    rows = ContentChange.objects.filter(number__gt=number, number__lte=last).values_list(
        "keys", "retired_everything"
    )
    return [EVERYTHING if everything else frozenset(keys.split()) for keys, everything in rows]


def _current_from_database():
    from .models import ContentVersion as Row

    number, changed_at, next_change_at, is_schedule_known = _row() or _create_row()
    now = timezone.now()
    while True:
        if not is_schedule_known:
            next_change_at = _next_scheduled_after(changed_at)
            # Only for this step: a change that committed meanwhile has its own.
            Row.objects.filter(pk=1, number=number).update(
                next_change_at=next_change_at, is_schedule_known=True
            )
        if next_change_at is None or next_change_at > now:
            return ContentVersion(number, changed_at)
        # A scheduled article has come due: the first process to see it takes the step.
        with transaction.atomic():
            won = Row.objects.filter(pk=1, number=number).update(
                number=number + 1, changed_at=next_change_at, next_change_at=None, is_schedule_known=False
            )
            if won:
                _log_step(number + 1, next_change_at, EVERYTHING)
                _purge_after_commit(EVERYTHING)
        number, changed_at, next_change_at, is_schedule_known = _row()
