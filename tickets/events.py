"""The ticket events sent to webhook subscribers (webhooks/services.py): what a delivery's ``data``
holds, built here once for every service that causes an event (opening and transitions here,
occurrences, messages, approval decisions in their apps).

``data`` is built only when some subscription asks for the event, so an event nobody subscribed
to costs no query. It holds the ticket's public data (what its requester sees in My Requests) and
ids to read the rest through the API, never internal texts or people's contact data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from webhooks.models import Event
from webhooks.services import webhook_event_queue

if TYPE_CHECKING:
    from .models import Message, Occurrence, Ticket


def _named(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def ticket_public_data(ticket: Ticket) -> dict:
    return {
        "number": ticket.pk,
        "type": ticket.type,
        "title": ticket.title,
        "situation": ticket.situation,
        "current_task": ticket.current_task,
        "service": _named(ticket.service),
        "activity": _named(ticket.activity),
        "priority": ticket.priority,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "time_limit": ticket.time_limit,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "canceled_at": ticket.canceled_at,
    }


def _queue(event: Event, ticket: Ticket, *, key: str, extra: Callable[[], dict] | None = None) -> None:
    def data() -> dict:
        return {"ticket": ticket_public_data(ticket), **(extra() if extra else {})}

    webhook_event_queue(event=event, key=key, data=data)


def ticket_opened(ticket: Ticket) -> None:
    _queue(Event.TICKET_OPENED, ticket, key=f"ticket:{ticket.pk}")


def ticket_transition(ticket: Ticket, audit: Occurrence) -> None:
    """A transition (its audit occurrence names it): situation and task as they are now."""
    _queue(
        Event.SITUATION_CHANGED,
        ticket,
        key=f"occurrence:{audit.pk}",
        extra=lambda: {"transition": audit.category.code or "", "occurrence_id": audit.pk},
    )


def occurrence_registered(occurrence: Occurrence) -> None:
    ticket = occurrence.ticket
    _queue(
        Event.OCCURRENCE_REGISTERED,
        ticket,
        key=f"occurrence:{occurrence.pk}",
        extra=lambda: {
            "occurrence": {
                "id": occurrence.pk,
                "category": _named(occurrence.category),
                "created_at": occurrence.created_at,
            }
        },
    )


def message_added(message: Message, *, from_requester: bool) -> None:
    _queue(
        Event.MESSAGE,
        message.ticket,
        key=f"message:{message.pk}",
        extra=lambda: {
            "message": {"id": message.pk, "created_at": message.created_at, "from_requester": from_requester}
        },
    )


def approval_decided(ticket: Ticket, *, decision_id: int, result: str, decided_at) -> None:
    _queue(
        Event.APPROVAL_DECIDED,
        ticket,
        key=f"decision:{decision_id}",
        extra=lambda: {"approval": {"decision_id": decision_id, "result": result, "decided_at": decided_at}},
    )
