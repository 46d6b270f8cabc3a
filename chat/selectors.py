"""Chat reads. Every chat is reached through :func:`chat_get_for_requester` or
:func:`chat_get_for_attendant` (``Http404`` for anyone else), which apply the tickets' one gate
(tickets.access): a chat is its ticket, so whoever may not see the ticket may not see the chat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from catalog.models import Activity
from catalog.selectors import activity_visible_q
from tickets import access
from tickets.models import Situation, Ticket

from . import presence
from .models import Chat

if TYPE_CHECKING:
    from accounts.models import User


WORKING = (Situation.IN_PROGRESS, Situation.REOPENED)
CHAT_RELATED = ("ticket__requester", "ticket__responsible", "ticket__service", "ticket__activity")


# --- the catalog offered on the Chat page ----------------------------------------------------------


def chat_activity_list(*, user: User) -> QuerySet[Activity]:
    """Activities the user may request through the chat: visible in the portal and available via
    chat, as are their service and portfolio; none that waits for an approval (a chat needs an
    attendant now)."""
    return (
        Activity.objects.filter(
            activity_visible_q(user),
            available_via_chat=True,
            service__available_via_chat=True,
            service__portfolio__available_via_chat=True,
            approver_group__isnull=True,
        )
        .select_related("service__portfolio")
        .order_by(
            "service__portfolio__order",
            "service__portfolio__name",
            "service__order",
            "service__name",
            "order",
            "name",
            "pk",
        )
    )


# --- access ----------------------------------------------------------------------------------------


def _chat_qs() -> QuerySet[Chat]:
    return Chat.objects.select_related(*CHAT_RELATED)


def _chat_get(ticket_id) -> Chat:
    try:
        return _chat_qs().get(ticket_id=int(ticket_id))
    except (Chat.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def chat_get_for_requester(*, user: User, ticket_id) -> Chat:
    """The chat of one of the user's own tickets (:func:`tickets.access.is_requester`), else ``Http404``."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    chat = _chat_get(ticket_id)
    if not access.is_requester(user, chat.ticket):
        raise Http404
    return chat


def chat_get_for_attendant(*, user: User, ticket_id) -> Chat:
    """The chat of a ticket the user attends (:func:`tickets.access.is_attendant`), else ``Http404``."""
    chat = _chat_get(ticket_id)
    if not access.is_attendant(user, chat.ticket):
        raise Http404
    return chat


def chat_get_for_user(*, user: User, ticket_id) -> tuple[Chat, str]:
    """The chat and the user's side of it (``"requester"`` or ``"attendant"``), else ``Http404``:
    one query."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    chat = _chat_get(ticket_id)
    if access.is_requester(user, chat.ticket):
        return chat, "requester"
    if access.is_attendant(user, chat.ticket):
        return chat, "attendant"
    raise Http404


def chat_list_open_for_requester(*, user: User, limit: int = 20) -> list[Chat]:
    return list(
        _chat_qs()
        .filter(ticket__requester=user, closed_at__isnull=True)
        .order_by("-started_at", "-id")[:limit]
    )


# --- state ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChatState:
    code: str  # "awaiting" | "online" | "ended"
    label: str | Promise
    icon: str
    attendant_online: bool  # someone of the ticket's group has a console open

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "label": str(self.label),
            "icon": self.icon,
            "attendant_online": self.attendant_online,
        }


STATES = {
    "awaiting": (_("Awaiting attendant"), "bi-hourglass-split"),
    "online": (_("Online"), "bi-headset"),
    "ended": (_("Chat ended"), "bi-check-circle"),
}


def chat_state(chat: Chat) -> ChatState:
    """Awaiting attendant until an attendant has accepted it and has the console open; Online while
    they do; Chat ended once closed (the ticket goes on)."""
    ticket = chat.ticket
    if chat.closed_at:
        code, online = "ended", False
    else:
        responsible_online = presence.staff_is_online(ticket.responsible_id)
        code = "online" if responsible_online else "awaiting"
        online = responsible_online or presence.group_has_attendant_online(ticket.current_group_id)
    label, icon = STATES[code]
    return ChatState(code=code, label=label, icon=icon, attendant_online=online)


# --- the attendant's console -----------------------------------------------------------------------

CONSOLE_LIMIT = 50


def _unread() -> Count:
    return Count(
        "ticket__messages",
        filter=Q(ticket__messages__read_at__isnull=True)
        & Q(ticket__messages__author_id=F("ticket__requester_id")),
    )


def _console_base() -> QuerySet[Chat]:
    return (
        Chat.objects.filter(closed_at__isnull=True)
        .select_related("ticket__requester", "ticket__service", "ticket__activity")
        .annotate(unread=_unread())
    )


def console_queue(*, user: User, number: int | None = None) -> list[Chat]:
    """Open chats of tickets the user attends (tickets.access) that no attendant has accepted yet,
    oldest first."""
    waiting = Ticket.objects.filter(responsible__isnull=True, situation__in=WORKING)
    qs = _console_base().filter(ticket__in=access.tickets_attended_by(user, waiting).values("pk"))
    if number is not None:
        qs = qs.filter(ticket_id=number)
    return list(qs.order_by("started_at", "id")[:CONSOLE_LIMIT])


def console_in_progress(*, user: User, number: int | None = None) -> list[Chat]:
    """Open chats the user has accepted, most recent first."""
    qs = _console_base().filter(ticket__responsible=user)
    if number is not None:
        qs = qs.filter(ticket_id=number)
    return list(qs.order_by("-started_at", "-id")[:CONSOLE_LIMIT])
