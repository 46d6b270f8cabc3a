"""The push notifications a ticket's events cause (push/, issue 26; README, "Push notifications"):
the requester and the people in copy are told on their devices when the attendant answers them, by
a message or by an occurrence with "Notify". Queued in the caller's transaction (push.services.push_queue,
once per event and device). The text is the ticket number and what happened: never the message or
the occurrence itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from push.services import push_enabled, push_queue

from .models import Message, Occurrence, Ticket, TicketCopy

if TYPE_CHECKING:
    from accounts.models import User

TITLE = _("Request %(number)s")


def requester_side(ticket: Ticket) -> list[User]:
    """The requester and the active people in copy (with or without an e-mail address: a push needs
    none). One query for the copies."""
    requester = [ticket.requester] if ticket.requester_id and ticket.requester is not None else []
    copies = TicketCopy.objects.filter(ticket_id=ticket.pk, user__is_active=True).select_related("user")
    return [*requester, *(c.user for c in copies.order_by("id"))]


def push_queue_for_message(*, message: Message) -> int:
    """An attendant's message: its requester side is told (the author never is)."""
    if not push_enabled():
        return 0
    ticket = message.ticket
    return len(
        push_queue(
            users=requester_side(ticket),
            exclude=[message.author_id],
            event=f"message:{message.pk}",
            url=reverse("tickets:message", args=[ticket.pk]),
            title=TITLE,
            body=_("The service desk answered you."),
            params={"number": ticket.number},
        )
    )


def push_queue_for_occurrence(*, occurrence: Occurrence) -> int:
    """A public occurrence an attendant registered with "Notify": its requester side is told."""
    if not push_enabled() or not occurrence.public:
        return 0
    ticket = occurrence.ticket
    return len(
        push_queue(
            users=requester_side(ticket),
            exclude=[occurrence.author_id],
            event=f"occurrence:{occurrence.pk}",
            url=reverse("tickets:occurrences", args=[ticket.pk]),
            title=TITLE,
            body=_("The service desk registered an occurrence on your request."),
            params={"number": ticket.number},
        )
    )
