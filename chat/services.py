"""Chat writes: start (a ticket is registered at once), send a message, accept, close.

A chat is a ticket: :func:`chat_start` opens it with ``tickets.services.ticket_open`` under the
portal's contract (parameter 118) with origin 315, and every message is a ``tickets.Message`` of its
thread (the one My Requests → Message shows). Accepting is the ticket's capture transition; closing
ends the conversation only (the ticket is resolved as usual). When a message arrives for a party who
is not there (chat.presence), that party is e-mailed with template 447 through the outbox, at most
once per chat every :data:`AWAY_EMAIL_EVERY`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Activity
from catalog.selectors import portal_contract
from core.exceptions import ApplicationError
from core.urls import absolute_url
from outbox.services import email_queue, email_template_for, user_language
from parameters import registry as r
from parameters.accessors import param, param_object
from tickets import access
from tickets import events as ticket_events
from tickets.emails import ticket_context
from tickets.models import Message
from tickets.poll import message_as_json
from tickets.services.messages import MAX_MESSAGE_LENGTH
from tickets.services.opening import ticket_open
from tickets.services.transitions import ticket_capture

from . import events, presence
from .models import Chat

if TYPE_CHECKING:
    from accounts.models import User


logger = logging.getLogger(__name__)

AWAY_EMAIL_EVERY = timedelta(minutes=10)


class ChatRefused(ApplicationError):
    pass


def _require_enabled() -> None:
    if not param(r.CHAT_ENABLED):
        raise ChatRefused(_("The chat is turned off."))


def _clean_text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ChatRefused(_("Write a message."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ChatRefused(_("A message has at most %(n)s characters.") % {"n": MAX_MESSAGE_LENGTH})
    return text


def direct_activity() -> Activity | None:
    """The activity of "Init direct attendance" (parameter 317), or None when it is not set."""
    return param_object(r.CHAT_ACTIVITY)


@transaction.atomic
def chat_start(*, user: User, activity: Activity | None, text: str = "", now=None) -> Chat:
    """Register the ticket of a new chat and open the chat, awaiting an attendant.

    ``activity`` is one the user chose among :func:`chat.selectors.chat_activity_list` (the caller
    checked); None means direct attendance: the activity of parameter 317."""
    _require_enabled()
    direct = activity is None
    if direct:
        activity = direct_activity()
        if activity is None:
            raise ChatRefused(_("Direct attendance is not configured. Choose a service."))
    assert activity is not None  # noqa: S101  narrows for mypy: set just above or refused
    contract = portal_contract()
    if contract is None:
        raise ChatRefused(
            _(
                "Requests cannot be opened through the portal yet: the service desk has not finished "
                "configuring it. Please contact the service desk."
            )
        )
    text = _clean_text(text, required=False)
    now = now or timezone.now()
    ticket = ticket_open(
        requester=user,
        activity=activity,
        contract=contract,
        title=(_("Chat: %(activity)s") % {"activity": activity.display_name})[:200],
        description=text or _("Attendance requested through the chat."),
        origin=param_object(r.CHAT_ORIGIN),
    )
    chat = Chat(ticket=ticket, direct=direct, started_at=now)
    chat.full_clean(exclude=["ticket"])
    chat.save()
    if text:
        first = Message.objects.create(ticket=ticket, author=user, text=text, created_at=now)
        ticket_events.message_added(first, from_requester=True)
    return chat


def _lock(chat_id: int) -> Chat:
    # Lock only the chat's row: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        Chat.objects.select_for_update(of=("self",))
        .select_related("ticket__requester", "ticket__responsible", "ticket__service")
        .get(pk=chat_id)
    )


def _role(chat: Chat, user: User) -> str | None:
    if access.is_requester(user, chat.ticket):
        return "requester"
    if access.is_attendant(user, chat.ticket):
        return "attendant"
    return None


def chat_can_write(chat: Chat, *, role: str) -> bool:
    """Whether the page of ``role`` ("requester" or "attendant") offers the message box: the chat is
    open and, on the attendant's side, accepted (it has a responsible). :func:`chat_message_send`
    refuses the same cases."""
    return chat.is_open and (role == "requester" or chat.ticket.responsible_id is not None)


@transaction.atomic
def chat_message_send(*, chat: Chat, author: User, text: str, now=None) -> Message:
    """Add a message to the chat's ticket thread; e-mail the other party when they are away."""
    _require_enabled()
    chat = _lock(chat.pk)
    role = _role(chat, author)
    if role is None:
        raise ChatRefused(_("You cannot send messages in this chat."))
    if chat.closed_at:
        raise ChatRefused(_("This chat has ended. Follow your request in My Requests."))
    if role == "attendant" and chat.ticket.responsible_id is None:
        raise ChatRefused(_("Accept the chat before answering."))
    text = _clean_text(text, required=True)
    now = now or timezone.now()
    # The text is checked above and the ticket and author are the locked chat's and the caller's.
    message = Message.objects.create(ticket=chat.ticket, author=author, text=text, created_at=now)
    ticket_events.message_added(message, from_requester=role == "requester")
    _away_email(chat, message, role=role, now=now)
    payload = message_as_json(message, viewer=author, ticket=chat.ticket)
    payload.pop("mine")
    payload.pop("html")  # drawn for one viewer; each stream draws the message for its own
    payload["author_id"] = author.pk
    events.publish_on_commit(chat.ticket_id, {"type": "message", "message": payload})
    return message


