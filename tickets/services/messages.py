"""Messages between a ticket's requester and its attendants (parameter 299), and their e-mails.

- The requester writes from the portal when :func:`tickets.policies.can_message` allows it
  (299 = Y and the ticket captured); with parameter 300 = Y the responsible is e-mailed.
- An attendant of the ticket (its group, its responsible, a superuser) answers from the back office
  under the same conditions (299 = Y, captured); the requester is e-mailed with the template of
  parameter 417 when it is set.

E-mails go through the outbox (:func:`outbox.services.email_queue`), in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.urls import absolute_url
from outbox.services import email_queue, email_template_for, user_language
from parameters import registry as r
from parameters.accessors import param

from .. import events, policies
from ..access import is_attendant, is_sharer, ticket_lock
from ..emails import copy_recipients, ticket_context
from ..models import Message, Ticket
from ..pushes import push_queue_for_message

if TYPE_CHECKING:
    from accounts.models import User


logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4000


class MessageRefused(ApplicationError):
    pass


@transaction.atomic
def messages_mark_read(*, ticket: Ticket, reader: User) -> int:
    """Mark as read what the other side wrote (the requester reads the attendants', and vice versa);
    a sharer reading the conversation marks nothing."""
    if reader.pk != ticket.requester_id and not is_attendant(reader, ticket):
        return 0
    qs = Message.objects.filter(ticket=ticket, read_at__isnull=True)
    qs = (
        qs.exclude(author_id=ticket.requester_id)
        if reader.pk == ticket.requester_id
        else qs.filter(author_id=ticket.requester_id)
    )
    return qs.update(read_at=timezone.now())


def _link(url_name: str, ticket: Ticket) -> str:
    return absolute_url(reverse(url_name, args=[ticket.pk]))


def _queue(message: Message, *, recipients: Iterable[User | None], link: str) -> None:
    template = email_template_for(r.MESSAGE_EMAIL_TEMPLATE)
    if template is None:
        logger.info(
            "message %s: parameter 417 names no usable e-mail template; nobody is e-mailed", message.pk
        )
        return
    for user in recipients:
        if user is None or user.pk == message.author_id or not user.is_active:
            continue
        language = user_language(user)
        context = ticket_context(
            ticket=message.ticket,
            language=language,
            link=link,
            MESSAGE=message.text,
            AUTHOR=message.author.display_name,
            OCCURRENCE=message.text,
        )
        email_queue(
            template=template,
            context=context,
            recipient_user=user,
            language=language,
            idempotency_key=f"message:{message.pk}:{user.pk}",
        )


@transaction.atomic
def message_send(*, ticket: Ticket, author: User, text: str) -> Message:
    """Add a message to the ticket's conversation and queue its e-mail."""
    ticket_lock(ticket, related=("requester", "responsible"))
    # The portal's side: the requester, or a sharer who does not attend the ticket.
    from_requester = author.pk == ticket.requester_id or (
        is_sharer(author, ticket) and not is_attendant(author, ticket)
    )
    allowed = (
        policies.can_message(author, ticket)
        if from_requester
        else policies.can_answer_messages(author, ticket)
    )
    if not allowed:
        if not param(r.MESSAGES):
            raise MessageRefused(_("Messages are not enabled."))
        if ticket.responsible_id is None:
            raise MessageRefused(_("Messages are possible once an attendant has captured the ticket."))
        raise MessageRefused(_("You cannot send messages on this ticket."))
    text = (text or "").strip()
    if not text:
        raise MessageRefused(_("Write a message."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessageRefused(_("A message has at most %(n)s characters.") % {"n": MAX_MESSAGE_LENGTH})
    message = Message(ticket=ticket, author=author, text=text, created_at=timezone.now())
    message.full_clean()
    message.save()
    events.message_added(message, from_requester=from_requester)
    if from_requester:
        if param(r.NOTIFY_MESSAGES):
            _queue(
                message, recipients=[ticket.responsible], link=_link("admin:tickets_ticket_messages", ticket)
            )
    else:
        # The requester and the people in copy (tickets/emails.py).
        recipients = [ticket.requester, *copy_recipients(ticket)]
        _queue(message, recipients=recipients, link=_link("tickets:message", ticket))
        push_queue_for_message(message=message)  # and their push devices (push/, whatever parameter 417)
    return message
