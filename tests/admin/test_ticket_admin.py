"""Attendants' work on tickets in the admin: their queue only, transitions through the services,
occurrences registered from the back office."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tickets.models import Occurrence, Situation, SlaStatus, Ticket
from tickets.services.transitions import ticket_capture, ticket_close, ticket_resolve, ticket_suspend

CHANGELIST = reverse("admin:tickets_ticket_changelist")


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def transition_url(ticket, action):
    return reverse("admin:tickets_ticket_transition", args=[ticket.pk, action])


def occurrence_url(ticket):
    return reverse("admin:tickets_ticket_occurrence", args=[ticket.pk])


def snapshot(ticket):
    t = Ticket.objects.get(pk=ticket.pk)
    return (
        t.situation,
        t.current_task,
        t.current_group_id,
        t.responsible_id,
        t.solution,
        t.occurrences.count(),
    )


# --- who sees what ------------------------------------------------------------------------------


def test_attendant_sees_own_group_tickets_only(client_as, attendant, ticket, other_ticket):
    response = client_as(attendant).get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ticket]
    assert b"Switch is down" not in response.content


def test_attendant_sees_tickets_they_are_responsible_for_after_the_group_changes(
    client_as, attendant, ticket, other_desk
):
    ticket_capture(ticket=ticket, actor=attendant)
    Ticket.objects.filter(pk=ticket.pk).update(current_group=other_desk)
    assert client_as(attendant).get(change_url(ticket)).status_code == 200


def test_attendant_gets_404_for_another_groups_ticket(client_as, attendant, ticket, other_ticket):
    client = client_as(attendant)
    before = snapshot(other_ticket)
    assert client.get(change_url(other_ticket)).status_code == 404
    assert client.get(reverse("admin:tickets_ticket_history", args=[other_ticket.pk])).status_code == 404
    assert client.get(transition_url(other_ticket, "capture")).status_code == 404
    assert client.post(transition_url(other_ticket, "capture")).status_code == 404
    assert client.post(occurrence_url(other_ticket), {"text": "x"}).status_code == 404
    assert snapshot(other_ticket) == before


def test_attendant_admin_index_shows_tickets_but_not_catalog_or_parameters(client_as, attendant, ticket):
    client = client_as(attendant)
    html = client.get(reverse("admin:index")).content.decode()
    assert CHANGELIST in html
    assert reverse("admin:catalog_portfolio_changelist") not in html
    assert reverse("admin:parameters_parametervalue_changelist") not in html
    assert client.get(reverse("admin:catalog_portfolio_changelist")).status_code == 403
    assert client.get(reverse("admin:catalog_activity_change", args=[ticket.activity_id])).status_code == 403
    assert client.get(reverse("admin:tickets_ticket_add")).status_code == 403


def test_staff_outside_any_service_group_cannot_open_tickets(client_as, ticket):
    outsider = factories.UserFactory(username="clerk", is_staff=True)
    client = client_as(outsider)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(ticket)).status_code in (403, 404)


def test_requester_without_staff_cannot_enter_admin(client_as, user, ticket):
    response = client_as(user).get(change_url(ticket))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_superuser_sees_every_ticket(admin_client_as, ticket, other_ticket):
    response = admin_client_as.get(CHANGELIST)
    assert set(response.context["cl"].result_list) == {ticket, other_ticket}


# --- list: columns, filters, sort, search ---------------------------------------------------------


def test_list_shows_sla_status_and_filters_by_it(admin_client_as, ticket, expired_ticket):
    response = admin_client_as.get(CHANGELIST)
    html = response.content.decode()
    assert "Expired" in html
    assert "On time" in html
    expired = admin_client_as.get(CHANGELIST, {"sla": SlaStatus.EXPIRED})
    assert list(expired.context["cl"].result_list) == [expired_ticket]
    on_time = admin_client_as.get(CHANGELIST, {"sla": SlaStatus.ON_TIME})
    assert list(on_time.context["cl"].result_list) == [ticket]


def test_list_sorts_by_sla_status(admin_client_as, ticket, expired_ticket):
    column = list(admin_client_as.get(CHANGELIST).context["cl"].list_display).index("sla_status_badge")
    desc = admin_client_as.get(CHANGELIST, {"o": f"-{column}"})
    assert list(desc.context["cl"].result_list) == [expired_ticket, ticket]
    asc = admin_client_as.get(CHANGELIST, {"o": f"{column}"})
    assert list(asc.context["cl"].result_list) == [ticket, expired_ticket]


@pytest.mark.parametrize(
    "filters",
    [
        {"situation__exact": "in_progress"},
        {"priority__exact": "3"},
        {"type__exact": "request"},
        {"assigned": "none"},
    ],
)
def test_list_filters_work(admin_client_as, ticket, filters):
    response = admin_client_as.get(CHANGELIST, filters)
    assert list(response.context["cl"].result_list) == [ticket]


def test_list_filters_by_current_group(admin_client_as, ticket, other_ticket):
    response = admin_client_as.get(CHANGELIST, {"current_group__id__exact": other_ticket.current_group_id})
    assert list(response.context["cl"].result_list) == [other_ticket]


@pytest.mark.parametrize("term", ["number", "#number", "Switch", "joao"])
def test_search_by_number_title_or_requester(admin_client_as, ticket, other_ticket, term):
    term = term.replace("number", str(other_ticket.pk))
    response = admin_client_as.get(CHANGELIST, {"q": term})
    assert list(response.context["cl"].result_list) == [other_ticket]


def test_list_runs_a_fixed_number_of_queries(
    admin_client_as, user, activity, contract, django_assert_max_num_queries
):
    admin_client_as.get(CHANGELIST)  # warm caches
    for _ in range(5):
        factories.open_ticket(requester=user, activity=activity, contract=contract)
    with django_assert_max_num_queries(15) as few:
        admin_client_as.get(CHANGELIST)
    for _ in range(20):
        factories.open_ticket(requester=user, activity=activity, contract=contract)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client_as.get(CHANGELIST)


# --- change page --------------------------------------------------------------------------------


def test_change_page_shows_occurrences_newest_first_read_only(client_as, attendant, ticket):
    ticket_capture(ticket=ticket, actor=attendant)
    response = client_as(attendant).get(change_url(ticket))
    html = response.content.decode()
    assert html.index("Captured by") < html.index("Ticket registered by")
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission
    assert not formset.has_change_permission
    assert 'name="occurrences-0-text"' not in html


def test_situation_and_responsible_cannot_be_changed_through_the_form(admin_client_as, admin_user, ticket):
    count = ticket.occurrences.count()
    data = {
        "title": "New title",
        "description": "New description",
        "origin": "",
        "impact": "",
        "urgency": "",
        "situation": Situation.CLOSED,
        "responsible": admin_user.pk,
        "priority": "1",
        "occurrences-TOTAL_FORMS": str(count),
        "occurrences-INITIAL_FORMS": str(count),
        "occurrences-MIN_NUM_FORMS": "0",
        "occurrences-MAX_NUM_FORMS": "0",
    }
    for i, occ in enumerate(ticket.occurrences.order_by("-created_at", "-id")):
        data[f"occurrences-{i}-id"] = str(occ.pk)
        data[f"occurrences-{i}-ticket"] = str(ticket.pk)
    response = admin_client_as.post(change_url(ticket), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    ticket.refresh_from_db()
    assert ticket.title == "New title"
    assert (ticket.situation, ticket.responsible_id, ticket.priority) == (Situation.IN_PROGRESS, None, 3)


def test_superuser_registers_a_ticket_through_the_service(admin_client_as, user, activity, contract):
    response = admin_client_as.post(
        reverse("admin:tickets_ticket_add"),
        {
            "requester": user.pk,
            "contract": contract.pk,
            "activity": activity.pk,
            "origin": "",
            "title": "Phone call",
            "description": "Called about the VPN.",
            "priority": "",
            "impact": "",
            "urgency": "",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(title="Phone call")
    assert ticket.situation == Situation.IN_PROGRESS
    assert ticket.time_limit is not None
    assert ticket.priority == activity.default_priority
    assert ticket.occurrences.filter(is_system=True).count() == 1


@pytest.mark.parametrize(("priority", "impact", "urgency", "expected"), [("", 4, 5, 4), ("2", 4, 5, 2)])
def test_the_back_office_applies_the_impact_urgency_rule_unless_a_priority_is_set(
    admin_client_as, user, activity, contract, priority, impact, urgency, expected
):
    """One rule for every channel (tickets.services.opening.ticket_priority)."""
    response = admin_client_as.post(
        reverse("admin:tickets_ticket_add"),
        {
            "requester": user.pk,
            "contract": contract.pk,
            "activity": activity.pk,
            "origin": "",
            "title": "Phone call",
            "description": "Called about the VPN.",
            "priority": priority,
            "impact": impact,
            "urgency": urgency,
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(title="Phone call")
    assert (ticket.priority, ticket.impact, ticket.urgency) == (expected, impact, urgency)


def test_occurrences_are_read_only_in_the_admin_even_for_a_superuser(admin_client_as, ticket):
    """The Register and the ticket page's "Register occurrence" are the only writers of the history."""
    count = Occurrence.objects.count()
    assert admin_client_as.get(reverse("admin:tickets_occurrence_add")).status_code == 403
    response = admin_client_as.post(
        reverse("admin:tickets_occurrence_add"),
        {"ticket": ticket.pk, "category": ticket.occurrences.first().category_id, "text": "Bypass"},
    )
    assert response.status_code == 403
    assert Occurrence.objects.count() == count
    occurrence = ticket.occurrences.first()
    page = admin_client_as.get(reverse("admin:tickets_occurrence_change", args=[occurrence.pk]))
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()


