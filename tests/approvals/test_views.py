"""The Approvals pages with the Django test client: who sees what, the form, the menu, queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from approvals.models import Absence, Decision
from approvals.services import absence_declare
from tests import factories
from tests.tickets.helpers import TICKET_COLUMNS, column_headers
from tickets.models import Situation, Task


def test_the_approver_sees_the_pending_ticket_with_the_13_columns(client_as, joao, awaiting):
    response = client_as(joao).get(reverse("approvals:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert column_headers(response.content)[:13] == TICKET_COLUMNS
    assert f'id="ticket-{awaiting.pk}"' in html
    assert "VPN access to work from home" in html  # Title is always shown (parameter 301 off)
    approve = reverse("approvals:decide", args=[awaiting.pk])
    assert re.search(rf'href="{approve}"[^>]*aria-label="Approve"', html)
    assert 'class="bi bi-check-lg"' in html
    # the menu shows Approvals with the count
    assert re.search(r'id="menu-approvals-list"[^>]*>Approvals\s*<span[^>]*id="approvals-count">1<', html)


def test_search_and_sort(client_as, joao, awaiting, user, approval_activity, contract):
    other = factories.open_ticket(
        requester=user, activity=approval_activity, contract=contract, title="Laptop"
    )
    client = client_as(joao)
    html = client.get(reverse("approvals:list"), {"search": "laptop"}).content.decode()
    assert f'id="ticket-{other.pk}"' in html
    assert f'id="ticket-{awaiting.pk}"' not in html
    html = client.get(reverse("approvals:list"), {"sort": "ticket", "order": "asc"}).content.decode()
    assert html.index(f'id="ticket-{awaiting.pk}"') < html.index(f'id="ticket-{other.pk}"')
    html = client.get(reverse("approvals:list"), {"search": "nothing-like-it"}).content.decode()
    assert 'id="approvals-empty"' in html


def test_a_non_approver_has_no_approvals_item_and_gets_404(client_as, user, awaiting, attendant):
    for outsider in (user, attendant):
        client = client_as(outsider)
        home = client.get(reverse("tickets:my-requests")).content.decode()
        assert 'id="menu-approvals-list"' not in home
        assert client.get(reverse("approvals:list")).status_code == 404
        for name in ("decide", "description", "attachments", "history"):
            assert client.get(reverse(f"approvals:{name}", args=[awaiting.pk])).status_code == 404, name
        assert (
            client.post(reverse("approvals:decide", args=[awaiting.pk]), {"decision": "approved"}).status_code
            == 404
        )
    awaiting.refresh_from_db()
    assert awaiting.situation == Situation.REGISTERED


def test_an_approver_in_another_group_gets_404(client_as, awaiting, approval_activity):
    other_group = factories.GroupFactory(name="Finance approvers")
    factories.ActivityFactory(approver_group=other_group, executor_group=approval_activity.executor_group)
    finance = factories.UserFactory(username="fin", groups=[other_group])
    client = client_as(finance)
    assert client.get(reverse("approvals:list")).status_code == 200
    assert client.get(reverse("approvals:decide", args=[awaiting.pk])).status_code == 404


def test_not_approved_without_justification_shows_errors_and_changes_nothing(
    client_as, joao, awaiting, justification
):
    response = client_as(joao).post(
        reverse("approvals:decide", args=[awaiting.pk]), {"decision": "not_approved"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_justification-errors"' in html
    assert 'id="id_justification_complement-errors"' in html
    awaiting.refresh_from_db()
    assert (awaiting.situation, awaiting.current_task) == (Situation.REGISTERED, Task.APPROVAL)
    assert not Decision.objects.exists()


def test_not_approved_with_justification_closes_and_the_requester_sees_the_occurrence(
    client_as, joao, user, awaiting, justification, set_param
):
    set_param(298, True)
    response = client_as(joao).post(
        reverse("approvals:decide", args=[awaiting.pk]),
        {
            "decision": "not_approved",
            "justification": justification.pk,
            "justification_complement": "Ask again in January.",
        },
        follow=True,
    )
    assert "not approved: it is closed" in response.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.situation == Situation.CLOSED
    html = client_as(user).get(reverse("tickets:occurrences", args=[awaiting.pk])).content.decode()
    assert "Not approved by João Souza: No budget this year — Ask again in January." in html


def test_approved_leaves_the_list_and_the_second_post_is_refused(client_as, joao, awaiting):
    client = client_as(joao)
    url = reverse("approvals:decide", args=[awaiting.pk])
    client.post(url, {"decision": "approved", "observations": "ok"})
    awaiting.refresh_from_db()
    assert (awaiting.situation, awaiting.current_task) == (Situation.IN_PROGRESS, Task.CAPTURE)
    assert f'id="ticket-{awaiting.pk}"' not in client.get(reverse("approvals:list")).content.decode()
    response = client.post(url, {"decision": "approved"}, follow=True)
    assert "is no longer awaiting approval" in response.content.decode()
    assert Decision.objects.count() == 1


def test_history_lists_the_decision_for_the_group_and_staff(
    client_as, joao, awaiting, admin_user, attendant, user
):
    client_as(joao).post(reverse("approvals:decide", args=[awaiting.pk]), {"decision": "approved"})
    html = client_as(joao).get(reverse("approvals:history", args=[awaiting.pk])).content.decode()
    assert 'id="decision-table"' in html
    assert "João Souza" in html
    assert "Approvals: 1 · Rejections: 0" in html
    # staff who see the ticket (it is now in the service desk's queue), superusers
    assert client_as(attendant).get(reverse("approvals:history", args=[awaiting.pk])).status_code == 200
    assert client_as(admin_user).get(reverse("approvals:history", args=[awaiting.pk])).status_code == 200
    # the requester is not the approver group
    assert client_as(user).get(reverse("approvals:history", args=[awaiting.pk])).status_code == 404


def test_row_action_pages(client_as, joao, awaiting, set_param):
    client = client_as(joao)
    assert (
        awaiting.description
        in client.get(reverse("approvals:description", args=[awaiting.pk])).content.decode()
    )
    assert client.get(reverse("approvals:attachments", args=[awaiting.pk])).status_code == 200
    assert client.get(reverse("approvals:occurrences", args=[awaiting.pk])).status_code == 404  # 298 = N
    set_param(298, True)
    html = client.get(reverse("approvals:occurrences", args=[awaiting.pk])).content.decode()
    assert "Ticket registered by" in html


def test_the_substitute_sees_on_behalf_of(client_as, joao, awaiting, substitute):
    client = client_as(substitute)
    assert client.get(reverse("approvals:list")).status_code == 404
    now = timezone.now()
    absence_declare(  # the service: it bumps the cached menu (portal/shell.py)
        user=joao, substitute=substitute, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    html = client.get(reverse("approvals:list")).content.decode()
    assert f'id="ticket-{awaiting.pk}"' in html
    assert "on behalf of João Souza" in html
    assert 'id="approvals-count">1<' in html
    client.post(reverse("approvals:decide", args=[awaiting.pk]), {"decision": "approved"})
    decision = Decision.objects.get()
    assert (decision.decided_by, decision.on_behalf_of) == (substitute, joao)


def test_absence_page_declares_and_ends(client_as, joao, substitute):
    client = client_as(joao)
    now = timezone.localtime()
    response = client.post(
        reverse("approvals:absences"),
        {
            "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "substitute": "carla",
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.user, absence.substitute, absence.is_active()) == (joao, substitute, True)
    html = client.get(reverse("approvals:absences")).content.decode()
    assert "Carla Costa" in html
    client.post(reverse("approvals:absence-end", args=[absence.pk]))
    absence.refresh_from_db()
    assert not absence.is_active()
    response = client.post(
        reverse("approvals:absences"), {"starts_at": "x", "ends_at": "y", "substitute": "joao"}
    )
    assert response.status_code == 200
    assert "someone else" in response.content.decode()
    # another user's absence cannot be ended
    assert client_as(substitute).post(reverse("approvals:absence-end", args=[absence.pk])).status_code == 404


def _approval_tickets(n, *, requester, activity, contract):
    for i in range(n):
        factories.open_ticket(requester=requester, activity=activity, contract=contract, title=f"Request {i}")


@pytest.mark.parametrize("search", ["", "request"])
def test_the_list_costs_a_fixed_number_of_queries(
    client_as, joao, user, approval_activity, contract, django_assert_num_queries, search, substitute
):
    # joao also substitutes an absent approver of another group: both parts of the scope are used
    other_group = factories.GroupFactory(name="Finance approvers")
    absent = factories.UserFactory(username="absent", groups=[other_group])
    now = timezone.now()
    Absence.objects.create(
        user=absent, substitute=joao, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    client = client_as(joao)
    url = reverse("approvals:list") + (f"?search={search}" if search else "")
    _approval_tickets(3, requester=user, activity=approval_activity, contract=contract)
    client.get(url)  # warm the session and the parameter cache
    counts = []
    for extra in (0, 20):
        _approval_tickets(extra, requester=user, activity=approval_activity, contract=contract)
        client.get(url)  # the shell's state, recomputed after the entries' bump (portal/shell.py)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    expected = counts[0]
    with django_assert_num_queries(expected):
        client.get(url)
    # user, page ids (the count only when the page is full), page rows, parameters; a search adds
    # the catalog names it matches. The session, the approver scope and the shell's state come from
    # the cache (approvals/selectors.py, portal/shell.py).
    assert expected == (5 if search else 4)
    Absence.objects.all().delete()  # a raw delete announces nothing: the cache's bound, or a clear
    cache.clear()
    client.get(url)
    with django_assert_num_queries(expected):
        client.get(url)


def test_a_search_reads_its_page_only(client_as, joao, user, approval_activity, contract):
    """Like My Requests (core/pagination.py): a searched list reads its page, not ten pages."""
    _approval_tickets(45, requester=user, activity=approval_activity, contract=contract)
    client = client_as(joao)
    searched = client.get(reverse("approvals:list") + "?search=request").content.decode()
    assert "More than 20 tickets await approval" in searched
    listed = client.get(reverse("approvals:list")).content.decode()
    assert "45 tickets await approval" in listed  # read within ten pages
