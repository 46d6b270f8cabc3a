"""What a received e-mail causes, exactly once (README, "Receiving e-mail").

:func:`inbound_process` takes the raw bytes of one message and, in one transaction, records it in
the inbound log (:class:`inbound.models.InboundEmail`, unique by Message-ID) and writes what it
causes through the tickets' own services:

- a reply to a ticket e-mail (an address ``support+<token>@domain`` among its recipients, the token
  signed for the sender: :mod:`outbox.replies`) becomes a message on the ticket's thread
  (``tickets.services.messages.message_send``: parameters 299, 300, 417) and an occurrence; when a
  message is not possible (299 = N, not captured yet) the occurrence alone, with the responsible
  e-mailed (``tickets.emails.email_queue_for_occurrence``). A Closed ticket within parameter 171 is
  reopened first (``ticket_reopen``, as the portal's Reopen); after it, or a Cancelled one, a new
  request referencing it is opened;
- a new e-mail from a known active user opens a request with the activity of parameter 201 (its
  impact 202, urgency 203, origin 204);
- anything else (unknown sender, forged reply, automatic message, our own e-mail, over the
  throttle) is recorded as rejected with its reason and creates nothing; an unknown sender of a new
  e-mail may get one automatic reply pointing to the portal (parameter 205, :mod:`inbound.autoreply`),
  queued in the same transaction.

The second reading of a message (a worker killed after the commit, two readers at once, the same
message delivered twice) finds its row — the insert waits for the first transaction and fails on the
unique Message-ID — and causes nothing. The reader (:mod:`inbound.reader`) moves the message to its
folder only after the commit.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.selectors import activity_list_visible, portal_contract
from core.exceptions import ApplicationError
from outbox.models import OutboundEmail
from outbox.replies import inbound_address, message_id_domain, reply_token_check
from parameters import registry as r
from parameters.accessors import param, param_object
from tickets import events as ticket_events
from tickets import policies
from tickets.access import is_attendant, is_requester, ticket_lock
from tickets.emails import email_queue_for_occurrence
from tickets.models import Category, Occurrence, Situation, SystemCategory, Ticket
from tickets.services.attachments import attachment_add
from tickets.services.messages import MAX_MESSAGE_LENGTH, message_send
from tickets.services.opening import ticket_open
from tickets.services.transitions import ticket_reopen

from .autoreply import auto_reply_queue
from .models import InboundEmail
from .parsing import ParsedEmail, parse, unreadable

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

Outcome, Action = InboundEmail.Outcome, InboundEmail.Action


class Refused(ApplicationError):
    """The message creates nothing; ``message`` is the reason recorded in the inbound log."""


class UnknownSender(Refused):
    """A new e-mail from an address that is no active user: parameter 205 may answer it once
    (:mod:`inbound.autoreply`)."""


def inbound_process(
    *, raw: bytes, folder: str = "", uidvalidity: int | None = None, uid: int | None = None, now=None
) -> tuple[InboundEmail, bool]:
    """Record and act on one message; returns (its row, whether this call created it)."""
    now = now or timezone.now()
    try:
        parsed = parse(raw)
    except Exception as exc:  # the parser is lenient; whatever still breaks it is recorded, not retried
        logger.warning("inbound: unreadable message (%s: %s)", type(exc).__name__, exc)
        parsed = unreadable(raw, f"{type(exc).__name__}: {exc}")
    row = InboundEmail(
        message_id=parsed.message_id[:255],
        folder=folder[:200],
        uidvalidity=uidvalidity,
        uid=uid,
        sender=parsed.sender[:254],
        subject=parsed.subject[:255],
        received_at=now,
        outcome=Outcome.REJECTED,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # Read before (a killed worker, a parallel reader, a second delivery): nothing more.
            return InboundEmail.objects.get(message_id=row.message_id), False
        try:
            with transaction.atomic():
                _act(parsed, row, now=now)
            row.outcome = Outcome.PROCESSED
        except (ApplicationError, ValidationError, Http404) as exc:
            # The savepoint undid what the message began; the row records why.
            reason = getattr(exc, "message", "") or "; ".join(getattr(exc, "messages", [])) or str(exc)
            row.outcome, row.reason = Outcome.REJECTED, str(reason)[:500]
            row.action, row.ticket = Action.NONE, None
            if isinstance(exc, UnknownSender) and param(r.AUTO_REPLY_UNKNOWN):
                row.auto_reply, said = auto_reply_queue(parsed=parsed, row=row, now=now)
                row.reason = " ".join(filter(None, [row.reason, said]))[:500]
        except DatabaseError:
            raise  # the database failed, not the message: nothing is recorded, the next pass retries
        except Exception as exc:
            # A message that breaks the code must not block the mailbox pass after pass: it goes to
            # Rejected with the error, and the traceback is logged.
            logger.exception("inbound: message %s could not be processed", row.message_id)
            row.outcome = Outcome.REJECTED
            row.reason = (
                _("The message could not be processed (%(error)s).") % {"error": type(exc).__name__}
            )[:500]
            row.action, row.ticket = Action.NONE, None
        row.save()
    logger.info("inbound %s from %s: %s %s", row.message_id, row.sender, row.outcome, row.reason)
    return row, True


def _act(parsed: ParsedEmail, row: InboundEmail, *, now) -> None:
    if parsed.error:
        raise Refused(_("The message could not be read (%(error)s).") % {"error": parsed.error})
    if parsed.automatic:
        raise Refused(_("Automatic message ignored (%(why)s).") % {"why": parsed.automatic})
    if parsed.own or _is_ours(parsed):
        raise Refused(_("One of the portal's own e-mails came back: ignored (no loop)."))
    if not parsed.sender:
        raise Refused(_("The message has no sender address."))
    recent = InboundEmail.objects.filter(
        sender=row.sender, received_at__gte=now - timedelta(minutes=1)
    ).exclude(pk=row.pk)
    if recent.count() >= settings.INBOUND_THROTTLE_PER_MINUTE:
        raise Refused(
            _("More than %(n)s messages a minute from this sender: throttled.")
            % {"n": settings.INBOUND_THROTTLE_PER_MINUTE}
        )
    token = _reply_token(parsed)
    if token is not None:
        _reply(parsed, row, token=token, now=now)
    else:
        user = _known_user(parsed.sender, unknown=UnknownSender)
        row.user = user
        ticket = _open_request(parsed, user=user, description=parsed.text, now=now)
        row.ticket, row.action = ticket, Action.OPENED


def _is_ours(parsed: ParsedEmail) -> bool:
    parts = inbound_address()
    ours = {f"{parts[0]}@{parts[1]}"} if parts else set()
    ours.add(settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].strip(" >").lower())
    if parsed.sender in ours:
        return True
    # Only a Message-ID of our domain can be one of the outbox's (one indexed lookup then).
    return parsed.message_id.lower().endswith(f"@{message_id_domain()}>") and (
        OutboundEmail.objects.filter(message_id=parsed.message_id).exists()
    )


def _reply_token(parsed: ParsedEmail) -> str | None:
    """The plus-part of the first recipient that is a reply address of ours, or None."""
    parts = inbound_address()
    if parts is None:
        return None
    local, domain = parts
    for address in parsed.recipients:
        name, _at, dom = address.rpartition("@")
        if dom == domain and name.startswith(f"{local}+"):
            return name[len(local) + 1 :]
    return None


def _known_user(address: str, *, unknown: type[Refused] = Refused) -> User:
    users = list(get_user_model().objects.filter(email__iexact=address, is_active=True)[:2])
    if not users:
        raise unknown(_("The sender is not an active user of the portal: nothing was created."))
    if len(users) > 1:
        raise Refused(_("Several users have the sender's address: nothing was created."))
    return users[0]


def _reply(parsed: ParsedEmail, row: InboundEmail, *, token: str, now) -> None:
    ticket_id = reply_token_check(token, parsed.sender)
    if ticket_id is None:
        raise Refused(
            _("The reply address was not issued to the sender (forged or forwarded): nothing was written.")
        )
    ticket = (
        Ticket.objects.select_related("requester", "responsible", "activity").filter(pk=ticket_id).first()
    )
    if ticket is None:
        raise Refused(_("The ticket of this reply no longer exists."))
    author = _known_user(parsed.sender)
    row.user = author
    ticket_lock(ticket, related=("requester", "responsible"))
    if not (is_requester(author, ticket) or is_attendant(author, ticket)):
        raise Refused(_("The sender is neither the requester nor an attendant of the ticket."))
    if ticket.situation == Situation.CLOSED and policies.reopenable(ticket, now):
        if not is_requester(author, ticket):
            raise Refused(_("The ticket is closed; only its requester may reopen it by e-mail."))
        ticket_reopen(ticket=ticket, actor=author, reason=_("Reply by e-mail."))
        row.action = Action.REOPENED
    elif ticket.is_final:
        if not is_requester(author, ticket):
            raise Refused(_("The ticket is finished; only its requester may follow it up by e-mail."))
        description = (
            _("Follow-up of request %(number)s, which is %(situation)s:")
            % {"number": ticket.number, "situation": ticket.get_situation_display()}
            + "\n\n"
            + parsed.text
        )
        row.ticket = _open_request(parsed, user=author, description=description, now=now)
        row.action = Action.FOLLOW_UP
        return
    else:
        row.action = Action.REPLY
    row.ticket = ticket
    _add_reply(parsed, ticket=ticket, author=author)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _add_reply(parsed: ParsedEmail, *, ticket: Ticket, author: User) -> None:
    notes = _attach(parsed, ticket=ticket, actor=author)
    text = "\n\n".join(filter(None, [parsed.text, *notes])) or _("(The e-mail had no text.)")
    allowed = (
        policies.can_message(author, ticket)
        if is_requester(author, ticket)
        else policies.can_answer_messages(author, ticket)
    )
    if allowed:
        message_send(ticket=ticket, author=author, text=_shorten(text, MAX_MESSAGE_LENGTH))
    occurrence = Occurrence(
        ticket=ticket,
        category=Category.system(SystemCategory.EXECUTION_RECORD),
        origin=param_object(r.EMAIL_ORIGIN),
        text=_("Reply by e-mail from %(user)s:") % {"user": author.display_name} + "\n\n" + text,
        author=author,
        notify=not allowed,
        public=True,
        is_system=False,
    )
    occurrence.full_clean()
    occurrence.save()
    ticket_events.occurrence_registered(occurrence)
    if not allowed and is_requester(author, ticket):
        # No message possible: the occurrence notifies the responsible, as Notify Responsible does.
        email_queue_for_occurrence(occurrence=occurrence, notify_responsible=True)


def _attach(parsed: ParsedEmail, *, ticket: Ticket, actor: User) -> list[str]:
    """Add the attachments that pass the portal's upload checks (parameters 278, 318, content
    sniffing: ``core.uploads`` through ``attachment_add``); a note per refused one."""
    notes = []
    for item in parsed.attachments:
        upload = InMemoryUploadedFile(
            BytesIO(item.content), "file", item.name, "application/octet-stream", len(item.content), None
        )
        try:
            with transaction.atomic():
                attachment_add(ticket=ticket, file=upload, actor=actor)
        except (ValidationError, ApplicationError) as exc:
            reason = getattr(exc, "message", "") or "; ".join(getattr(exc, "messages", []))
            notes.append(
                _("Attachment %(name)s was refused: %(reason)s") % {"name": item.name, "reason": reason}
            )
    return notes


def _open_request(parsed: ParsedEmail, *, user: User, description: str, now) -> Ticket:
    activity_id = param(r.EMAIL_ACTIVITY)
    if activity_id is None:
        raise Refused(_("No activity is set for requests opened by e-mail (parameter 201)."))
    activity = activity_list_visible(user=user).filter(pk=activity_id).first()
    if activity is None:
        raise Refused(_("The activity for requests opened by e-mail is not available to the sender."))
    contract = portal_contract()
    if contract is None:
        raise Refused(_("The portal's contract (parameter 118) is not usable: no request was opened."))
    impact, urgency = param(r.EMAIL_IMPACT), param(r.EMAIL_URGENCY)
    ticket = ticket_open(
        requester=user,
        activity=activity,
        contract=contract,
        title=_shorten(parsed.subject or _("Request by e-mail"), 200),
        description=description or parsed.subject or _("(The e-mail had no text.)"),
        origin=param_object(r.EMAIL_ORIGIN),
        impact=impact if 1 <= impact <= 5 else None,
        urgency=urgency if 1 <= urgency <= 5 else None,
        now=now,
    )
    notes = _attach(parsed, ticket=ticket, actor=user)
    if notes:
        ticket.description = "\n\n".join([ticket.description, *notes])
        ticket.save(update_fields=["description"])
    return ticket
