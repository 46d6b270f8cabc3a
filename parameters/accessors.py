"""The only way code reads a parameter: ``param(REGISTER_OCCURRENCE_PER_PORTAL)``.

All stored values are read in one query and kept in the cache (shared Redis in production,
so a change reaches every process on its next request); within one request a snapshot is
reused, so reading every parameter costs at most one query per request.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.core.cache import cache

from .registry import REGISTRY, Param

CACHE_KEY = "parameters:values:v1"
_snapshot: contextvars.ContextVar[dict[int, str] | None] = contextvars.ContextVar(
    "param_snapshot", default=None
)
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("param_in_request", default=False)


def _load() -> dict[int, str]:
    from .models import ParameterValue

    return dict(ParameterValue.objects.values_list("number", "value"))


def values_with(*keys: str) -> tuple[dict[int, str], dict[str, Any]]:
    """The parameter values and the cache entries ``keys`` that are set, read in one round trip to
    the cache (for a page that needs both); within a request the parameters come from its snapshot."""
    snap = _snapshot.get()
    if snap is not None:
        return snap, (cache.get_many(keys) if keys else {})
    found = cache.get_many([CACHE_KEY, *keys])
    data = found.pop(CACHE_KEY, None)
    if data is None:
        data = _load()
        cache.set(CACHE_KEY, data, timeout=None)
    if _in_request.get():
        _snapshot.set(data)
    return data, found


def values() -> dict[int, str]:
    return values_with()[0]


def param(p: Param | int) -> Any:
    if isinstance(p, int):
        p = REGISTRY[p]
    return p.parse(values().get(p.number))


def param_object(p: Param | int):
    """The record an ID parameter names, or None when empty or dangling."""
    if isinstance(p, int):
        p = REGISTRY[p]
    pk = param(p)
    if pk is None:
        return None
    return p.target_model()._default_manager.filter(pk=pk).first()


def invalidate() -> None:
    cache.delete(CACHE_KEY)
    _snapshot.set(None)
