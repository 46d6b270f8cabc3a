"""Occurrence writes: the Occurrence Register of the portal (requirement 000)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from notifications.services import queue_occurrence_emails
from parameters import registry as r
from parameters.accessors import param
from tickets.models import Situation, Ticket
from tickets.policies import can_register_occurrence

from .models import Category, Occurrence, Origin


class OccurrenceRefused(ApplicationError):
    pass


def occurrence_register_check(*, ticket: Ticket, actor) -> None:
    """Raise :class:`OccurrenceRefused`, with the reason, when ``actor`` may not register an
    occurrence on ``ticket`` through the portal (parameter 252, ticket In Progress, own ticket)."""
    if can_register_occurrence(actor, ticket):
        return
    if not param(r.REGISTER_OCCURRENCE_PER_PORTAL):
        raise OccurrenceRefused(_("Registering occurrences through the portal is not enabled."))
    if ticket.situation != Situation.IN_PROGRESS:
        raise OccurrenceRefused(
            _("Occurrences can only be registered on tickets In Progress; "
              "ticket %(number)s is %(situation)s.")
            % {"number": ticket.number, "situation": ticket.get_situation_display()}
        )
    raise OccurrenceRefused(_("You cannot register an occurrence on this ticket."))


def occurrence_register(*, ticket: Ticket, actor, category: Category, origin: Origin, text: str,
                        notify_responsible: bool, ticket_locked: bool = False) -> Occurrence:
    """Register an occurrence on the requester's In Progress ticket and queue its e-mails (responsible
    with template 253 when ``notify_responsible``; requester with template 251) in the same transaction.

    ``ticket_locked``: the caller read ``ticket`` with ``select_for_update`` in the transaction this
    runs in, so its situation is current and this joins that transaction (no savepoint: a refusal
    here rolls the caller's transaction back); otherwise the situation is re-read under a row lock.
    """
    if ticket_locked and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket_locked=True outside the transaction that locked the ticket")
    with transaction.atomic(savepoint=not ticket_locked):
        if not ticket_locked:
            # The ticket may have moved since the page was shown.
            locked = Ticket.objects.select_for_update().values_list("situation", flat=True)
            ticket.situation = locked.get(pk=ticket.pk)
        occurrence_register_check(ticket=ticket, actor=actor)
        if not category.active or not origin.active:
            raise OccurrenceRefused(_("The category or origin is no longer available."))
        occurrence = Occurrence(
            ticket=ticket, category=category, origin=origin, text=text, author=actor,
            notify=notify_responsible, public=True, is_system=False,
        )
        # The related rows are the ones in hand (the locked ticket, the form's active choices, the
        # request's user): validating them again would cost a query each.
        occurrence.full_clean(exclude=["ticket", "category", "origin", "author"])
        occurrence.save()
        queue_occurrence_emails(occurrence=occurrence, notify_responsible=notify_responsible)
    return occurrence
