"""``/health/``: 200 when the database (and Redis, when configured) answer, else 503.

Reachable without login and without a session, outside the request transaction, so a load
balancer or ``docker compose`` can poll it while the database is down.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis() -> str:
    url = settings.REDIS_URL
    if not url:
        return "not configured"
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest):
    checks: dict[str, str] = {}
    healthy = True
    for name, check in (("database", _database), ("redis", _redis)):
        try:
            checks[name] = check()
        except Exception as exc:
            healthy = False
            checks[name] = "unavailable"
            logger.warning("health: %s unavailable: %s: %s", name, type(exc).__name__, exc)
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
