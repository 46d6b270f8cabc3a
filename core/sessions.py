"""Sessions: Django's ``cached_db`` (server-side rows, read through the cache) with cached copies that
live at most :data:`CACHE_TIMEOUT` seconds (docs/architecture.md, "The shell").

A logout or a flush deletes the row and the cached copy. If the cache cannot be reached at that
moment (Redis unreachable; django-redis ignores the error), the copy stays in Redis; capping its life
bounds how long it could be served again once Redis is back: 5 minutes, not the session's age.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.core.cache import caches

CACHE_TIMEOUT = 300


class _CappedCache:
    """The session cache with every write's timeout capped at :data:`CACHE_TIMEOUT`."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)

    def __contains__(self, key: str) -> bool:
        return key in self._cache

    @staticmethod
    def _cap(timeout: Any) -> int:
        return CACHE_TIMEOUT if timeout is None else min(int(timeout), CACHE_TIMEOUT)

    def set(self, key: str, value: Any, timeout: Any = None, **kwargs: Any) -> Any:
        return self._cache.set(key, value, self._cap(timeout), **kwargs)

    async def aset(self, key: str, value: Any, timeout: Any = None, **kwargs: Any) -> Any:
        return await self._cache.aset(key, value, self._cap(timeout), **kwargs)


class SessionStore(CachedDbStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache: Any = _CappedCache(caches[settings.SESSION_CACHE_ALIAS])