# --- transition buttons -------------------------------------------------------------------------


def buttons(client, ticket):
    return {t["action"] for t in client.get(change_url(ticket)).context["transitions"]}


def test_buttons_follow_the_situation(client_as, attendant, user, ticket):
    client = client_as(attendant)
    assert buttons(client, ticket) == {"capture", "suspend", "cancel"}
    ticket_capture(ticket=ticket, actor=attendant)
    assert buttons(client, ticket) == {"suspend", "resolve", "cancel"}
    ticket_suspend(ticket=ticket, actor=attendant, justification="Waiting for parts")
    assert buttons(client, ticket) == {"reactivate", "cancel"}
    ticket.refresh_from_db()
    from tickets.services.transitions import ticket_reactivate

    ticket_reactivate(ticket=ticket, actor=attendant)
    ticket_resolve(ticket=ticket, actor=attendant, solution="Replaced the toner")
    assert buttons(client, ticket) == {"close"}
    ticket_close(ticket=ticket, actor=attendant)
    assert buttons(client, ticket) == {"reopen"}


def test_an_approver_is_sent_to_the_portal_decision(client_as, approver, admin_user, ticket_to_approve):
    """A decision has one home (approvals.services.approval_decide: the decision row, the registered
    justification, the requester's e-mail): the admin links an approver to the portal's form and
    offers no Approve / Not approve button of its own."""
    response = client_as(approver).get(change_url(ticket_to_approve))
    assert {t["action"] for t in response.context["transitions"]} == {"cancel"}
    decide = f"/approvals/{ticket_to_approve.pk}/"
    assert response.context["approval_url"] == decide
    assert f'href="{decide}" id="approval-decide"' in response.content.decode()
    assert client_as(approver).get(transition_url(ticket_to_approve, "approve")).status_code == 404
    other = client_as(admin_user).get(change_url(ticket_to_approve))  # a superuser, not an approver
    assert other.context["approval_url"] == ""
    assert client_as(approver).get(decide).status_code == 200  # the portal's form, for the approver


