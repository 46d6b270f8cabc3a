"""People in copy of a ticket (issue 27): the requester adds colleagues (``access.copy_candidates``)
and removes them; who they are and what they may do is decided in :mod:`tickets.access` and
:mod:`tickets.policies`, what they receive in :mod:`tickets.emails`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from .. import policies
from ..access import copy_candidates, ticket_lock
from ..models import Ticket, TicketCopy

if TYPE_CHECKING:
    from accounts.models import User

MAX_COPIES = 20


class CopyRefused(ApplicationError):
    pass


def _check(ticket: Ticket, actor: User) -> None:
    if not policies.can_manage_copies(actor, ticket):
        raise CopyRefused(
            _("Ticket %(number)s is %(situation)s: its people in copy can no longer be changed.")
            % {"number": ticket.number, "situation": ticket.get_situation_display()}
            if ticket.is_final
            else _("Only the requester chooses the people in copy.")
        )


@transaction.atomic
def ticket_copies_add(*, ticket: Ticket, actor: User, users: Iterable[User]) -> list[TicketCopy]:
    """Put ``users`` in copy of ``ticket`` (already there: kept). Each must be one of the requester's
    colleagues (:func:`tickets.access.copy_candidates`)."""
    ticket_lock(ticket)
    _check(ticket, actor)
    wanted = {u.pk for u in users}
    if not wanted:
        return []
    allowed = set(copy_candidates(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    if allowed != wanted:
        raise CopyRefused(_("You can put in copy only colleagues of your unit."))
    existing = set(TicketCopy.objects.filter(ticket=ticket).values_list("user_id", flat=True))
    if len(existing | wanted) > MAX_COPIES:
        raise CopyRefused(_("A request has at most %(n)s people in copy.") % {"n": MAX_COPIES})
    return TicketCopy.objects.bulk_create(
        [TicketCopy(ticket=ticket, user_id=pk, added_by=actor) for pk in sorted(wanted - existing)]
    )


@transaction.atomic
def ticket_copy_remove(*, ticket: Ticket, actor: User, user_pk: int) -> bool:
    """Take the person ``user_pk`` out of copy of ``ticket``: from then on they see it no more (unless
    it is shared with them otherwise). Whether they were in copy."""
    ticket_lock(ticket)
    _check(ticket, actor)
    deleted, _rows = TicketCopy.objects.filter(ticket=ticket, user_id=user_pk).delete()
    return bool(deleted)
