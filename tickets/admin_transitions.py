"""The admin's button table: the situation transitions offered on a ticket's admin page.

Each entry names its service (the authority: it re-checks everything under a row lock) and the
policy of :mod:`tickets.policies` that decides whether the button shows. Only the admin imports
this module.

Approving is not a button here: a decision has one home, ``approvals.services.approval_decide``
(the decision row, the justification from the registered list, the requester's e-mail), and the
admin links an approver to its form in the portal (``TicketAdmin.change_view``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import policies
from .models import Ticket
from .services import transitions as services

if TYPE_CHECKING:
    from accounts.models import User


def _resolve_and_invite(**kwargs) -> Ticket:
    from .services.feedback import ticket_resolve_and_invite

    return ticket_resolve_and_invite(**kwargs)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    service: Callable[..., Ticket]
    allowed: Callable[[User, Ticket], bool]
    done: str | Promise  # success message, with %(number)s
    text_arg: str | None = None  # keyword of the service that receives the form's text
    text_label: str | Promise = ""
    text_required: bool = False
    confirm: str | Promise = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "capture",
            _("Capture"),
            services.ticket_capture,
            policies.may_capture,
            _("Ticket %(number)s captured: you are its responsible."),
            confirm=_("You become the responsible for this ticket."),
        ),
        Transition(
            "suspend",
            _("Suspend"),
            services.ticket_suspend,
            policies.may_suspend,
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
            policies.may_reactivate,
            _("Ticket %(number)s reactivated."),
            confirm=_("The ticket returns to In Progress and the SLA clock resumes."),
        ),
        # Resolving also e-mails the requester the single-use survey link (tickets.services.feedback).
        Transition(
            "resolve",
            _("Resolve"),
            _resolve_and_invite,
            policies.may_resolve,
            _("Ticket %(number)s resolved."),
            text_arg="solution",
            text_label=_("Solution"),
            text_required=True,
        ),
        Transition(
            "close",
            _("Close"),
            services.ticket_close,
            policies.may_close,
            _("Ticket %(number)s closed."),
            confirm=_("Closing is final; the requester may still reopen it for a few days."),
        ),
        Transition(
            "reopen",
            _("Reopen"),
            services.ticket_reopen,
            policies.may_reopen,
            _("Ticket %(number)s reopened."),
            text_arg="reason",
            text_label=_("Reason"),
        ),
        Transition(
            "cancel",
            _("Cancel"),
            services.ticket_cancel,
            policies.may_cancel,
            _("Ticket %(number)s canceled."),
            text_arg="reason",
            text_label=_("Reason"),
            confirm=_("Canceling is final."),
        ),
    ]
}


def allowed_transitions(user: User, ticket: Ticket) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.allowed(user, ticket)]


class TransitionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), required=False)

    def __init__(self, *args, transition: Transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.text_arg is None:
            del self.fields["text"]
        else:
            self.fields["text"].label = str(transition.text_label)
            self.fields["text"].required = transition.text_required
