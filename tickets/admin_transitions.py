"""The situation transitions offered as buttons on the ticket's admin page.

Each entry names its service function (the authority: it re-checks everything under a row lock)
and a predicate that mirrors the service's rules, used only to decide which buttons to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import services
from .models import FINAL_SITUATIONS, Situation, Task, Ticket

WORKING = (Situation.IN_PROGRESS, Situation.REOPENED)


def _group_ids(user) -> set[int]:
    """The user's group ids, read once per user object (one query per request)."""
    cached = getattr(user, "_sp_group_ids", None)
    if cached is None:
        cached = set(user.groups.values_list("pk", flat=True))
        user._sp_group_ids = cached
    return cached


def is_member(user, group_id) -> bool:
    return user.is_superuser or (group_id is not None and group_id in _group_ids(user))


def is_staff_of(user, ticket: Ticket) -> bool:
    """Mirrors ``services._require_staff_of``: the ticket's group or its responsible."""
    return user.is_superuser or ticket.responsible_id == user.pk or is_member(user, ticket.current_group_id)


def _requester_or_staff(user, ticket: Ticket) -> bool:
    return user.pk == ticket.requester_id or is_staff_of(user, ticket)


def may_capture(user, ticket: Ticket) -> bool:
    return (
        ticket.situation in WORKING
        and not ticket.responsible_id
        and user.is_staff
        and is_member(user, ticket.current_group_id)
    )


def may_suspend(user, ticket: Ticket) -> bool:
    return ticket.situation in WORKING and is_staff_of(user, ticket)


def may_reactivate(user, ticket: Ticket) -> bool:
    return ticket.situation == Situation.SUSPENDED and is_staff_of(user, ticket)


def may_resolve(user, ticket: Ticket) -> bool:
    return ticket.situation in WORKING and bool(ticket.responsible_id) and is_staff_of(user, ticket)


def may_close(user, ticket: Ticket) -> bool:
    return ticket.situation == Situation.RESOLVED and _requester_or_staff(user, ticket)


def may_reopen(user, ticket: Ticket) -> bool:
    limit = services.reopen_deadline(ticket)
    return limit is not None and timezone.now() <= limit and _requester_or_staff(user, ticket)


def may_cancel(user, ticket: Ticket) -> bool:
    return ticket.situation not in FINAL_SITUATIONS and _requester_or_staff(user, ticket)


def _awaiting_approval(user, ticket: Ticket) -> bool:
    return (
        ticket.situation == Situation.REGISTERED
        and ticket.current_task == Task.APPROVAL
        and is_member(user, ticket.current_group_id)
    )


def _resolve_and_invite(**kwargs) -> Ticket:
    from .feedback import ticket_resolve_and_invite

    return ticket_resolve_and_invite(**kwargs)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    service: Callable[..., Ticket]
    allowed: Callable[[Any, Ticket], bool]
    done: str | Promise  # success message, with %(number)s
    text_arg: str | None = None  # keyword of the service that receives the form's text
    text_label: str | Promise = ""
    text_required: bool = False
    confirm: str | Promise = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "approve",
            _("Approve"),
            services.ticket_approve,
            _awaiting_approval,
            _("Ticket %(number)s approved."),
            text_arg="observations",
            text_label=_("Observations"),
        ),
        Transition(
            "reject",
            _("Not approve"),
            services.ticket_reject,
            _awaiting_approval,
            _("Ticket %(number)s not approved and closed."),
            text_arg="justification",
            text_label=_("Justification"),
            text_required=True,
        ),
        Transition(
            "capture",
            _("Capture"),
            services.ticket_capture,
            may_capture,
            _("Ticket %(number)s captured: you are its responsible."),
            confirm=_("You become the responsible for this ticket."),
        ),
        Transition(
            "suspend",
            _("Suspend"),
            services.ticket_suspend,
            may_suspend,
            _("Ticket %(number)s suspended."),
            text_arg="justification",
            text_label=_("Justification"),
            text_required=True,
            confirm=_("The SLA clock pauses while the ticket is suspended."),
        ),
        Transition(
            "reactivate",
            _("Reactivate"),
            services.ticket_reactivate,
            may_reactivate,
            _("Ticket %(number)s reactivated."),
            confirm=_("The ticket returns to In Progress and the SLA clock resumes."),
        ),
        # Resolving also e-mails the requester the single-use survey link (tickets.feedback).
        Transition(
            "resolve",
            _("Resolve"),
            _resolve_and_invite,
            may_resolve,
            _("Ticket %(number)s resolved."),
            text_arg="solution",
            text_label=_("Solution"),
            text_required=True,
        ),
        Transition(
            "close",
            _("Close"),
            services.ticket_close,
            may_close,
            _("Ticket %(number)s closed."),
            confirm=_("Closing is final; the requester may still reopen it for a few days."),
        ),
        Transition(
            "reopen",
            _("Reopen"),
            services.ticket_reopen,
            may_reopen,
            _("Ticket %(number)s reopened."),
            text_arg="reason",
            text_label=_("Reason"),
        ),
        Transition(
            "cancel",
            _("Cancel"),
            services.ticket_cancel,
            may_cancel,
            _("Ticket %(number)s canceled."),
            text_arg="reason",
            text_label=_("Reason"),
            confirm=_("Canceling is final."),
        ),
    ]
}


def allowed_transitions(user, ticket: Ticket) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.allowed(user, ticket)]


class TransitionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), required=False)

    def __init__(self, *args, transition: Transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.text_arg is None:
            del self.fields["text"]
        else:
            self.fields["text"].label = transition.text_label
            self.fields["text"].required = transition.text_required
