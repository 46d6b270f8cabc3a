"""Helpers for the My Requests / Occurrence Register tests (shared by tests/tickets and tests/occurrences)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from django.utils import timezone

from tickets.models import Ticket

# The columns of a ticket list, in English, in the requirement's order (Title shown: parameter 301 on,
# or always on the Approvals list); the Actions column follows.
TICKET_COLUMNS = [
    "Ticket",
    "Type",
    "Service",
    "Incident/Request",
    "Title",
    "Created on",
    "Task",
    "Current group",
    "Situation",
    "SLA",
    "Time limit",
    "SLA status",
    "Priority",
]


def clone_tickets(
    template: Ticket, n: int, *, start=None, step=timedelta(minutes=1), **overrides
) -> list[Ticket]:
    """``n`` copies of ``template`` in one INSERT, each created ``step`` earlier than the previous."""
    start = start or timezone.now()
    base = {
        f.attname: getattr(template, f.attname) for f in Ticket._meta.concrete_fields if f.attname != "id"
    }
    objs = [Ticket(**{**base, "created_at": start - i * step, **overrides}) for i in range(n)]
    return Ticket.objects.bulk_create(objs)


def move(ticket: Ticket, **fields) -> Ticket:
    """Put a ticket in a state directly (situation, dates, responsible) for a test's setup."""
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    return ticket


def text_of(html: str) -> str:
    """The text a reader sees: tags are spaces, except <wbr> (a line-break opportunity, no text)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.replace("<wbr>", ""))).split())


def column_headers(content: bytes) -> list[str]:
    html = content.decode()
    thead = re.search(r"<thead.*?</thead>", html, re.S)
    assert thead, "no table head"
    return [text_of(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", thead.group(0), re.S)]


def row_ids(content: bytes) -> list[int]:
    return [int(x) for x in re.findall(r'<tr id="ticket-(\d+)"', content.decode())]


def row_html(content: bytes, pk: int) -> str:
    m = re.search(rf'<tr id="ticket-{pk}".*?</tr>', content.decode(), re.S)
    assert m, f"no row for ticket {pk}"
    return m.group(0)


def row_actions(content: bytes, pk: int) -> list[str]:
    """The accessible names of a row's action links (aria-label, else the text)."""
    names = []
    for attrs, inner in re.findall(r"<a ([^>]*data-action=[^>]*)>(.*?)</a>", row_html(content, pk), re.S):
        label = re.search(r'aria-label="([^"]*)"', attrs)
        names.append(unescape(label.group(1)) if label else text_of(inner))
    return names


def label_texts(content: bytes) -> list[str]:
    """The labels as they read: the required-field "*" is hidden by static/css/portal.css."""
    html = re.sub(r'<span class="required-marker" aria-hidden="true">\*</span>', "", content.decode())
    return [text_of(x) for x in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)]
