"""What a user may do with a ticket: the portal's row actions and the back office's buttons.

The same function decides whether a button shows and whether its action is accepted: the page
calls it to draw the button and the service (or the action's view) calls it again, under the
ticket's row lock, so a hidden button is never the only guard. Who is who (requester, attendant,
approver) comes from :mod:`tickets.access`; the situations that allow each move are written here
once (docs/domain.md, "Situations and transitions"). No queries besides the user's groups (read
once per request by :mod:`tickets.access`) and the parameter snapshot, so a page can call them
for every row. :data:`ROW_ACTIONS` lists the requester's row actions with their policy;
:class:`TicketActions` turns it into the links a ticket shows, as data for the templates (the My
Requests rows, Description and the occurrence list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parameters import registry as r
from parameters.accessors import param

from .access import is_approver, is_attendant, is_reader, is_requester, is_sharer
from .models import Situation, Task, Ticket

if TYPE_CHECKING:
    from accounts.models import User


WORKING = (Situation.IN_PROGRESS, Situation.REOPENED)


# --- where a ticket stands: the situations that allow each transition ----------------------------


def awaiting_approval(ticket: Ticket) -> bool:
    return ticket.situation == Situation.REGISTERED and ticket.current_task == Task.APPROVAL


def capturable(ticket: Ticket) -> bool:
    """In Progress or Reopened (whether it is already captured is refused with its own message)."""
    return ticket.situation in WORKING


def suspendable(ticket: Ticket) -> bool:
    return ticket.situation in WORKING


def reactivatable(ticket: Ticket) -> bool:
    return ticket.situation == Situation.SUSPENDED


def resolvable(ticket: Ticket) -> bool:
    return ticket.situation in WORKING and bool(ticket.responsible_id)


def closable(ticket: Ticket) -> bool:
    return ticket.situation == Situation.RESOLVED


def cancelable(ticket: Ticket) -> bool:
    return not ticket.is_final


def reopen_deadline(ticket: Ticket) -> datetime | None:
    """Until when a Closed ticket may be reopened (parameter 171), or None."""
    if ticket.situation != Situation.CLOSED or ticket.closed_at is None:
        return None
    return ticket.closed_at + timedelta(days=param(r.REOPEN_DAYS))


def reopenable(ticket: Ticket, now: datetime | None = None) -> bool:
    """Closed, no more than parameter 171 days ago."""
    limit = reopen_deadline(ticket)
    return limit is not None and (now or timezone.now()) <= limit


# --- the portal: the requester's row actions ------------------------------------------------------


def can_view_description(user: User, ticket: Ticket) -> bool:
    """Description: always, for a reader (the requester, a sharer, a person in copy)."""
    return is_reader(user, ticket)


def can_view_attachments(user: User, ticket: Ticket) -> bool:
    """Attachments: always, for a reader (adding/removing: :func:`can_change_attachments`;
    downloading is always possible)."""
    return is_reader(user, ticket)


def can_view_occurrences(user: User, ticket: Ticket) -> bool:
    """Occurrence (list, the public history): parameter 298 = Y, for a reader."""
    return is_reader(user, ticket) and bool(param(r.SHOW_OCCURRENCES))


def can_register_occurrence(user: User, ticket: Ticket) -> bool:
    """Register occurrence (+): parameter 252 = Y and the ticket is In Progress."""
    return (
        is_requester(user, ticket)
        and bool(param(r.REGISTER_OCCURRENCE_PER_PORTAL))
        and ticket.situation == Situation.IN_PROGRESS
    )


def can_cancel(user: User, ticket: Ticket) -> bool:
    """Cancel Request: parameter 302 = Y and the ticket is not final (Resolved, Closed, Canceled)."""
    return is_requester(user, ticket) and bool(param(r.PORTAL_CANCEL)) and cancelable(ticket)


def can_message(user: User, ticket: Ticket) -> bool:
    """Message: parameter 299 = Y and an attendant has captured the ticket; the requester or a
    sharer (a person in copy only reads)."""
    return (
        (is_requester(user, ticket) or is_sharer(user, ticket))
        and bool(param(r.MESSAGES))
        and ticket.responsible_id is not None
    )


def can_manage_copies(user: User, ticket: Ticket) -> bool:
    """People in copy: the requester adds and removes them while the ticket is not final."""
    return is_requester(user, ticket) and not ticket.is_final


def can_register_opinion(user: User, ticket: Ticket) -> bool:
    """Register opinion (Compliment / Complaint): the ticket is Closed."""
    return is_requester(user, ticket) and ticket.situation == Situation.CLOSED


def can_answer_survey(user: User, ticket: Ticket) -> bool:
    """Satisfaction Survey: the ticket is Closed."""
    return is_requester(user, ticket) and ticket.situation == Situation.CLOSED


def can_reopen(user: User, ticket: Ticket, now: datetime | None = None) -> bool:
    """Reopen service request: the ticket is Closed, no more than parameter 171 days ago."""
    return is_requester(user, ticket) and reopenable(ticket, now)


# --- why a row action is refused: the message of the page and of the API (api/views.py) ----------


def requester_only_refusal() -> str:
    """Cancel or reopen asked by a reader of someone else's request (a sharer, a person in copy)."""
    return gettext("Only the requester can do this with the request.")


