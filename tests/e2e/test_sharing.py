"""Units, shared requests and people in copy (issue 27), in a browser, in English, Portuguese and
Spanish: a unit manager sees the team's requests under "Shared with me" and cannot cancel them; a
colleague in Colleagues mode adds a message but cannot cancel; with No neither sees anything; a person
in copy receives the e-mail of a new occurrence and sees the request, until the requester removes them;
a catalog item restricted to a unit is invisible, and 404 by URL, to others.

The expected labels are written out per language (not looked up in the catalogs), so a missing
translation fails the test.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Unit
from parameters.services import parameter_set
from tests import factories
from tickets.models import TicketCopy
from tickets.services.transitions import ticket_capture

LABELS = {
    "en": {
        "My Requests": "My Requests",
        "Show": "Show",
        "Shared with me": "Shared with me",
        "Filter": "Filter",
        "Requester": "Requester",
        "Message": "Message",
        "Send": "Send",
        "Message sent.": "Message sent.",
        "only the requester": "Only the requester can do this with the request.",
        "Find a colleague": "Find a colleague",
        "Search": "Search",
        "Add to copy": "Add to copy",
        "in copy": "is now in copy.",
        "Remove": "Remove",
        "removed": "The person was removed from copy.",
        "Register occurrence": "Register occurrence",
        "Category": "Category",
        "Origin": "Origin",
        "Occurrence": "Occurrence",
        "Notify Responsible": "Notify Responsible",
        "Save": "Save",
        "Page not found": "Page not found",
        "No request is shared with you.": "No request is shared with you.",
    },
    "pt-br": {
        "My Requests": "Minhas solicitações",
        "Show": "Mostrar",
        "Shared with me": "Compartilhadas comigo",
        "Filter": "Filtrar",
        "Requester": "Solicitante",
        "Message": "Mensagem",
        "Send": "Enviar",
        "Message sent.": "Mensagem enviada.",
        "only the requester": "Só o solicitante pode fazer isso com a solicitação.",
        "Find a colleague": "Encontrar um colega",
        "Search": "Pesquisar",
        "Add to copy": "Pôr em cópia",
        "in copy": "agora está em cópia.",
        "Remove": "Remover",
        "removed": "A pessoa foi removida da cópia.",
        "Register occurrence": "Registrar ocorrência",
        "Category": "Categoria",
        "Origin": "Origem",
        "Occurrence": "Ocorrência",
        "Notify Responsible": "Notificar responsável",
        "Save": "Salvar",
        "Page not found": "Página não encontrada",
        "No request is shared with you.": "Nenhuma solicitação está compartilhada com você.",
    },
    "es": {
        "My Requests": "Mis solicitudes",
        "Show": "Mostrar",
        "Shared with me": "Compartidas conmigo",
        "Filter": "Filtrar",
        "Requester": "Solicitante",
        "Message": "Mensaje",
        "Send": "Enviar",
        "Message sent.": "Mensaje enviado.",
        "only the requester": "Solo el solicitante puede hacer esto con la solicitud.",
        "Find a colleague": "Buscar un compañero",
        "Search": "Buscar",
        "Add to copy": "Poner en copia",
        "in copy": "ahora está en copia.",
        "Remove": "Quitar",
        "removed": "La persona fue quitada de la copia.",
        "Register occurrence": "Registrar ocurrencia",
        "Category": "Categoría",
        "Origin": "Origen",
        "Occurrence": "Ocurrencia",
        "Notify Responsible": "Notificar al responsable",
        "Save": "Guardar",
        "Page not found": "Página no encontrada",
        "No request is shared with you.": "Ninguna solicitud está compartida con usted.",
    },
}


@pytest.fixture
def team(maria, transactional_db):
    """maria manages Finance; joao works there too; each has a captured request."""
    finance = Unit.objects.create(name="Finance")
    joao = factories.UserFactory(
        username="joao", password="joao", first_name="João", last_name="Souza", unit=finance
    )
    maria.unit, maria.is_unit_manager = finance, True
    maria.save(update_fields=["unit", "is_unit_manager"])
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
    tickets = {}
    for who, title in ((maria, "Printer jams on every page"), (joao, "Laptop battery dies")):
        tickets[who.username] = ticket_capture(
            ticket=factories.open_ticket(requester=who, activity=activity, contract=contract, title=title),
            actor=attendant,
        )
    for number, value in ((302, True), (299, True), (298, True), (252, True)):
        parameter_set(p=number, value=value)
    return {"joao": joao, "tickets": tickets, "finance": finance}


def _speak(user, lang):
    user.preferred_language = lang
    user.save(update_fields=["preferred_language"])


def _shared_with_me(page, t):
    page.goto(reverse("tickets:my-requests"))
    page.get_by_label(t["Show"], exact=True).select_option(label=t["Shared with me"])
    page.get_by_role("button", name=t["Filter"], exact=True).click()
    expect(page).to_have_url(re.compile(r"scope=shared"))


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_shared_with_me_by_mode(page, new_page, login, maria, team, lang):
    t = LABELS[lang]
    joao = team["joao"]
    _speak(maria, lang)
    _speak(joao, lang)
    hers, his = team["tickets"]["maria"], team["tickets"]["joao"]

    # Unit managers: maria sees joao's request with its requester, and cannot cancel it.
    parameter_set(p=2701, value="MANAGERS")
    login(page, "maria", "maria")
    _shared_with_me(page, t)
    row = page.locator(f"#ticket-{his.pk}")
    expect(row).to_be_visible()
    expect(page.get_by_role("columnheader", name=t["Requester"], exact=True)).to_be_visible()
    expect(row.locator(".ticket-requester-name")).to_have_text("João Souza")
    expect(page.locator(f"#ticket-{hers.pk}")).to_have_count(0)
    row.locator("[data-actions-toggle]").click()
    expect(row.locator('[data-action="message"]')).to_have_count(1)
    expect(row.locator('[data-action="cancel"]')).to_have_count(0)
    page.goto(reverse("tickets:cancel", args=[his.pk]))  # the URL typed in: refused
    expect(page.get_by_text(t["only the requester"])).to_be_visible()

    # Colleagues: joao sees maria's request, adds a message, cannot cancel.
    parameter_set(p=2701, value="COLLEAGUES")
    other = new_page()
    login(other, "joao", "joao")
    _shared_with_me(other, t)
    row = other.locator(f"#ticket-{hers.pk}")
    expect(row.locator(".ticket-requester-name")).to_have_text("Maria Silva")
    row.locator("[data-actions-toggle]").click()
    expect(row.locator('[data-action="cancel"]')).to_have_count(0)
    row.get_by_role("link", name=t["Message"], exact=True).click()
    other.locator("#message-form textarea").fill(f"Same problem here ({lang})")
    other.get_by_role("button", name=t["Send"], exact=True).click()
    expect(other.get_by_text(t["Message sent."])).to_be_visible()

    # No sharing: neither sees anything (joao leaves the Message page first: its poll would end in 404).
    other.goto(reverse("tickets:my-requests"))
    parameter_set(p=2701, value="N")
    for p in (page, other):
        _shared_with_me(p, t)
        expect(p.get_by_text(t["No request is shared with you."])).to_be_visible()
        expect(p.locator("tr[data-ticket]")).to_have_count(0)
    other.goto(reverse("tickets:description", args=[hers.pk]))
    expect(other.get_by_role("heading", name=t["Page not found"])).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_a_person_in_copy_gets_the_emails_until_removed(page, new_page, login, maria, team, smtp, lang):
    t = LABELS[lang]
    joao = team["joao"]
    _speak(maria, lang)
    _speak(joao, lang)
    hers = team["tickets"]["maria"]
    parameter_set(p=2701, value="N")  # joao reads it only because he is in copy
    template = factories.EmailTemplateFactory(
        subject="Ticket ${IDSERVICEREQUEST}: new occurrence",
        body="Ticket ${IDSERVICEREQUEST} has a new occurrence: ${OCCURRENCE} ${LINKSOLICITACAOSERVICO}",
    )
    parameter_set(p=253, value=template.pk)
    parameter_set(p=251, value=template.pk)
    factories.CategoryFactory(name="Customer follow-up")
    factories.OriginFactory(name="Portal")

    # maria puts joao in copy from her request's page.
    login(page, "maria", "maria")
    page.goto(reverse("tickets:description", args=[hers.pk]))
    page.get_by_label(t["Find a colleague"], exact=True).fill("jo")
    page.locator("#copy-search-submit").click()
    page.locator(f'[data-copy-add="{joao.pk}"]').click()
    expect(page.get_by_text(t["in copy"], exact=False)).to_be_visible()
    expect(page.locator("#ticket-copies-list")).to_contain_text("João Souza")

    # A new occurrence: joao gets its e-mail.
    page.goto(reverse("occurrences:register", args=[hers.pk]))
    page.get_by_role("combobox", name=t["Category"], exact=True).select_option(label="Customer follow-up")
    page.get_by_role("combobox", name=t["Origin"], exact=True).select_option(label="Portal")
    page.get_by_role("textbox", name=t["Occurrence"], exact=True).fill(f"Still jamming ({lang})")
    page.get_by_label(t["Notify Responsible"], exact=True).check()
    page.get_by_role("button", name=t["Save"], exact=True).click()
    mail = smtp.wait_for(lambda m: "joao@example.com" in (m["To"] or ""), timeout=20)
    assert mail is not None, "no e-mail to the person in copy reached the SMTP server"
    plain = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert f"Still jamming ({lang})".encode() in plain

    # joao sees the request.
    other = new_page()
    login(other, "joao", "joao")
    other.goto(reverse("tickets:description", args=[hers.pk]))
    expect(other.locator("#ticket-description")).to_be_visible()

    # maria removes him: it ends.
    page.goto(reverse("tickets:description", args=[hers.pk]))
    page.locator(f'[data-copy-remove="{joao.pk}"]').click()
    expect(page.get_by_text(t["removed"])).to_be_visible()
    assert not TicketCopy.objects.filter(ticket=hers, user=joao).exists()
    other.reload()
    expect(other.get_by_role("heading", name=t["Page not found"])).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_a_catalog_item_restricted_to_a_unit_is_invisible_to_others(page, new_page, login, maria, team, lang):
    t = LABELS[lang]
    _speak(maria, lang)
    sales = Unit.objects.create(name="Sales")
    service = factories.ServiceFactory(name="Field sales kit")
    factories.ActivityFactory(service=service, name="Business cards")
    restricted = factories.ActivityFactory(service=service, name="Demo tablet")
    restricted.units.add(sales)
    login(page, "maria", "maria")
    page.goto(reverse("catalog:service", args=[service.pk]))
    expect(page.get_by_role("heading", name="Business cards")).to_be_visible()
    expect(page.get_by_role("heading", name="Demo tablet")).to_have_count(0)
    page.goto(reverse("catalog:activity-new", args=[restricted.pk]))
    expect(page.get_by_role("heading", name=t["Page not found"])).to_be_visible()
    # A member of Sales sees it.
    seller = factories.UserFactory(username="seller", password="seller", unit=sales)
    _speak(seller, lang)
    other = new_page()
    login(other, "seller", "seller")
    other.goto(reverse("catalog:service", args=[service.pk]))
    expect(other.get_by_role("heading", name="Demo tablet")).to_be_visible()
    expect(other.get_by_role("heading", name="Business cards")).to_be_visible()
