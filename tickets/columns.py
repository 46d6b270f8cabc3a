"""The 13 columns of a ticket list (My Requests, Approvals; docs/domain.md, "My Requests"), in order.

The list templates draw their headers from :func:`ticket_columns`, and each row
(``templates/tickets/_ticket_row.html``) labels its cells for the phone's card layout from the same
labels, translated once per page rather than once per cell.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Situation, SlaStatus, Task, Ticket

COLUMNS = (
    ("ticket", _("Ticket")),
    ("type", _("Type")),
    ("service", _("Service")),
    ("activity", _("Incident/Request")),
    ("title", _("Title")),
    ("created", _("Created on")),
    ("task", _("Task")),
    ("group", _("Current group")),
    ("situation", _("Situation")),
    ("sla", _("SLA")),
    ("time_limit", _("Time limit")),
    ("sla_status", _("SLA status")),
    ("priority", _("Priority")),
)


def ticket_labels() -> dict[str, Any]:
    """What a row shows translated once per page: the labels of its choices (type, task, situation,
    SLA status: value -> label, looked up per row with the ``label`` filter), the dates' format, and
    the labels of its actions
    menu ("Actions", "Actions of ticket %(number)s", filled per row with ``with_number``)."""
    choices = {"type": Ticket.Type, "task": Task, "situation": Situation, "sla_status": SlaStatus}
    labels: dict[str, Any] = {
        name: {value: str(label) for value, label in c.choices} for name, c in choices.items()
    }
    labels["datetime_format"] = get_format("SHORT_DATETIME_FORMAT")  # the dates' format, looked up once
    labels["actions"] = gettext("Actions")
    labels["actions_of"] = gettext("Actions of ticket %(number)s")
    return labels


# "Shared with me" of My Requests (issue 27) adds whose each ticket is, after Ticket: the 13
# columns of the seed stay the list of the user's own requests.
REQUESTER_COLUMN = ("requester", _("Requester"))


def ticket_columns(*, show_title: bool, show_requester: bool = False) -> dict[str, str]:
    """Column key -> label in the active language, in order (Title only when shown, Requester only
    for the tickets shared with the user)."""
    columns = {key: str(label) for key, label in COLUMNS if show_title or key != "title"}
    if not show_requester:
        return columns
    first, *rest = columns.items()
    return dict([first, (REQUESTER_COLUMN[0], str(REQUESTER_COLUMN[1])), *rest])
