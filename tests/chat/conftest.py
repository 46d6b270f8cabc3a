import pytest

from tests import factories


@pytest.fixture
def chat_ready(db, portal_ready, catalog, set_param, service_desk):
    """Chat on (316), origin 315 "Chat", activity 317 = Toner replacement; Printing's activities
    available via chat (Printer is broken, Toner replacement), Payroll's not."""
    origin = factories.OriginFactory(name="Chat")
    technical, printing = catalog["technical"], catalog["printing"]
    for item in (technical, printing, catalog["jam"], catalog["toner"]):
        item.available_via_chat = True
        item.save(update_fields=["available_via_chat"])
    set_param(316, True)
    set_param(315, origin.pk)
    set_param(317, catalog["toner"].pk)
    return {**catalog, "origin": origin}


@pytest.fixture
def away_template(db, set_param):
    template = factories.EmailTemplateFactory(
        name="Chat away",
        subject="Request ${IDSERVICEREQUEST}: ${AUTHOR} wrote",
        body="${MESSAGE}\n${LINKSOLICITACAOSERVICO}",
    )
    set_param(447, template.pk)
    return template
