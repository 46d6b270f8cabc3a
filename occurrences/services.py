"""The Occurrence Register (requirement 000): a requester registers an occurrence on their own In
Progress ticket (a row action of My Requests), and the worker writes its e-mails to the outbox.

The occurrence itself is a ticket's history entry (:class:`tickets.models.Occurrence`, which every
transition also writes); this app is the portal's Register above tickets."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from outbox.models import OutboundEmail
from outbox.services import enqueue_on_commit
from parameters import registry as r
from parameters.accessors import param
from tickets import events
from tickets.access import ticket_get_for_requester
from tickets.emails import email_queue_for_occurrence
from tickets.models import Category, Occurrence, Origin, Situation, Ticket
from tickets.policies import can_register_occurrence

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


class OccurrenceRefused(ApplicationError):
    pass


def occurrence_register_check(*, ticket: Ticket, actor: User) -> None:
    """Raise :class:`OccurrenceRefused`, with the reason, when ``actor`` may not register an
    occurrence on ``ticket`` through the portal (parameter 252, ticket In Progress, own ticket)."""
    if can_register_occurrence(actor, ticket):
        return
    if not param(r.REGISTER_OCCURRENCE_PER_PORTAL):
        raise OccurrenceRefused(_("Registering occurrences through the portal is not enabled."))
    if ticket.situation != Situation.IN_PROGRESS:
        raise OccurrenceRefused(
            _(
                "Occurrences can only be registered on tickets In Progress; "
                "ticket %(number)s is %(situation)s."
            )
            % {"number": ticket.number, "situation": ticket.get_situation_display()}
        )
    raise OccurrenceRefused(_("You cannot register an occurrence on this ticket."))


@transaction.atomic
def occurrence_register(
    *,
    ticket_id: int,
    actor: User,
    category: Category,
    origin: Origin,
    text: str,
    notify_responsible: bool,
) -> Occurrence:
    """Register an occurrence on the actor's own In Progress ticket (the portal's Save).

    One transaction: the ticket is read and its row locked (``Http404`` when it is not the actor's),
    the preconditions are checked under the lock (:func:`occurrence_register_check`: parameter 252,
    In Progress, the requester; the situation cannot change before the insert), then the occurrence
    is inserted. A refusal raises :class:`OccurrenceRefused` and nothing is saved.

    With ``notify_responsible`` the occurrence is saved with ``emails_pending`` and, once the
    transaction commits, the worker writes its e-mails to the outbox (:func:`occurrence_emails_queue`:
    responsible with template 253, requester with template 251). The occurrence row is the outbox
    entry: if the broker cannot take the task, the dispatcher finds the row and does it later.
    """
    ticket = ticket_get_for_requester(actor, ticket_id, for_update=True)
    occurrence_register_check(ticket=ticket, actor=actor)
    if not category.active or not origin.active:
        raise OccurrenceRefused(_("The category or origin is no longer available."))
    occurrence = Occurrence(
        ticket=ticket,
        category=category,
        origin=origin,
        text=text,
        author=actor,
        notify=notify_responsible,
        emails_pending=notify_responsible,
        public=True,
        is_system=False,
    )
    # The related rows were just read (the locked ticket, the form's choices, the actor).
    occurrence.full_clean(exclude=["ticket", "category", "origin", "author"])
    occurrence.save()
    events.occurrence_registered(occurrence)
    if notify_responsible:
        from .tasks import occurrence_emails_queue_task

        enqueue_on_commit(
            occurrence_emails_queue_task, occurrence.pk, what=f"occurrence {occurrence.pk}'s e-mails"
        )
    return occurrence


def occurrence_emails_queue(*, occurrence_id: int) -> list[OutboundEmail] | None:
    """Write the e-mails of an occurrence registered with Notify Responsible to the outbox, once.

    In one transaction: the occurrence is claimed (``emails_pending``, row locked, skipped if another
    worker holds it), one ``OutboundEmail`` per recipient is inserted
    (:func:`tickets.emails.email_queue_for_occurrence`, idempotent per recipient) and the flag
    is cleared; the sends are enqueued when it commits. Returns None when there was nothing to do
    (already done, in progress elsewhere, or no such occurrence).
    """
    with transaction.atomic():
        occurrence = (
            Occurrence.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "ticket__service", "ticket__requester", "ticket__responsible", "category", "author"
            )
            .filter(pk=occurrence_id, emails_pending=True)
            .first()
        )
        if occurrence is None:
            return None
        rows = email_queue_for_occurrence(occurrence=occurrence, notify_responsible=True)
        Occurrence.objects.filter(pk=occurrence.pk).update(emails_pending=False)
    return rows


def occurrence_emails_dispatch_stale(*, now=None) -> int:
    """The dispatcher's sweep (beat): write the e-mails of occurrences whose task was lost (broker
    down at commit, worker killed) and that have waited ``OUTBOX_STALE_AFTER_SECONDS``. Returns how
    many occurrences it handled."""
    now = now or timezone.now()
    stale = timedelta(seconds=settings.OUTBOX_STALE_AFTER_SECONDS)
    ids = list(
        Occurrence.objects.filter(emails_pending=True, created_at__lte=now - stale)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    done = 0
    for pk in ids:
        if occurrence_emails_queue(occurrence_id=pk) is not None:
            done += 1
    if done:
        logger.warning("outbox: wrote the e-mails of %s occurrence(s) left pending", done)
    return done
