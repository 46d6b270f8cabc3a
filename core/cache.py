"""A Redis cache that degrades to "empty" while Redis is down.

Django's ``RedisCache`` raises on a dead server, so every request reading the parameter snapshot
would fail with the broker. The portal must keep saving occurrences then (the outbox rows wait for
the dispatcher, DESIGN.md), so here a Redis error is a cache miss (reads) or a no-op (writes),
logged at most once every ``_LOG_EVERY`` seconds per process.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_LOG_EVERY = 10.0
_last_log = 0.0


def _degrade(name: str, fallback):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            global _last_log
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                if time.monotonic() - _last_log > _LOG_EVERY:
                    _last_log = time.monotonic()
                    logger.warning(
                        "cache: Redis unavailable (%s: %s); working without the cache",
                        type(exc).__name__,
                        exc,
                    )
                value = fallback(*args, **kwargs)
                return value

        return inner

    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every cache call, and each one copies ~170
    response callbacks (a fifth of a millisecond, several times per request; seen with cProfile on
    the Register occurrence POST). A ``redis.Redis`` is thread-safe and takes a connection from
    its pool per command, so one per pool is kept and reused."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients_by_pool", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    get = _degrade("get", _default)(RedisCache.get)
    add = _degrade("add", lambda *a, **k: False)(RedisCache.add)
    set = _degrade("set", lambda *a, **k: None)(RedisCache.set)
    touch = _degrade("touch", lambda *a, **k: False)(RedisCache.touch)
    delete = _degrade("delete", lambda *a, **k: False)(RedisCache.delete)
    get_many = _degrade("get_many", lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrade("has_key", lambda *a, **k: False)(RedisCache.has_key)
    set_many = _degrade("set_many", lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _degrade("delete_many", lambda *a, **k: None)(RedisCache.delete_many)
    clear = _degrade("clear", lambda *a, **k: False)(RedisCache.clear)
