"""Approvals (docs/domain.md, element 11) in a real browser, in English, Portuguese and Spanish:
joao (approver group) finds maria's request in Approvals with the menu count and the 13 columns,
opens Approve, tries Not approved without a justification (errors next to the fields, nothing
changes), then with one: the ticket is Closed, maria reads the occurrence in her Occurrence list and
her e-mail reaches a real SMTP server on loopback. Approving another sends it to the attendant, who
captures it; the history lists the decision. maria has no Approvals item and gets 404 on the form.

The expected labels are written out per language (not looked up in the catalogs), so a missing
translation fails the test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from approvals.email_templates import email_templates_ensure
from approvals.models import Justification
from parameters.services import parameter_set
from tests import factories
from tests.tickets.helpers import TICKET_COLUMNS
from tickets.models import Situation, Task, Ticket

LABELS = {
    "en": {
        "Approvals": "Approvals",
        "Approve": "Approve",
        "Not approved": "Not approved",
        "Approved": "Approved",
        "Justification": "Justification",
        "Justification complement": "Justification complement",
        "Save": "Save",
        "Occurrence": "Occurrence",
        "Approval history": "Approval history",
        "Executed": "Executed",
        "Closed": "Closed",
        "columns": TICKET_COLUMNS,
    },
    "pt-br": {
        "Approvals": "Aprovações",
        "Approve": "Aprovar",
        "Not approved": "Não aprovado",
        "Approved": "Aprovado",
        "Justification": "Justificativa",
        "Justification complement": "Complemento da justificativa",
        "Save": "Salvar",
        "Occurrence": "Ocorrência",
        "Approval history": "Histórico de aprovação",
        "Executed": "Executadas",
        "Closed": "Fechada",
        "columns": None,
    },
    "es": {
        "Approvals": "Aprobaciones",
        "Approve": "Aprobar",
        "Not approved": "No aprobado",
        "Approved": "Aprobado",
        "Justification": "Justificación",
        "Justification complement": "Complemento de la justificación",
        "Save": "Guardar",
        "Occurrence": "Ocurrencia",
        "Approval history": "Historial de aprobación",
        "Executed": "Ejecutadas",
        "Closed": "Cerrada",
        "columns": None,
    },
}


@pytest.fixture
def data(maria, transactional_db):
    email_templates_ensure()  # migration 0002's rows (flushed by the transactional tests run before)
    desk = factories.GroupFactory(name="Service desk")
    approvers = factories.GroupFactory(name="Approvers")
    joao = factories.UserFactory(
        username="joao", password="joao", first_name="João", last_name="Souza", groups=[approvers]
    )
    attendant = factories.UserFactory(
        username="attendant", password="attendant", first_name="Ana", is_staff=True, groups=[desk]
    )
    activity = factories.ActivityFactory(name="VPN access", executor_group=desk, approver_group=approvers)
    contract = factories.ContractFactory()
    reject_me = factories.open_ticket(
        requester=maria, activity=activity, contract=contract, title="VPN on a personal laptop"
    )
    approve_me = factories.open_ticket(
        requester=maria, activity=activity, contract=contract, title="VPN to work from home"
    )
    Justification.objects.create(name="Security policy")
    parameter_set(p=298, value=True)  # the requester's Occurrence list
    return {"joao": joao, "attendant": attendant, "reject": reject_me, "approve": approve_me}


def _menu(page):
    return page.get_by_role("navigation", name=re.compile("."))


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_not_approved_closes_and_informs_the_requester(page, new_page, login, maria, data, smtp, lang):
    t = LABELS[lang]
    joao, ticket = data["joao"], data["reject"]
    for user in (joao, maria):
        user.preferred_language = lang
        user.save(update_fields=["preferred_language"])

    login(page, "joao", "joao")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    item = page.locator("#menu-approvals-list")
    expect(item).to_contain_text(t["Approvals"])
    expect(page.locator("#approvals-count")).to_contain_text("2")
    item.click()
    expect(page.get_by_role("heading", name=t["Approvals"], level=1)).to_be_visible()
    headers = page.locator("#approvals-table thead th")
    expect(headers).to_have_count(14)  # the 13 columns and the actions
    if t["columns"]:
        expect(headers.nth(0)).to_have_text(t["columns"][0])
        assert [h.strip() for h in headers.all_inner_texts()[:13]] == t["columns"]
    row = page.locator(f"#ticket-{ticket.pk}")
    expect(row).to_contain_text("VPN on a personal laptop")

    row.get_by_role("link", name=t["Approve"], exact=True).click()
    page.get_by_label(t["Not approved"], exact=True).check()
    page.get_by_role("button", name=t["Save"], exact=True).click()
    expect(page.locator("#id_justification-errors")).to_be_visible()
    expect(page.locator("#id_justification_complement-errors")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.situation, ticket.current_task) == (Situation.REGISTERED, Task.APPROVAL)

    page.get_by_label(t["Justification"], exact=True).select_option(label="Security policy")
    page.get_by_label(t["Justification complement"], exact=True).fill(f"Personal devices ({lang}).")
    page.get_by_role("button", name=t["Save"], exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"#ticket-{ticket.pk}")).to_have_count(0)
    expect(page.locator("#approvals-count")).to_contain_text("1")
    ticket.refresh_from_db()
    assert ticket.situation == Situation.CLOSED

    # maria: no Approvals item, 404 on the form; the occurrence is in her Occurrence list
    requester = new_page()
    login(requester, "maria", "maria")
    expect(requester.locator("#menu-approvals-list")).to_have_count(0)
    response = requester.goto(f"/approvals/{data['approve'].pk}/")
    assert response is not None
    assert response.status == 404
    requester.goto("/my-requests/")
    row = requester.locator(f"#ticket-{ticket.pk}")
    row.locator("[data-actions-toggle]").click()  # the row's menu of actions
    row.get_by_role("link", name=t["Occurrence"], exact=True).click()
    occurrences = requester.locator("#occurrence-list")
    expect(occurrences).to_contain_text(f"Security policy — Personal devices ({lang}).")

    # the requester's e-mail reached the SMTP server
    mail = smtp.wait_for(lambda m: "maria@example.com" in (m["To"] or ""), timeout=20)
    assert mail is not None, "no e-mail to the requester reached the SMTP server"
    plain = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert f"({lang})".encode() in plain


def test_approved_goes_to_the_attendant_and_the_history_lists_it(page, new_page, login, data):
    ticket = data["approve"]
    login(page, "joao", "joao")
    page.goto("/approvals/")
    page.locator(f"#ticket-{ticket.pk}").get_by_role("link", name="Approve", exact=True).click()
    page.get_by_label("Approved", exact=True).check()
    page.get_by_label("Observations").fill("Fine for Fridays.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(f"#ticket-{ticket.pk}")).to_have_count(0)
    ticket.refresh_from_db()
    assert (ticket.situation, ticket.current_task) == (Situation.IN_PROGRESS, Task.CAPTURE)

    page.goto(f"/approvals/{ticket.pk}/history/")
    expect(page.locator("#decision-table")).to_contain_text("João Souza")
    expect(page.locator("#decision-table")).to_contain_text("Fine for Fridays.")
    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page.locator("#no-pending")).to_be_visible()
    page.get_by_role("tab", name=re.compile("History")).click()
    expect(page.locator("#approval-events")).to_contain_text("Approved by João Souza")

    staff = new_page()
    staff.context.route(  # see tests/e2e/test_actions.py: admin forms.css @import under axe
        re.compile(r".*/admin/.*widgets\.css.*"),
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )
    login(staff, "attendant", "attendant")
    staff.goto(f"/admin/tickets/ticket/{ticket.pk}/change/")
    staff.locator("#transition-capture").click()
    staff.locator("input[name=_confirm]").click()
    expect(staff.locator(".messagelist")).to_be_visible()
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert (fresh.current_task, fresh.responsible_id) == (Task.EXECUTION, data["attendant"].pk)