def _away_email(chat: Chat, message: Message, *, role: str, now) -> None:
    ticket = chat.ticket
    if role == "requester":
        recipient, away = ticket.responsible, not presence.staff_is_online(ticket.responsible_id)
        link = absolute_url(reverse("chat:console-chat", args=[ticket.pk]))
    else:
        recipient, away = ticket.requester, not presence.requester_is_present(ticket.pk)
        link = absolute_url(reverse("chat:detail", args=[ticket.pk]))
    if recipient is None or not away or not recipient.is_active:
        return
    if chat.away_email_at and now - chat.away_email_at < AWAY_EMAIL_EVERY:
        return
    template = email_template_for(r.CHAT_AWAY_EMAIL_TEMPLATE)
    if template is None:
        return
    language = user_language(recipient)
    context = ticket_context(
        ticket=ticket,
        language=language,
        link=link,
        MESSAGE=message.text,
        AUTHOR=message.author.display_name,
    )
    email_queue(
        template=template,
        context=context,
        recipient_user=recipient,
        language=language,
        idempotency_key=f"chat-away:{chat.pk}:{message.pk}",
    )
    chat.away_email_at = now
    chat.save(update_fields=["away_email_at"])


@transaction.atomic
def chat_accept(*, chat: Chat, actor: User, now=None) -> Chat:
    """Accept a waiting chat: the ticket's capture transition (which checks the attendant)."""
    _require_enabled()
    chat = _lock(chat.pk)
    if chat.closed_at:
        raise ChatRefused(_("This chat has ended."))
    ticket_capture(ticket=chat.ticket, actor=actor, now=now)
    events.publish_on_commit(chat.ticket_id, {"type": "state"})
    return chat


@transaction.atomic
def chat_close(*, chat: Chat, actor: User, now=None) -> Chat:
    """End the conversation (the ticket stays, to be resolved as usual): its responsible, or a staff
    member of its group when nobody has accepted it."""
    chat = _lock(chat.pk)
    if _role(chat, actor) != "attendant":
        raise ChatRefused(_("You cannot end this chat."))
    if chat.ticket.responsible_id not in (None, actor.pk) and not actor.is_superuser:
        raise ChatRefused(_("Only the attendant who accepted this chat may end it."))
    if chat.closed_at is None:
        chat.closed_at, chat.closed_by = now or timezone.now(), actor
        chat.save(update_fields=["closed_at", "closed_by"])
        events.publish_on_commit(chat.ticket_id, {"type": "state"})
    return chat
