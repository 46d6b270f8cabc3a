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

from django.core.cache.backends.redis import RedisCache
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
                    logger.warning("cache: Redis unavailable (%s: %s); working without the cache",
                                   type(exc).__name__, exc)
                value = fallback(*args, **kwargs)
                return value
        return inner
    return wrap


def _default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
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
