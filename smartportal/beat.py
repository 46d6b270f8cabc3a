"""Celery beat that sends its schedule from one process only, however many are started.

``deploy/beat.sh`` runs beat with :class:`LeaderScheduler`: before sending anything, a beat takes
a lease in Redis (``SET smartportal:beat:leader <id> NX EX <ttl>``) and renews it every
:data:`RENEW_EVERY` seconds while it runs. A second beat (a second host, ``docker compose
--scale beat=2``, a beat left behind by a deploy) finds the lease taken and stands by, sending
nothing; when the leader stops it gives the lease back (or its lease expires after
:data:`LEASE_SECONDS` if it was killed) and a standby takes over at its next check.

Without a Redis broker (the embedded default runs tasks in-process, no beat) a beat simply leads.
Redis unreachable: no beat leads (nothing could be sent anyway); the first beat to reach it again does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
import uuid

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

KEY = "smartportal:beat:leader"
LEASE_SECONDS = int(os.environ.get("BEAT_LEASE_SECONDS", "30"))
RENEW_EVERY = max(1.0, LEASE_SECONDS / 6)

# Renew the lease only if it is still ours (another beat may hold it after ours expired).
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end return 0"
)
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LeaderScheduler(PersistentScheduler):
    """PersistentScheduler that sends due tasks only while it holds the beat lease."""

    def __init__(self, *args, **kwargs):
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._leading: bool | None = None  # unknown until the first check, which is logged
        self._checked = 0.0
        self._redis = None
        super().__init__(*args, **kwargs)
        url = self.app.conf.broker_url or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=3)

    def _lead(self) -> bool:
        if self._redis is None:
            return True
        now = time.monotonic()
        if now - self._checked < RENEW_EVERY:
            return bool(self._leading)
        self._checked = now
        try:
            leading = bool(self._redis.set(KEY, self.identity, nx=True, ex=LEASE_SECONDS)) or bool(
                self._redis.eval(_RENEW, 1, KEY, self.identity, LEASE_SECONDS)
            )
        except Exception as exc:  # Redis down: nothing can be sent; try again later.
            logger.warning("beat: cannot reach Redis for the beat lease (%s); not sending", exc)
            leading = False
        if leading != self._leading:
            logger.warning(
                "beat %s: %s", self.identity, "leading" if leading else "standing by (another beat leads)"
            )
        self._leading = leading
        return leading

    def tick(self, *args, **kwargs):
        if not self._lead():
            return RENEW_EVERY
        return min(super().tick(*args, **kwargs), RENEW_EVERY)

    def close(self):
        if self._redis is not None and self._leading:
            with contextlib.suppress(Exception):  # else the lease expires by itself
                self._redis.eval(_RELEASE, 1, KEY, self.identity)
        super().close()