def not_available_refusal(ticket: Ticket) -> str:
    return gettext("This action is not available for ticket %(number)s (%(situation)s).") % {
        "number": ticket.number,
        "situation": ticket.get_situation_display(),
    }


def cancel_refusal(ticket: Ticket) -> str:
    if not param(r.PORTAL_CANCEL):
        return gettext("Canceling requests through the portal is not enabled.")
    return gettext("Ticket %(number)s is %(situation)s and can no longer be canceled.") % {
        "number": ticket.number,
        "situation": ticket.get_situation_display(),
    }


def reopen_refusal(ticket: Ticket) -> str:
    if ticket.situation == Situation.CLOSED:
        return gettext(
            "Ticket %(number)s was closed more than %(days)s days ago and can no longer be reopened."
        ) % {"number": ticket.number, "days": param(r.REOPEN_DAYS)}
    return gettext("Only a Closed ticket can be reopened; ticket %(number)s is %(situation)s.") % {
        "number": ticket.number,
        "situation": ticket.get_situation_display(),
    }


def message_refusal(ticket: Ticket) -> str:
    if not param(r.MESSAGES):
        return gettext("Messages are not enabled.")
    return gettext("Messages are possible once an attendant has captured the ticket.")


def attachments_locked_refusal(ticket: Ticket) -> str:
    return gettext("Ticket %(number)s is %(situation)s: its attachments can no longer be changed.") % {
        "number": ticket.number,
        "situation": ticket.get_situation_display(),
    }


# --- shared by both sides -------------------------------------------------------------------------


def can_change_attachments(user: User, ticket: Ticket) -> bool:
    """Add/remove files: the requester, a sharer or an attendant, while the ticket is not final."""
    return not ticket.is_final and (
        is_requester(user, ticket) or is_sharer(user, ticket) or is_attendant(user, ticket)
    )


def can_remove_attachment(user: User, ticket: Ticket, uploaded_by_id: int | None) -> bool:
    """Remove a file: as :func:`can_change_attachments`, and a sharer only the files they added."""
    if not can_change_attachments(user, ticket):
        return False
    return is_requester(user, ticket) or is_attendant(user, ticket) or uploaded_by_id == user.pk


def can_answer_messages(user: User, ticket: Ticket) -> bool:
    """The back office side of :func:`can_message`: an attendant, 299 = Y, the ticket captured."""
    return is_attendant(user, ticket) and bool(param(r.MESSAGES)) and ticket.responsible_id is not None


# --- the back office: the transition buttons (tickets.admin_transitions) -------------------------


def own_request_barred(user: User, ticket: Ticket) -> bool:
    """Segregation of duties (docs/domain.md, "Who may do what"): the ticket's requester may not
    approve or not approve it, though a member of its approver group or a substitute of one, unless
    parameter 372 allows it. The one rule: the Approvals list and pages, the decision
    (``approvals.services.approval_decide``), the e-mailed link, the approval e-mails and the
    ticket's admin page all ask it. No query (the parameter snapshot)."""
    return is_requester(user, ticket) and not param(r.APPROVAL_BY_REQUESTER)


def may_approve(user: User, ticket: Ticket) -> bool:
    """Approve / Not approve: awaiting approval, by its approver group, not by its requester
    (:func:`own_request_barred`)."""
    return awaiting_approval(ticket) and is_approver(user, ticket) and not own_request_barred(user, ticket)


def may_capture(user: User, ticket: Ticket) -> bool:
    return capturable(ticket) and not ticket.responsible_id and is_attendant(user, ticket)


def may_suspend(user: User, ticket: Ticket) -> bool:
    return suspendable(ticket) and is_attendant(user, ticket)


def may_reactivate(user: User, ticket: Ticket) -> bool:
    return reactivatable(ticket) and is_attendant(user, ticket)


def may_resolve(user: User, ticket: Ticket) -> bool:
    return resolvable(ticket) and is_attendant(user, ticket)


