"""What a requester may do with one of their tickets in the portal (DOMAIN.md, "My Requests").

One function per row action. The My Requests page calls them to decide which buttons a row shows
and the action's own view calls the same function to accept or refuse the request, so a hidden
button is never the only guard. They read the ticket's loaded fields and the parameter snapshot
only: no queries, so a page can call them for every row.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from parameters import registry as r
from parameters.accessors import param

from .models import Situation, Ticket
from .services import reopen_deadline  # the reopen transition owns the 171-days rule


def _is_requester(user, ticket: Ticket) -> bool:
    return bool(user is not None and user.is_authenticated and ticket.requester_id == user.pk)


def can_view_description(user, ticket: Ticket) -> bool:
    """Description: always, for the requester."""
    return _is_requester(user, ticket)


def can_view_attachments(user, ticket: Ticket) -> bool:
    """Attachments: always, for the requester (adding/removing is limited to open tickets by the
    attachments page itself; downloading is always possible)."""
    return _is_requester(user, ticket)


def can_view_occurrences(user, ticket: Ticket) -> bool:
    """Occurrence (list): parameter 298 = Y."""
    return _is_requester(user, ticket) and bool(param(r.SHOW_OCCURRENCES))


def can_register_occurrence(user, ticket: Ticket) -> bool:
    """Register occurrence (+): parameter 252 = Y and the ticket is In Progress."""
    return (
        _is_requester(user, ticket)
        and bool(param(r.REGISTER_OCCURRENCE_PER_PORTAL))
        and ticket.situation == Situation.IN_PROGRESS
    )


def can_cancel(user, ticket: Ticket) -> bool:
    """Cancel Request: parameter 302 = Y and the ticket is not final (Resolved, Closed, Canceled)."""
    return _is_requester(user, ticket) and bool(param(r.PORTAL_CANCEL)) and not ticket.is_final


def can_message(user, ticket: Ticket) -> bool:
    """Message: parameter 299 = Y and an attendant has captured the ticket."""
    return _is_requester(user, ticket) and bool(param(r.MESSAGES)) and ticket.responsible_id is not None


def can_register_opinion(user, ticket: Ticket) -> bool:
    """Register opinion (Compliment / Complaint): the ticket is Closed."""
    return _is_requester(user, ticket) and ticket.situation == Situation.CLOSED


def can_answer_survey(user, ticket: Ticket) -> bool:
    """Satisfaction Survey: the ticket is Closed."""
    return _is_requester(user, ticket) and ticket.situation == Situation.CLOSED


def can_reopen(user, ticket: Ticket, now: datetime | None = None) -> bool:
    """Reopen service request: the ticket is Closed, no more than parameter 171 days ago."""
    if not (_is_requester(user, ticket) and ticket.situation == Situation.CLOSED and ticket.closed_at):
        return False
    limit = reopen_deadline(ticket)
    return limit is not None and (now or timezone.now()) <= limit