def test_transition_page_has_a_form_with_csrf(client_as, attendant, ticket):
    response = client_as(attendant).get(transition_url(ticket, "suspend"))
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert b'name="text"' in response.content


def test_unknown_transition_is_404(client_as, attendant, ticket):
    assert client_as(attendant).get(transition_url(ticket, "explode")).status_code == 404


def _post(client, ticket, action, text=None):
    data = {} if text is None else {"text": text}
    return client.post(transition_url(ticket, action), data)


def test_capture(client_as, attendant, ticket):
    response = _post(client_as(attendant), ticket, "capture")
    assert response.status_code == 302
    assert response["Location"] == change_url(ticket)
    ticket.refresh_from_db()
    assert ticket.responsible == attendant
    assert ticket.situation == Situation.IN_PROGRESS
    assert ticket.occurrences.filter(category__code="capture").exists()


def test_suspend_requires_a_justification(client_as, attendant, ticket):
    client = client_as(attendant)
    before = snapshot(ticket)
    response = _post(client, ticket, "suspend", "")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert snapshot(ticket) == before
    assert _post(client, ticket, "suspend", "Waiting for the supplier").status_code == 302
    ticket.refresh_from_db()
    assert ticket.situation == Situation.SUSPENDED
    assert ticket.occurrences.filter(text__contains="Waiting for the supplier").exists()


