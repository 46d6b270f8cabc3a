"""Who is there, in the shared cache (Redis in production, so the web and events processes agree).

- An attendant is *online* while their Chat console is open: the console refreshes the mark on each
  refresh of its lists (every few seconds) and removes it when the page is left; a console that died
  without saying so is forgotten after :data:`STAFF_TTL` seconds.
- A requester is *present* in a chat while its page is open (its poll or event stream refreshes the
  mark), for :data:`REQUESTER_TTL` seconds after the last refresh.

A message for a party who is not there is also sent by e-mail (chat.services).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.cache import cache

from . import events

STAFF_TTL = 45
REQUESTER_TTL = 30
GROUP_STAFF_TTL = 60


def _staff_key(user_id: int) -> str:
    return f"chat:online:{user_id}"


def _requester_key(ticket_id: int) -> str:
    return f"chat:present:{ticket_id}"


def staff_mark_online(user_id: int) -> None:
    """Refresh the mark; on the change from offline, tell the open chats' streams (chat.events)."""
    key = _staff_key(user_id)
    if cache.add(key, 1, STAFF_TTL):
        events.publish_staff(user_id)
    else:
        cache.touch(key, STAFF_TTL)


def staff_mark_offline(user_id: int) -> None:
    cache.delete(_staff_key(user_id))
    events.publish_staff(user_id)


def staff_online(user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` whose console is open."""
    keys = {_staff_key(uid): uid for uid in user_ids if uid}
    if not keys:
        return set()
    return {keys[k] for k in cache.get_many(list(keys))}


def staff_is_online(user_id: int | None) -> bool:
    return bool(user_id) and cache.get(_staff_key(user_id)) is not None  # type: ignore[arg-type]


def requester_mark_present(ticket_id: int) -> None:
    cache.set(_requester_key(ticket_id), 1, REQUESTER_TTL)


def requester_mark_gone(ticket_id: int) -> None:
    cache.delete(_requester_key(ticket_id))


def requester_is_present(ticket_id: int) -> bool:
    return cache.get(_requester_key(ticket_id)) is not None


def group_staff_ids(group_id: int | None) -> list[int]:
    """Active staff members of a group (one query, then cached for a minute)."""
    if not group_id:
        return []
    key = f"chat:group-staff:{group_id}"
    ids = cache.get(key)
    if ids is None:
        ids = list(
            get_user_model()
            .objects.filter(groups=group_id, is_staff=True, is_active=True)
            .values_list("pk", flat=True)
        )
        cache.set(key, ids, GROUP_STAFF_TTL)
    return ids


def group_has_attendant_online(group_id: int | None) -> bool:
    return bool(staff_online(group_staff_ids(group_id)))