def may_close(user: User, ticket: Ticket) -> bool:
    """By an attendant, or by the requester validating the solution."""
    return closable(ticket) and (is_requester(user, ticket) or is_attendant(user, ticket))


def may_reopen(user: User, ticket: Ticket) -> bool:
    return reopenable(ticket) and (is_requester(user, ticket) or is_attendant(user, ticket))


def may_cancel(user: User, ticket: Ticket) -> bool:
    return cancelable(ticket) and (is_requester(user, ticket) or is_attendant(user, ticket))


# --- the row actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowAction:
    """One action of a ticket: its page (``url_name`` takes the ticket as ``pk``), the policy that
    decides whether the ticket shows it, and its Bootstrap Icons name."""

    key: str
    label: str | Promise
    url_name: str
    policy: Callable[..., bool]
    icon: str
    primary: bool = False  # a button of its own in the row, not an item of its menu
    danger: bool = False  # drawn as a destructive action (Cancel Request)


# In the order of docs/domain.md, "My Requests: row actions".
ROW_ACTIONS: tuple[RowAction, ...] = (
    RowAction(
        "register-opinion",
        _("Register opinion"),
        "tickets:register-opinion",
        can_register_opinion,
        "chat-quote",
    ),
    RowAction("reopen", _("Reopen service request"), "tickets:reopen", can_reopen, "arrow-counterclockwise"),
    RowAction("survey", _("Satisfaction Survey"), "tickets:survey", can_answer_survey, "star"),
    RowAction("description", _("Description"), "tickets:description", can_view_description, "file-text"),
    RowAction("attachments", _("Attachments"), "tickets:attachments", can_view_attachments, "paperclip"),
    RowAction("occurrences", _("Occurrence"), "tickets:occurrences", can_view_occurrences, "list-ul"),
    RowAction(
        "register-occurrence",
        _("Register occurrence"),
        "occurrences:register",
        can_register_occurrence,
        "plus-lg",
        primary=True,
    ),
    RowAction("cancel", _("Cancel Request"), "tickets:cancel", can_cancel, "x-circle", danger=True),
    RowAction("message", _("Message"), "tickets:message", can_message, "envelope"),
)


@dataclass(frozen=True)
class ActionLink:
    """An action a ticket shows: what the templates render as a link or a menu item."""

    key: str
    label: str
    url: str
    icon: str
    primary: bool = False
    danger: bool = False


def next_suffix(list_query: str) -> str:
    """``?next=<list_query>`` (encoded) for a link that returns to a list afterwards; "" without one."""
    return "?" + urlencode({"next": list_query}) if list_query else ""


class TicketActions:
    """The action links of the tickets of one page.

    Built once per page (the labels translated and the ``next`` suffix encoded once); then
    :meth:`for_ticket` asks each action's policy about one ticket (no query) and gives the
    links it shows. ``actions`` is the table of a page's row actions: My Requests' :data:`ROW_ACTIONS`
    by default, the approver's (``approvals.views.ROW_ACTIONS``) on the Approvals pages.
    """

    def __init__(
        self,
        user: User,
        *,
        list_query: str = "",
        exclude: Iterable[str] = (),
        actions: Iterable[RowAction] = ROW_ACTIONS,
    ):
        self.user = user
        self.suffix = next_suffix(list_query)
        excluded = set(exclude)
        # Each action's URL reversed once per page, around a placeholder primary key; each row
        # puts its own number in.
        self.actions = [
            (a, str(a.label), *_url_around_pk(a.url_name)) for a in actions if a.key not in excluded
        ]

    def for_ticket(self, ticket: Ticket) -> list[ActionLink]:
        return [
            ActionLink(a.key, label, f"{head}{ticket.pk}{tail}{self.suffix}", a.icon, a.primary, a.danger)
            for a, label, head, tail in self.actions
            if a.policy(self.user, ticket)
        ]


_PLACEHOLDER_PK = 918273645


def _url_around_pk(url_name: str) -> tuple[str, str]:
    """The path of ``url_name`` before and after its ``pk``."""
    head, found, tail = reverse(url_name, kwargs={"pk": _PLACEHOLDER_PK}).partition(str(_PLACEHOLDER_PK))
    assert found, url_name  # noqa: S101 (a URL without its pk is a programming error)
    return head, tail


def ticket_actions(
    user: User, ticket: Ticket, *, list_query: str = "", exclude: Iterable[str] = ()
) -> list[ActionLink]:
    """The actions one ticket shows (Description and occurrence pages)."""
    return TicketActions(user, list_query=list_query, exclude=exclude).for_ticket(ticket)
