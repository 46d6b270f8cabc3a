"""Requirement document 000, walked in a browser as ``maria``, in English, Portuguese and Spanish:
menu → My Requests → filter by Situation "In Progress" and a search word → "+" on an In Progress
ticket → Category, Origin, Occurrence, Notify Responsible → Save → the occurrence is in the
Occurrence list, and an e-mail reaches a real SMTP server on loopback, addressed to the responsible.

The expected labels are written out per language here (not looked up in the catalogs), so a missing
translation fails the test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parameters.services import parameter_set
from tests import factories
from tickets.services.transitions import ticket_capture

LABELS = {
    "en": {
        "My Requests": "My Requests",
        "Search": "Search",
        "Situation": "Situation",
        "In Progress": "In Progress",
        "Filter": "Filter",
        "Register occurrence": "Register occurrence",
        "Occurrence Register": "Occurrence Register",
        "Category": "Category",
        "Origin": "Origin",
        "Occurrence": "Occurrence",
        "Notify Responsible": "Notify Responsible",
        "Save": "Save",
        "Occurrence registered.": "Occurrence registered.",
    },
    "pt-br": {
        "My Requests": "Minhas solicitações",
        "Search": "Pesquisar",
        "Situation": "Situação",
        "In Progress": "Em andamento",
        "Filter": "Filtrar",
        "Register occurrence": "Registrar ocorrência",
        "Occurrence Register": "Registro de ocorrência",
        "Category": "Categoria",
        "Origin": "Origem",
        "Occurrence": "Ocorrência",
        "Notify Responsible": "Notificar responsável",
        "Save": "Salvar",
        "Occurrence registered.": "Ocorrência registrada.",
    },
    "es": {
        "My Requests": "Mis solicitudes",
        "Search": "Buscar",
        "Situation": "Situación",
        "In Progress": "En curso",
        "Filter": "Filtrar",
        "Register occurrence": "Registrar ocurrencia",
        "Occurrence Register": "Registro de ocurrencia",
        "Category": "Categoría",
        "Origin": "Origen",
        "Occurrence": "Ocurrencia",
        "Notify Responsible": "Notificar al responsable",
        "Save": "Guardar",
        "Occurrence registered.": "Ocurrencia registrada.",
    },
}


@pytest.fixture
def walk_data(maria, transactional_db):
    desk = factories.GroupFactory(name="Service desk")
    attendant = factories.UserFactory(
        username="attendant",
        password="attendant",
        is_staff=True,
        email="attendant@example.com",
        groups=[desk],
    )
    activity = factories.ActivityFactory(executor_group=desk, name="Hardware repair")
    contract = factories.ContractFactory()
    target = factories.open_ticket(
        requester=maria,
        activity=activity,
        contract=contract,
        title="Printer jams on every page",
        description="Paper jam, floor 2.",
    )
    ticket_capture(ticket=target, actor=attendant)
    other = factories.open_ticket(
        requester=maria,
        activity=activity,
        contract=contract,
        title="Monitor flickers",
        description="The screen flickers.",
    )
    category = factories.CategoryFactory(name="Customer follow-up")
    origin = factories.OriginFactory(name="Portal")
    template = factories.EmailTemplateFactory(
        name="Occurrence registered through the portal",
        subject="Ticket ${IDSERVICEREQUEST}: new occurrence",
        body="Ticket ${IDSERVICEREQUEST} has a new occurrence: ${OCCURRENCE} ${LINKSOLICITACAOSERVICO}",
    )
    for number, value in ((252, True), (253, template.pk), (298, True)):
        parameter_set(p=number, value=value)
    return {"target": target, "other": other, "category": category, "origin": origin}


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_register_occurrence_walkthrough(page, login, maria, walk_data, smtp, lang):
    t = LABELS[lang]
    maria.preferred_language = lang
    maria.save(update_fields=["preferred_language"])
    target, other = walk_data["target"], walk_data["other"]
    text = f"Still jamming after the new toner ({lang}) <script>alert(1)</script>"

    login(page, "maria", "maria")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # Menu → My Requests
    page.get_by_role("navigation", name=re.compile(".")).get_by_role("link", name=t["My Requests"]).click()
    expect(page.get_by_role("heading", name=t["My Requests"])).to_be_visible()

    # Filters: Situation "In Progress" and a search word
    page.get_by_label(t["Search"], exact=True).fill("printer")
    page.get_by_label(t["Situation"], exact=True).select_option(label=t["In Progress"])
    page.get_by_role("button", name=t["Filter"], exact=True).click()
    expect(page).to_have_url(re.compile(r"search=printer"))
    row = page.locator(f"#ticket-{target.pk}")
    expect(row).to_be_visible()
    expect(page.locator(f"#ticket-{other.pk}")).to_have_count(0)

    # "+" on the In Progress ticket → Occurrence Register
    row.get_by_role("link", name=t["Register occurrence"], exact=True).click()
    expect(page.get_by_role("heading", name=t["Occurrence Register"])).to_be_visible()
    # By accessible name: what a screen reader announces (the required "*" is hidden by the CSS).
    page.get_by_role("combobox", name=t["Category"], exact=True).select_option(label="Customer follow-up")
    page.get_by_role("combobox", name=t["Origin"], exact=True).select_option(label="Portal")
    page.get_by_role("textbox", name=t["Occurrence"], exact=True).fill(text)
    page.get_by_label(t["Notify Responsible"], exact=True).check()
    page.get_by_role("button", name=t["Save"], exact=True).click()

    # Back on My Requests, filters kept, with the confirmation
    expect(page.get_by_text(t["Occurrence registered."])).to_be_visible()
    expect(page).to_have_url(re.compile(r"search=printer"))

    # The Occurrence list shows it (as text: the <script> is not run)
    row = page.locator(f"#ticket-{target.pk}")
    row.locator("[data-actions-toggle]").click()  # the row's menu of actions
    row.get_by_role("link", name=t["Occurrence"], exact=True).click()
    entry = page.locator("#occurrence-list li[data-occurrence]").first
    entry.locator("summary").click()
    expect(entry.locator(".occurrence-text")).to_have_text(text)

    # The e-mail reached the SMTP server, addressed to the responsible
    mail = smtp.wait_for(lambda m: "attendant@example.com" in (m["To"] or ""), timeout=20)
    assert mail is not None, "no e-mail to the responsible reached the SMTP server"
    assert mail.is_multipart()
    plain = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    html = next(p for p in mail.walk() if p.get_content_type() == "text/html").get_payload(decode=True)
    assert f"({lang})".encode() in plain
    assert b"<script>alert(1)</script>" not in html
    assert b"http://portal.example.test/" in html
