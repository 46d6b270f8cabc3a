"""The chat in a browser, with two browser contexts: ``maria`` starts a chat (Init attendance), the
ticket is in My Requests with origin 315 and the chat says Awaiting attendant; ``attendant`` sees it
in the console's Queue and accepts: maria sees Online; messages go both ways within seconds (the
page polls every 1.5 s here; the 2 s delivery target under load is measured by
tests/topology/test_chat_load.py); the attendant leaves the console: maria sees Awaiting attendant
again and her next message produces exactly one 447 e-mail at a real SMTP server on loopback.

Labels are written out per language (not looked up in the catalogs), so a missing translation fails.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from chat.models import Chat
from chat.services import chat_accept, chat_message_send, chat_start
from outbox.models import OutboundEmail
from parameters.services import parameter_set
from tests import factories
from tickets.models import Message

LABELS = {
    "en": {
        "Chat": "Chat",
        "Catalog": "Catalog",
        "Service": "Service",
        "Request/Incident": "Request/Incident",
        "Init attendance": "Init attendance",
        "Init direct attendance": "Init direct attendance",
        "Awaiting attendant": "Awaiting attendant",
        "Online": "Online",
        "Message": "Message",
        "Send": "Send",
        "My Requests": "My Requests",
    },
    "pt-br": {
        "Chat": "Chat",
        "Catalog": "Catálogo",
        "Service": "Serviço",
        "Request/Incident": "Solicitação/Incidente",
        "Init attendance": "Iniciar atendimento",
        "Init direct attendance": "Iniciar atendimento direto",
        "Awaiting attendant": "Aguardando atendente",
        "Online": "On-line",
        "Message": "Mensagem",
        "Send": "Enviar",
        "My Requests": "Minhas solicitações",
    },
    "es": {
        "Chat": "Chat",
        "Catalog": "Catálogo",
        "Service": "Servicio",
        "Request/Incident": "Solicitud/Incidente",
        "Init attendance": "Iniciar atención",
        "Init direct attendance": "Iniciar atención directa",
        "Awaiting attendant": "Esperando a un agente",
        "Online": "En línea",
        "Message": "Mensaje",
        "Send": "Enviar",
        "My Requests": "Mis solicitudes",
    },
}
DELIVERY_MS = 4000  # generous on a loaded 2-core machine; polling every 1.5 s delivers in about 1.5 s


@pytest.fixture
def chat_data(maria, transactional_db, browser_audit):
    desk = factories.GroupFactory(name="Service desk")
    attendant = factories.UserFactory(
        username="attendant",
        password="attendant",
        first_name="Ana",
        is_staff=True,
        email="attendant@example.com",
        groups=[desk],
    )
    portfolio = factories.PortfolioFactory(name="End-user computing", available_via_chat=True)
    service = factories.ServiceFactory(portfolio=portfolio, name="Printing", available_via_chat=True)
    jam = factories.ActivityFactory(
        service=service, name="Printer is broken", executor_group=desk, available_via_chat=True
    )
    toner = factories.ActivityFactory(
        service=service, name="Toner replacement", executor_group=desk, available_via_chat=True
    )
    other = factories.PortfolioFactory(name="Finance", available_via_chat=True)
    factories.ActivityFactory(
        service=factories.ServiceFactory(portfolio=other, name="Purchasing", available_via_chat=True),
        name="Purchase request",
        executor_group=desk,
        available_via_chat=True,
    )
    origin = factories.OriginFactory(name="Chat")
    template = factories.EmailTemplateFactory(
        name="Chat away",
        subject="Request ${IDSERVICEREQUEST}: ${AUTHOR} wrote in the chat",
        body="${AUTHOR} wrote: ${MESSAGE} ${LINKSOLICITACAOSERVICO}",
    )
    contract = factories.ContractFactory()
    for number, value in (
        (118, contract.pk),
        (316, True),
        (315, origin.pk),
        (317, toner.pk),
        (447, template.pk),
        (299, True),
    ):
        parameter_set(p=number, value=value)
    yield {"attendant": attendant, "jam": jam, "toner": toner, "origin": origin, "portfolio": portfolio}
    # The chat pages poll the live server: stop them, and let the requests under way finish, before
    # the database is flushed (this fixture is torn down before transactional_db's flush): a request
    # holding a table lock while TRUNCATE waits for all of them is a deadlock.
    for context in browser_audit.contexts:
        context.route("**/*", lambda route: route.abort())
    _wait_for_other_queries()


def _wait_for_other_queries(timeout: float = 15) -> None:
    if connection.vendor != "postgresql":
        return
    deadline, quiet = time.monotonic() + timeout, 0
    time.sleep(0.3)  # requests the browser sent just before its routes were closed
    while time.monotonic() < deadline and quiet < 5:  # quiet for half a second in a row
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            quiet = quiet + 1 if cursor.fetchone()[0] == 0 else 0
        time.sleep(0.1)


def _speak(maria, lang):
    maria.preferred_language = lang
    maria.save(update_fields=["preferred_language"])


def test_chat_two_browsers_accept_online_messages_away_email(new_page, login, maria, chat_data, smtp):
    t = LABELS["en"]
    user_page = login(new_page(), "maria", "maria")
    user_page.get_by_role("navigation", name="Main menu").get_by_role("link", name=t["Chat"]).click()
    expect(user_page.get_by_role("heading", name=t["Chat"], exact=True)).to_be_visible()
    expect(user_page.locator("#chat-nobody-online")).to_be_visible()  # nobody online: still startable
    user_page.get_by_label(t["Catalog"], exact=True).select_option(label="End-user computing")
    # The dependent list offers only the chosen catalog's services (Printing, chosen at once).
    expect(user_page.get_by_label(t["Service"], exact=True)).to_have_value(str(chat_data["jam"].service_id))
    user_page.get_by_label(t["Request/Incident"], exact=True).select_option(label="Printer is broken")
    user_page.get_by_label("Your message (optional)").fill("My printer is jammed <b>again</b>")
    user_page.get_by_role("button", name=t["Init attendance"]).click()

    chat = Chat.objects.select_related("ticket").get()
    number = chat.ticket_id
    assert chat.ticket.origin_id == chat_data["origin"].pk
    expect(user_page.get_by_role("heading", name=f"Chat — request {number}")).to_be_visible()
    expect(user_page.locator("#chat-state")).to_contain_text(t["Awaiting attendant"])
    expect(user_page.locator("#chat-registered")).to_contain_text(f"Request {number} is registered")
    expect(user_page.locator(".message-text").first).to_have_text("My printer is jammed <b>again</b>")

    # The ticket is in My Requests.
    mine = new_page()
    mine.context.add_cookies(user_page.context.cookies())
    mine.goto("/my-requests/")
    expect(mine.locator(f"#ticket-{number}")).to_be_visible()
    mine.close()

    # The attendant: toolbar → Chat console → Queue → Accept.
    desk = login(new_page(), "attendant", "attendant")
    desk.get_by_role("link", name="Chat console").click()
    queue = desk.locator("#chat-queue")
    expect(queue).to_contain_text(f"#{number}")
    queue.get_by_role("button", name=f"Accept the chat of request {number}").click()
    expect(desk.locator("#chat-state")).to_contain_text(t["Online"])
    expect(user_page.locator("#chat-state")).to_contain_text(t["Online"], timeout=DELIVERY_MS)

    # Messages both ways.
    t0 = time.monotonic()
    desk.get_by_label(t["Message"], exact=True).fill("Hello Maria, <i>checking</i> now")
    desk.get_by_role("button", name=t["Send"]).click()
    expect(user_page.locator(".message-text").last).to_have_text(
        "Hello Maria, <i>checking</i> now", timeout=DELIVERY_MS
    )
    to_user = time.monotonic() - t0
    t0 = time.monotonic()
    user_page.get_by_label(t["Message"], exact=True).fill("Thank you!")
    user_page.get_by_label(t["Message"], exact=True).press("Enter")
    expect(desk.locator(".message-text").last).to_have_text("Thank you!", timeout=DELIVERY_MS)
    to_desk = time.monotonic() - t0
    print(f"delivery in the browser: to the user {to_user:.2f} s, to the attendant {to_desk:.2f} s")
    expect(user_page.locator(".message-text")).to_have_count(3)  # none twice

    # The attendant leaves the console: maria sees awaiting again.
    desk.goto("/")
    expect(user_page.locator("#chat-state")).to_contain_text(t["Awaiting attendant"], timeout=DELIVERY_MS)
    assert OutboundEmail.objects.count() == 0
    user_page.get_by_label(t["Message"], exact=True).fill("Are you still there?")
    user_page.get_by_role("button", name=t["Send"]).click()
    expect(user_page.locator(".message-text").last).to_have_text("Are you still there?")
    expect(user_page.get_by_label(t["Message"], exact=True)).to_have_value("")
    user_page.get_by_label(t["Message"], exact=True).fill("Hello?")
    user_page.get_by_role("button", name=t["Send"]).click()
    expect(user_page.locator(".message-text").last).to_have_text("Hello?")
    mail = smtp.wait_for(lambda m: "attendant@example.com" in (m["To"] or ""), timeout=20)
    assert mail is not None, "no 447 e-mail reached the SMTP server"
    assert str(number) in mail["Subject"]
    time.sleep(1)
    assert smtp.count() == 1  # one per chat per 10 minutes
    assert OutboundEmail.objects.count() == 1


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_direct_attendance_in_each_language_and_on_a_phone(new_page, login, maria, chat_data, lang):
    t = LABELS[lang]
    _speak(maria, lang)
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "maria", "maria")
    page.goto("/chat/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_role("button", name=t["Init direct attendance"]).click()
    chat = Chat.objects.select_related("ticket").get(ticket__requester=maria)
    assert chat.direct
    assert chat.ticket.activity_id == chat_data["toner"].pk
    state = page.locator("#chat-state")
    expect(state).to_contain_text(t["Awaiting attendant"])
    expect(state).to_have_attribute("aria-live", "polite")
    no_scroll = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll, "the chat page scrolls sideways on a phone"
    expect(page.get_by_role("button", name=t["Send"])).to_be_visible()


def test_another_user_gets_404_and_chat_off_hides_the_menu(new_page, login, maria, chat_data):
    from chat.services import chat_start

    mine = chat_start(user=maria, activity=None)
    factories.UserFactory(username="joao", password="joao")
    page = login(new_page(), "joao", "joao")
    for url in (f"/chat/{mine.ticket_id}/", f"/chat/{mine.ticket_id}/poll/", "/chat/console/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, url
    menu = page.get_by_role("navigation", name="Main menu")
    page.goto("/my-requests/")
    expect(menu.get_by_role("link", name="Chat", exact=True)).to_be_visible()
    parameter_set(p=316, value=False)
    page.goto("/my-requests/")
    expect(menu.get_by_role("link", name="Chat", exact=True)).to_have_count(0)
    response = page.goto("/chat/")
    assert response is not None
    assert response.status == 404


def _outer_html(page, selector: str) -> str:
    """The element's HTML as the browser holds it, whitespace runs folded to one space."""
    return " ".join(page.locator(selector).evaluate("e => e.outerHTML").split())