def test_reactivate(client_as, attendant, ticket):
    ticket_suspend(ticket=ticket, actor=attendant, justification="Waiting")
    assert _post(client_as(attendant), ticket, "reactivate").status_code == 302
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS


def test_resolve_requires_a_solution(client_as, attendant, ticket):
    ticket_capture(ticket=ticket, actor=attendant)
    client = client_as(attendant)
    before = snapshot(ticket)
    assert _post(client, ticket, "resolve", "  ").status_code == 200
    assert snapshot(ticket) == before
    assert _post(client, ticket, "resolve", "Replaced the toner").status_code == 302
    ticket.refresh_from_db()
    assert (ticket.situation, ticket.solution) == (Situation.RESOLVED, "Replaced the toner")


def test_close(client_as, attendant, ticket):
    ticket_capture(ticket=ticket, actor=attendant)
    ticket_resolve(ticket=ticket, actor=attendant, solution="Done")
    assert _post(client_as(attendant), ticket, "close").status_code == 302
    ticket.refresh_from_db()
    assert ticket.situation == Situation.CLOSED


def test_reopen(client_as, attendant, ticket):
    ticket_capture(ticket=ticket, actor=attendant)
    ticket_resolve(ticket=ticket, actor=attendant, solution="Done")
    ticket_close(ticket=ticket, actor=attendant)
    assert _post(client_as(attendant), ticket, "reopen", "Still broken").status_code == 302
    ticket.refresh_from_db()
    assert ticket.situation == Situation.REOPENED


def test_cancel(client_as, attendant, ticket):
    assert _post(client_as(attendant), ticket, "cancel", "Duplicate").status_code == 302
    ticket.refresh_from_db()
    assert ticket.situation == Situation.CANCELED


@pytest.mark.parametrize(
    ("action", "text"),
    [
        ("capture", None),
        ("resolve", "Done"),
        ("reactivate", None),
        ("close", None),
        ("reopen", ""),
    ],
)
def test_refused_transition_shows_the_message_and_changes_nothing(client_as, attendant, ticket, action, text):
    """The ticket is In Progress and not captured: none of these moves is possible."""
    client = client_as(attendant)
    if action == "capture":
        ticket_capture(
            ticket=ticket,
            actor=factories.UserFactory(username="colleague", is_staff=True, groups=[ticket.current_group]),
        )
    before = snapshot(ticket)
    response = _post(client, ticket, action, text)
    assert response.status_code == 200
    errors = [m.message for m in response.context["messages"] if m.level_tag == "error"]
    expected = "has already been captured by" if action == "capture" else "cannot be"
    assert errors
    assert f"Ticket {ticket.pk} " in errors[0]
    assert expected in errors[0]
    assert errors[0] in response.content.decode()
    assert snapshot(ticket) == before


def test_reopen_refused_after_the_deadline(client_as, attendant, ticket, set_param):
    ticket_capture(ticket=ticket, actor=attendant)
    ticket_resolve(ticket=ticket, actor=attendant, solution="Done")
    ticket_close(ticket=ticket, actor=attendant)
    long_ago = timezone.now() - timedelta(days=30)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=long_ago - timedelta(days=1), closed_at=long_ago)
    client = client_as(attendant)
    assert "reopen" not in buttons(client, ticket)
    before = snapshot(ticket)
    response = _post(client, ticket, "reopen", "")
    assert "can no longer be reopened" in response.content.decode()
    assert snapshot(ticket) == before


# --- occurrences from the admin -----------------------------------------------------------------


def test_attendant_registers_an_occurrence(client_as, attendant, ticket):
    category = factories.CategoryFactory(name="Diagnosis")
    origin = factories.OriginFactory(name="Phone")
    client = client_as(attendant)
    page = client.get(occurrence_url(ticket))
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" in page.content
    response = client.post(
        occurrence_url(ticket),
        {"category": category.pk, "origin": origin.pk, "text": "Checked the cable.", "public": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(ticket)
    occ = Occurrence.objects.get(text="Checked the cable.")
    assert (occ.ticket, occ.author, occ.category, occ.origin, occ.public, occ.is_system) == (
        ticket,
        attendant,
        category,
        origin,
        True,
        False,
    )


def test_occurrence_requires_category_and_text(client_as, attendant, ticket):
    count = ticket.occurrences.count()
    response = client_as(attendant).post(occurrence_url(ticket), {"text": ""})
    assert response.status_code == 200
    assert ticket.occurrences.count() == count
