"""Version counters in the default cache, and values cached under them (docs/architecture.md,
"The shell").

A *version* is a counter under a key (``"v:global:notifications"``, ``"v:user:42"``) that the
services writing some data bump (:func:`version_bump`). A value computed from that data is cached
with the versions it was computed under (:func:`cached_under_versions`); a read whose versions
differ recomputes it. Entries also expire after ``timeout`` seconds, which bounds what no write
announces (a notification whose period starts later, an absence that begins, a group membership
changed in the admin).

- Correct across processes when the default cache is shared (Redis). On the embedded default
  (local memory) it is correct in one process, the only supported topology without Redis.
- A bump happens at once and again when the transaction commits, so a read that recomputed from
  data not yet committed cannot keep its value.
- A version missing from the cache (never bumped, evicted, Redis restarted) is created with a fresh
  value (the clock in nanoseconds), never 0, so an old entry cannot match it again.
- Redis down (django-redis with ``IGNORE_EXCEPTIONS``): every read misses, the value is computed
  every time, no error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

GLOBAL_NOTIFICATIONS = "v:global:notifications"

# How long a cached value may live without any write (the time bound of the shell's state).
TIMEOUT = 60


def user_version_key(user_id: int) -> str:
    return f"v:user:{user_id}"


def group_version_key(group_id: int) -> str:
    """What a group's members see of it (the approvals awaiting it): bumped per group, so a write
    about one group recomputes only its members' cached state."""
    return f"v:group:{group_id}"


def _fresh() -> int:
    return time.time_ns()


def _known(keys: Iterable[str], found: dict[str, object]) -> dict[str, int | None]:
    """``found`` completed: a missing version is created (None when that failed, e.g. Redis down)."""
    versions: dict[str, int | None] = {}
    for key in keys:
        value = found.get(key)
        if value is None:
            fresh = _fresh()
            value = fresh if cache.add(key, fresh, None) else cache.get(key)
        versions[key] = value if isinstance(value, int) else None
    return versions


def version_get_many(keys: Sequence[str]) -> dict[str, int | None]:
    """The current version of each key (None: unknown, the cache is unavailable)."""
    return _known(keys, cache.get_many(list(keys)))


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # missing (never bumped or evicted): a fresh value differs from any old one
        cache.set(key, _fresh(), None)


def version_bump(*keys: str) -> None:
    """Announce a change of the data under ``keys``: now, and again when the transaction commits."""
    for key in keys:
        _incr(key)
    if transaction.get_connection().in_atomic_block:

        def again() -> None:
            for key in keys:
                _incr(key)

        transaction.on_commit(again)


def cached_under_versions(
    key: str,
    versions: Sequence[str],
    compute: Callable[[], T],
    *,
    extra: object = None,
    timeout: int = TIMEOUT,
) -> T:
    """``compute()``, cached under ``key`` with the ``versions`` (and ``extra``, e.g. a parameter
    snapshot's version) it was computed under; one cache round trip on a hit."""
    found = cache.get_many([key, *versions])
    current = _known(versions, found)
    stamp = (tuple(current[v] for v in versions), extra)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return entry[1]
    value = compute()
    if None not in stamp[0]:
        cache.set(key, (stamp, value), timeout)
    return value
