"""Opening a request or incident from the catalog (docs/domain.md): the form, parameters 118/65/246,
impact/urgency, attachments, the time limit, the summary page."""

from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalog.sla import CalendarSpec, add_business_minutes
from tests import factories
from tickets.models import Ticket
from tickets.services.opening import RequestsUnavailable, priority_from_impact_urgency, request_open


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def _form_url(activity):
    return reverse("catalog:activity-new", kwargs={"pk": activity.pk})


def test_add_and_finish_opens_the_ticket_under_parameters_118_and_65_and_shows_the_summary(
    maria, user, catalog, portal_ready
):
    r = maria.post(
        _form_url(catalog["toner"]),
        {"title": "Toner for floor 2", "description": "It is empty.", "action": "finish"},
    )
    ticket = Ticket.objects.get()
    assert r.status_code == 302
    assert parse_qs(urlparse(r["Location"]).query) == {"t": [str(ticket.pk)]}
    assert ticket.requester == user
    assert ticket.activity == catalog["toner"]
    assert ticket.contract == portal_ready["contract"]
    assert ticket.origin == portal_ready["origin"]
    assert ticket.priority == catalog["toner"].default_priority
    assert ticket.time_limit is not None

    html = maria.get(r["Location"]).content.decode()
    assert f'href="{reverse("tickets:description", kwargs={"pk": ticket.pk})}"' in html
    assert f'<td class="ticket-priority">{ticket.priority}</td>' in html
    assert timezone.localtime(ticket.time_limit).isoformat() in html


def test_form_asks_impact_and_urgency_only_when_the_activity_does(maria, catalog, portal_ready):
    assert 'name="impact"' not in maria.get(_form_url(catalog["toner"])).content.decode()
    jam = catalog["jam"]
    jam.asks_impact_urgency = True
    jam.save(update_fields=["asks_impact_urgency"])
    html = maria.get(_form_url(jam)).content.decode()
    assert 'name="impact"' in html
    assert 'name="urgency"' in html
    r = maria.post(_form_url(jam), {"title": "Jam", "description": "Paper jam", "action": "finish"})
    assert r.status_code == 200
    assert not Ticket.objects.exists()
    maria.post(_form_url(jam), {"title": "Jam", "description": "Paper jam", "impact": "1", "urgency": "2"})
    t = Ticket.objects.get()
    assert (t.impact, t.urgency, t.priority) == (1, 2, 1)


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [(1, 1, 1), (1, 2, 1), (2, 3, 2), (3, 3, 3), (4, 5, 4), (5, 5, 5), (1, 5, 3)],
)
def test_priority_is_the_average_of_impact_and_urgency_rounded_towards_the_higher_priority(
    impact, urgency, priority
):
    assert priority_from_impact_urgency(impact, urgency) == priority


def test_without_a_contract_the_portal_explains_that_requests_cannot_be_opened(maria, catalog):
    r = maria.get(_form_url(catalog["toner"]))
    assert r.status_code == 200
    assert 'id="requests-unavailable"' in r.content.decode()
    assert 'id="request-form"' not in r.content.decode()
    r = maria.post(_form_url(catalog["toner"]), {"title": "T", "description": "D"})
    assert 'id="requests-unavailable"' in r.content.decode()
    assert not Ticket.objects.exists()


def test_inactive_or_dangling_contract_counts_as_missing(maria, user, catalog, contract, set_param):
    contract.active = False
    contract.save(update_fields=["active"])
    set_param(118, contract.pk)
    assert 'id="requests-unavailable"' in maria.get(_form_url(catalog["toner"])).content.decode()
    with pytest.raises(RequestsUnavailable):
        request_open(user=user, activity=catalog["toner"], title="T", description="D")


def test_parameter_246_refuses_opening_in_the_service_too(user, catalog, portal_ready, set_param):
    set_param(246, True)
    with pytest.raises(RequestsUnavailable):
        request_open(user=user, activity=catalog["toner"], title="T", description="D")


def test_time_limit_of_a_request_opened_on_a_friday_evening(user, catalog, portal_ready):
    """Mon-Fri 08-12 and 13-18; priority 3 = 16 business hours. Opened Friday 17:30: 30 minutes on
    Friday, 9 hours on Monday, the remaining 6.5 hours on Tuesday: 08-12, then 13:00-15:30."""
    tz = timezone.get_current_timezone()
    friday = datetime(2030, 3, 8, 17, 30, tzinfo=tz)
    assert friday.weekday() == 4
    ticket = request_open(user=user, activity=catalog["toner"], title="T", description="D", now=friday)
    assert ticket.priority == 3
    assert ticket.time_limit == datetime(2030, 3, 12, 15, 30, tzinfo=tz)
    spec = CalendarSpec.from_calendar(portal_ready["contract"].calendar)
    assert ticket.time_limit == add_business_minutes(spec, friday, 16 * 60)


def test_attachments_are_stored_with_the_ticket(maria, catalog, portal_ready):
    files = [
        SimpleUploadedFile("a.txt", b"first file", content_type="text/plain"),
        SimpleUploadedFile("b.pdf", b"%PDF-1.4 second", content_type="application/pdf"),
    ]
    r = maria.post(
        _form_url(catalog["toner"]),
        {"title": "With files", "description": "See attached", "attachments": files, "action": "finish"},
    )
    assert r.status_code == 302
    t = Ticket.objects.get()
    assert sorted(t.attachments.values_list("original_name", flat=True)) == ["a.txt", "b.pdf"]


def test_a_forbidden_attachment_opens_nothing(maria, catalog, portal_ready):
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    r = maria.post(_form_url(catalog["toner"]), {"title": "T", "description": "D", "attachments": [bad]})
    assert r.status_code == 200
    assert "is-invalid" in r.content.decode()
    assert not Ticket.objects.exists()


def test_summary_shows_only_the_users_own_tickets(maria, other_user, catalog, portal_ready):
    theirs = factories.open_ticket(
        requester=other_user, activity=catalog["toner"], contract=portal_ready["contract"]
    )
    assert maria.get(reverse("catalog:submitted") + f"?t={theirs.pk}").status_code == 404


def test_knowledge_suggestions_hook_is_hidden_without_a_knowledge_base(maria, catalog, portal_ready):
    html = maria.get(_form_url(catalog["toner"])).content.decode()
    assert 'id="knowledge-suggestions"' in html
    assert 'aria-label="Related knowledge" hidden' in html