def _short_datetime(message, lang: str) -> str:
    with translation.override(lang):
        return formats.date_format(timezone.localtime(message.created_at), "SHORT_DATETIME_FORMAT")


def test_a_message_drawn_live_is_the_same_html_after_a_reload_pt_br(new_page, login, maria, chat_data):
    """static/js/message-list.js draws what the server draws: the localized date, the line breaks and
    the "mine" style, for maria's own message (the post's JSON) and the attendant's (the poll's)."""
    _speak(maria, "pt-br")
    chat = chat_start(user=maria, activity=chat_data["jam"], text="Bom dia")
    page = login(new_page(), "maria", "maria")
    page.goto(reverse("chat:detail", args=[chat.ticket_id]))
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.locator("#message-list [data-message-id]")).to_have_count(1)

    box = page.locator("#id_text")
    box.fill("Primeira linha\nSegunda linha")
    box.press("Enter")  # sends (Shift+Enter would add a line)
    expect(page.locator("#message-list [data-message-id]")).to_have_count(2)
    chat_accept(chat=chat, actor=chat_data["attendant"])
    chat_message_send(chat=chat, author=chat_data["attendant"], text="Olá, Maria.\nJá vejo.")
    expect(page.locator("#message-list [data-message-id]")).to_have_count(3, timeout=DELIVERY_MS)

    mine, answer = Message.objects.filter(ticket_id=chat.ticket_id).order_by("pk")[1:3]
    live = {m.pk: _outer_html(page, f'[data-message-id="{m.pk}"]') for m in (mine, answer)}
    assert "Primeira linha<br>Segunda linha" in live[mine.pk]
    assert "message-mine" in live[mine.pk]
    assert "message-mine" not in live[answer.pk]
    assert "Olá, Maria.<br>Já vejo." in live[answer.pk]
    assert f">{_short_datetime(mine, 'pt-br')}</time>" in live[mine.pk]

    page.reload()
    expect(page.locator("#message-list [data-message-id]")).to_have_count(3)
    for pk, html in live.items():
        assert _outer_html(page, f'[data-message-id="{pk}"]') == html
