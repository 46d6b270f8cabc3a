"""The JSON answer of a conversation's poll, shared by the portal's Message page and the admin's
Messages page (each checks access first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone

from core.ids import parse_id

from .models import Message, Ticket
from .selectors import message_list
from .services.messages import messages_mark_read

if TYPE_CHECKING:
    from accounts.models import User


def parse_after(raw: Any) -> int:
    """The ``?after=<id>`` of a poll: a message id (core.ids.parse_id), 0 when missing or malformed."""
    return parse_id(raw) or 0


def message_as_json(message: Message, *, viewer: User, ticket: Ticket) -> dict[str, Any]:
    """A message for the page's script (static/js/message-list.js): ``html`` is the message drawn by
    the page's own template (includes/_message_items.html) in the active language and time zone, so
    that a message drawn live is the same HTML as after a reload; the other fields describe it."""
    created = timezone.localtime(message.created_at)
    return {
        "id": message.pk,
        "author": message.author.display_name,
        "mine": message.author_id == viewer.pk,
        "from_requester": message.author_id == ticket.requester_id,
        "text": message.text,
        "created_at": created.isoformat(),
        "created_display": formats.date_format(created, "SHORT_DATETIME_FORMAT"),
        "html": render_to_string("includes/_message_items.html", {"conversation": [message], "user": viewer}),
    }


def messages_poll_response(request: Any, ticket: Ticket) -> JsonResponse:
    """The messages after ``?after=<id>``, marked read for the viewer; never cached."""
    new = list(message_list(ticket=ticket, after=parse_after(request.GET.get("after"))))
    if new:
        messages_mark_read(ticket=ticket, reader=request.user)
    response = JsonResponse(
        {"messages": [message_as_json(m, viewer=request.user, ticket=ticket) for m in new]}
    )
    response["Cache-Control"] = "no-store"
    return response
