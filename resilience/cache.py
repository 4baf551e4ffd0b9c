"""A Redis cache that the site survives losing.

Django's RedisCache raises when Redis is down, which turns every page into a 500. This
backend logs the error and answers as an empty cache would (a miss; writes dropped), so
pages are served from the database. After a failure it leaves Redis alone for
RETRY_AFTER seconds (default 5) rather than waiting on a dead socket for every call.

While Redis is down, writes (including the deletes that invalidate cached pages) are
lost. Redis may come back with what it held before, now stale, so the first process
that reaches it again after losing a write clears it.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("holr.cache")


def tolerant(fallback, *, is_write):
    """Run a cache operation; on a Redis error log it and return fallback(*args, **kwargs)."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                self._lost_writes |= is_write
                return fallback(*args, **kwargs)
            try:
                if self._lost_writes:
                    self._recover()
                result = method(self, *args, **kwargs)
            except RedisError as error:
                self._failed(method.__name__, error, is_write)
                return fallback(*args, **kwargs)
            if self._down_since is not None:
                logger.warning("Redis cache is back after %.0f s.", time.monotonic() - self._down_since)
                self._down_since = None
            return result

        return wrapper

    return decorator


def miss_for_incr(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every cache call, which costs about as
    much as serving a cached page; one per connection pool serves every call (a Redis
    client is thread-safe: each command takes a connection from the pool)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.retry_after = float(params.get("RETRY_AFTER", 5))
        self._down_until = 0.0
        self._down_since = None
        self._lost_writes = False

    def _failed(self, operation, error, is_write):
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
            logger.error("Redis cache unavailable (%s failed: %s); serving without it.", operation, error)
        else:
            logger.warning("Redis cache still unavailable (%s failed: %s).", operation, error)
        self._down_until = now + self.retry_after
        self._lost_writes |= is_write

    def _recover(self):
        """Redis answers again after writes were lost: drop what it may hold that is stale."""
        super().clear()
        self._lost_writes = False
        logger.warning("Redis cache cleared on reconnection: invalidations were lost while it was down.")

    # INCR a counter and SET the record of the new number in one step, so that nobody can
    # read the number before its record (pagecache/versions.py's steps). Nil when the
    # counter does not exist yet.
    INCR_AND_SET = """
    if redis.call('EXISTS', KEYS[1]) == 0 then return false end
    local number = redis.call('INCR', KEYS[1])
    redis.call('SET', ARGV[1] .. string.format('%d', number), ARGV[2], 'PX', ARGV[3])
    return number
    """

    def _incr_and_set(self, counter, record_prefix, record, timeout):
        made_counter = self.make_and_validate_key(counter)
        made_prefix = self.make_and_validate_key(record_prefix)
        if self.make_and_validate_key(f"{record_prefix}0") != f"{made_prefix}0":
            raise ValueError("a KEY_FUNCTION that does not append keys cannot name the record")
        client = self._cache.get_client(made_counter, write=True)
        script = self.__dict__.get("_incr_and_set_script")
        if script is None:
            script = self.__dict__["_incr_and_set_script"] = client.register_script(self.INCR_AND_SET)
        milliseconds = int(self.get_backend_timeout(timeout) * 1000)
        number = script(
            keys=[made_counter],
            args=[made_prefix, self._cache._serializer.dumps(record), milliseconds],
            client=client,
        )
        if number is None:
            raise ValueError(f"Key '{counter}' not found.")
        return int(number)

    def incr_and_set(self, counter, record_prefix, record, timeout):
        """The counter's next number, its record stored under `record_prefix` + the number."""
        return self._tolerant_incr_and_set(counter, record_prefix, record, timeout)

    _tolerant_incr_and_set = tolerant(lambda counter, *a: miss_for_incr(counter), is_write=True)(
        _incr_and_set
    )

    add = tolerant(lambda *a, **k: False, is_write=True)(RedisCache.add)
    get = tolerant(lambda key, default=None, version=None: default, is_write=False)(RedisCache.get)
    set = tolerant(lambda *a, **k: None, is_write=True)(RedisCache.set)
    touch = tolerant(lambda *a, **k: False, is_write=True)(RedisCache.touch)
    delete = tolerant(lambda *a, **k: False, is_write=True)(RedisCache.delete)
    get_many = tolerant(lambda *a, **k: {}, is_write=False)(RedisCache.get_many)
    has_key = tolerant(lambda *a, **k: False, is_write=False)(RedisCache.has_key)
    incr = tolerant(miss_for_incr, is_write=True)(RedisCache.incr)
    set_many = tolerant(lambda data, *a, **k: list(data), is_write=True)(RedisCache.set_many)
    delete_many = tolerant(lambda *a, **k: None, is_write=True)(RedisCache.delete_many)
    clear = tolerant(lambda *a, **k: None, is_write=True)(RedisCache.clear)
