"""Presentation helpers of the ticket pages (no queries)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from questionnaires.models import answer_display
from tickets.models import SlaStatus

register = template.Library()

SLA_BADGE_CLASSES = {
    SlaStatus.ON_TIME.value: "text-bg-success",
    SlaStatus.TO_EXPIRE.value: "text-bg-warning",
    SlaStatus.EXPIRED.value: "text-bg-danger",
    SlaStatus.SUSPENDED.value: "text-bg-secondary",
}


@register.filter
def sla_duration(minutes) -> str:
    """The resolution time of a ticket: 960 -> "16h", 90 -> "1h 30min", 45 -> "45min"."""
    if minutes in (None, ""):
        return "—"
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return "—"
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)sh %(minutes)smin") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)sh") % {"hours": hours}
    return _("%(minutes)smin") % {"minutes": rest}


@register.filter
def label(labels: dict, value):
    """``labels[value]`` (tickets.columns.ticket_labels, translated once per page), else the value."""
    return labels.get(value, value)


@register.filter
def with_number(text: str, number) -> str:
    """``text`` (translated once per page) with its ``%(number)s`` filled in."""
    return text % {"number": number}


@register.filter
def sla_badge_class(status) -> str:
    return SLA_BADGE_CLASSES.get(status, "text-bg-light")


@register.filter
def sla_status_label(status) -> str:
    try:
        return str(SlaStatus(status).label)
    except ValueError:
        return ""


@register.filter
def wrap_after_slash(text) -> str:
    """A column header that may break after its slashes ("Incident/<wbr>Request"), escaped: one long
    word made the ticket lists wider than a 1366 px screen (tests/e2e/test_my_requests_layout.py)."""
    return mark_safe("/<wbr>".join(conditional_escape(part) for part in str(text).split("/")))  # noqa: S308 -- every part is escaped


@register.filter
def answer_value(record) -> str:
    """One stored answer of the request form (``Ticket.answers``) as a person reads it."""
    return answer_display(record) if isinstance(record, dict) else ""
