"""A form per service (issue 27), in a browser, in English, Portuguese and Spanish: the demo's "New
laptop" form shows the Justification only while the Premium model is chosen, a premium request
without it is refused by the server (the form has no browser check: ``novalidate``) with the message
next to the field, and once answered the request is registered and its answers are on its
Description page.

The expected labels are written out per language (not looked up in the catalogs), so a missing
translation fails the test. The questions themselves are the administrator's texts (English here).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.demo import seed_request_forms
from questionnaires.demo import JUSTIFICATION, MODEL
from questionnaires.models import Question
from tests import factories
from tickets.models import Ticket

LABELS = {
    "en": {
        "Title": "Title",
        "Description": "Description",
        "Add and Finish": "Add and Finish",
        "required": "This field is required.",
        "Answers": "Answers to the request form",
    },
    "pt-br": {
        "Title": "Título",
        "Description": "Descrição",
        "Add and Finish": "Adicionar e finalizar",
        "required": "Este campo é obrigatório.",
        "Answers": "Respostas ao formulário de solicitação",
    },
    "es": {
        "Title": "Título",
        "Description": "Descripción",
        "Add and Finish": "Agregar y finalizar",
        "required": "Este campo es obligatorio.",
        "Answers": "Respuestas al formulario de solicitud",
    },
}


@pytest.fixture
def new_laptop(transactional_db, portal_ready):
    desk = factories.GroupFactory(name="Service desk")
    service = factories.ServiceFactory(name="Workstation")
    activity = factories.ActivityFactory(service=service, name="New laptop", executor_group=desk)
    seed_request_forms({"New laptop": activity})
    questions = {q.text: q for q in Question.objects.filter(group__questionnaire__activities=activity)}
    return activity, questions


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_new_laptop_asks_the_justification_only_for_premium(page, login, maria, new_laptop, lang):
    t = LABELS[lang]
    maria.preferred_language = lang
    maria.save(update_fields=["preferred_language"])
    activity, q = new_laptop
    login(page, "maria", "maria")
    page.goto(reverse("catalog:activity-new", kwargs={"pk": activity.pk}))
    justification = page.locator(f'[data-question="{q[JUSTIFICATION].pk}"]')
    model = page.locator(f'[data-question="{q[MODEL].pk}"]')
    expect(justification).to_be_hidden()
    model.get_by_label("Premium", exact=True).check()
    expect(justification).to_be_visible()
    model.get_by_label("Standard", exact=True).check()
    expect(justification).to_be_hidden()

    # Premium without a justification: the server refuses it, the message next to the field.
    page.get_by_label(t["Title"], exact=True).fill(f"Laptop ({lang})")
    page.get_by_label(t["Description"], exact=True).fill("For video editing.")
    model.get_by_label("Premium", exact=True).check()
    page.get_by_label("Docking station", exact=True).check()
    page.get_by_role("button", name=t["Add and Finish"], exact=True).click()
    expect(page.locator(f"#id_q{q[JUSTIFICATION].pk}-errors")).to_have_text(t["required"])
    assert not Ticket.objects.exists()

    # Answered: registered, and the answers are on its Description page.
    expect(justification).to_be_visible()
    justification.get_by_role("textbox").fill("4K video editing all day.")
    page.get_by_role("button", name=t["Add and Finish"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/submitted/"))
    ticket = Ticket.objects.get()
    assert [a["text"] for a in ticket.answers] == [MODEL, "Accessories", JUSTIFICATION]
    page.goto(reverse("tickets:description", kwargs={"pk": ticket.pk}))
    answers = page.locator("#ticket-answers")
    expect(page.get_by_role("heading", name=t["Answers"], exact=True)).to_be_visible()
    expect(answers).to_contain_text("Premium")
    expect(answers).to_contain_text("Docking station")
    expect(answers).to_contain_text("4K video editing all day.")
