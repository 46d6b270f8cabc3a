"""Chat events over Redis pub/sub: the web process publishes, the events process (chat.stream,
served by uvicorn from deploy/events.sh) pushes them to the browsers holding an event stream.

Events are hints that make delivery fast; they are not the record. Every message is in the database
first, and a stream always (re)starts from the last message id its browser has, so a lost event or
a dropped connection delays a message, never loses or repeats it. Without ``CHAT_EVENTS_URL`` (the
embedded default) nothing is published: the pages poll the web process instead.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_client: Any = None


def enabled() -> bool:
    return bool(settings.CHAT_EVENTS_URL and settings.REDIS_URL)


def channel_prefix() -> str:
    """Channels are per Redis server, not per database number: the prefix names the database too."""
    from urllib.parse import urlsplit

    db = (urlsplit(settings.REDIS_URL).path or "/0").strip("/") or "0"
    return f"sp:{db}:chat:"


def channel(ticket_id: int) -> str:
    return f"{channel_prefix()}{ticket_id}"


STAFF = "staff:"


def staff_channel(user_id: int) -> str:
    """An attendant came online or went offline: every stream re-reads its state."""
    return f"{channel_prefix()}{STAFF}{user_id}"


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    return _client


def publish(ticket_id: int, payload: dict, *, to: str | None = None) -> None:
    try:
        _redis().publish(to or channel(ticket_id), json.dumps(payload, separators=(",", ":")))
    except Exception:  # Redis down: the streams catch up from the database (see the module docstring)
        logger.warning("chat event for ticket %s not published", ticket_id, exc_info=True)


def publish_staff(user_id: int) -> None:
    if enabled():
        publish(0, {"type": "presence"}, to=staff_channel(user_id))


def publish_on_commit(ticket_id: int, payload: dict) -> None:
    """Publish once the caller's transaction has committed (a stream reads what it is told about)."""
    if enabled():
        transaction.on_commit(partial(publish, ticket_id, payload), robust=True)
