"""The My Requests row actions in a real browser, as maria, and the attendant's answer in the admin."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from parameters.services import parameter_set
from tests import factories
from tickets.models import Message, Opinion, Situation, SurveyAnswer, Ticket
from tickets.services.transitions import ticket_capture, ticket_close, ticket_resolve

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def desk(transactional_db):
    return factories.GroupFactory(name="Service desk")


@pytest.fixture
def ana(desk):
    """The attendant (password "attendant"), member of the service desk."""
    return factories.UserFactory(
        username="attendant",
        password="attendant",
        first_name="Ana",
        last_name="Atendente",
        is_staff=True,
        groups=[desk],
    )


@pytest.fixture
def tickets(maria, ana, desk):
    """An In Progress ticket captured by Ana and one closed today, both maria's."""
    for number in (302, 299, 295):
        parameter_set(p=number, value=True)
    activity = factories.ActivityFactory(executor_group=desk, name="Printer repair")
    contract = factories.ContractFactory()
    open_ = factories.open_ticket(requester=maria, activity=activity, contract=contract, title="Printer jam")
    ticket_capture(ticket=open_, actor=ana)
    closed = factories.open_ticket(requester=maria, activity=activity, contract=contract, title="Old one")
    ticket_capture(ticket=closed, actor=ana)
    ticket_resolve(ticket=closed, actor=ana, solution="Cleaned.")
    ticket_close(ticket=closed, actor=ana)
    return {"open": open_, "closed": closed}


def row_action(page, ticket, action):
    """A row's action, as a user reaches it: from the row's menu of actions."""
    page.goto("/my-requests/")
    row = page.locator(f"#ticket-{ticket.pk}")
    row.locator("[data-actions-toggle]").click()
    row.locator(f'a[data-action="{action}"]').click()


def test_attachments_add_and_download(page, login, tickets, tmp_path):
    login(page, "maria", "maria")
    row_action(page, tickets["open"], "attachments")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attachments")
    f = tmp_path / "invoice.pdf"
    f.write_bytes(PDF)
    page.locator("#id_file").set_input_files(str(f))
    page.locator("#attachment-add").click()
    expect(page.locator(".alert-success")).to_contain_text("invoice.pdf")
    with page.expect_download() as info:
        page.get_by_role("link", name="invoice.pdf").click()
    download = info.value
    assert download.suggested_filename == "invoice.pdf"
    assert Path(download.path()).read_bytes() == PDF

    bad = tmp_path / "holiday.jpg"
    bad.write_bytes(b"MZ\x90\x00 not a photo")
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("#attachment-add").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("program or a script")


def test_cancel_request(page, login, tickets):
    login(page, "maria", "maria")
    row_action(page, tickets["open"], "cancel")
    page.locator("#id_reason").fill("Fixed it myself")
    page.locator("#confirm-cancel").click()
    expect(page).to_have_url(re.compile(r"/my-requests/$"))
    expect(page.locator(".alert-success")).to_contain_text("canceled")
    expect(page.locator(f"#ticket-{tickets['open'].pk}")).to_have_attribute("data-situation", "canceled")


def test_reopen_service_request(page, login, tickets):
    login(page, "maria", "maria")
    row_action(page, tickets["closed"], "reopen")
    page.locator("#confirm-reopen").click()
    expect(page.locator(".alert-success")).to_contain_text("reopened")
    assert Ticket.objects.get(pk=tickets["closed"].pk).situation == Situation.REOPENED


def test_register_opinion(page, login, tickets):
    login(page, "maria", "maria")
    row_action(page, tickets["closed"], "register-opinion")
    page.get_by_label("Compliment").check()
    page.get_by_label("Text").fill("Fast and kind.")
    page.locator("#opinion-save").click()
    expect(page.locator(".alert-success")).to_contain_text("Thank you for your opinion")
    assert Opinion.objects.get().text == "Fast and kind."


def test_satisfaction_survey_not_attended_reopens(page, login, tickets):
    login(page, "maria", "maria")
    row_action(page, tickets["closed"], "survey")
    page.get_by_role("radio", name="Not attended").check()
    page.get_by_label("Comment/Suggestion of improvement").fill("Still jams")
    page.locator("#id_reopen").check()
    page.locator("#survey-save").click()
    expect(page.locator(".alert-success")).to_contain_text("reopened")
    assert SurveyAnswer.objects.get().evaluation == "not_attended"
    assert Ticket.objects.get(pk=tickets["closed"].pk).situation == Situation.REOPENED


def test_message_answered_in_the_admin_appears_without_reloading(page, new_page, login, tickets):
    ticket = tickets["open"]
    login(page, "maria", "maria")
    row_action(page, ticket, "message")
    page.get_by_label("Message").fill("Any news?")
    page.locator("#message-send").click()
    expect(page.locator("#message-list")).to_contain_text("Any news?")
    page.evaluate("window.__noReload = true")

    staff = new_page()
    # axe-core's stylesheet preload resolves the ``@import url('widgets.css')`` of Django admin's
    # forms.css against the document URL (a harness artifact on every admin form page, not a request
    # the browser itself makes): answer it with an empty stylesheet.
    staff.context.route(
        re.compile(r".*/admin/.*widgets\.css.*"),
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )
    login(staff, "attendant", "attendant")
    staff.goto(f"/admin/tickets/ticket/{ticket.pk}/change/")
    staff.locator("#ticket-messages").click()
    expect(staff.locator("#message-list")).to_contain_text("Any news?")
    staff.locator("#id_text").fill("On my way.")
    staff.locator("#message-send").click()
    expect(staff.locator("#message-list")).to_contain_text("On my way.")

    expect(page.locator("#message-list")).to_contain_text("On my way.")  # polled, no reload
    assert page.evaluate("window.__noReload") is True
    maria_reply = "Thanks!"
    page.get_by_label("Message").fill(maria_reply)
    page.locator("#message-send").click()
    expect(staff.locator("#message-list")).to_contain_text(maria_reply)  # the admin page polls too
    assert Message.objects.count() == 3


def test_full_round_in_portuguese(page, login, tickets, maria, tmp_path):
    """Selected by id / data attributes only: the labels are translated by another step."""
    maria.preferred_language = "pt-br"
    maria.save(update_fields=["preferred_language"])
    login(page, "maria", "maria")
    page.goto("/my-requests/")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    open_, closed = tickets["open"], tickets["closed"]

    row_action(page, open_, "attachments")
    f = tmp_path / "nota.pdf"
    f.write_bytes(PDF)
    page.locator("#id_file").set_input_files(str(f))
    page.locator("#attachment-add").click()
    expect(page.locator("#attachment-table [data-download]")).to_have_count(1)

    row_action(page, open_, "message")
    page.locator("#id_text").fill("Olá")
    page.locator("#message-send").click()
    expect(page.locator("#message-list [data-message-id]")).to_have_count(1)

    row_action(page, closed, "register-opinion")
    page.locator('input[data-value="complaint"]').check()
    page.locator("#id_text").fill("Demorou")
    page.locator("#opinion-save").click()
    expect(page.locator(".alert-success")).to_have_count(1)

    row_action(page, closed, "survey")
    page.locator('input[data-value="good"]').check()
    page.locator("#survey-save").click()
    expect(page.locator(".alert-success")).to_have_count(1)

    row_action(page, closed, "reopen")
    page.locator("#confirm-reopen").click()
    expect(page.locator(f"#ticket-{closed.pk}")).to_have_attribute("data-situation", "reopened")

    row_action(page, open_, "cancel")
    page.locator("#confirm-cancel").click()
    expect(page.locator(f"#ticket-{open_.pk}")).to_have_attribute("data-situation", "canceled")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    assert Opinion.objects.get().kind == "complaint"
    assert SurveyAnswer.objects.get().evaluation == "good"


def test_a_polled_message_is_the_same_html_after_a_reload_pt_br(page, login, tickets, maria, ana):
    """The Message page (static/js/messages.js + message-list.js) draws an answer as the server
    does: the pt-BR short date, the line breaks kept."""
    maria.preferred_language = "pt-br"
    maria.save(update_fields=["preferred_language"])
    ticket = tickets["open"]
    login(page, "maria", "maria")
    page.goto(reverse("tickets:message", kwargs={"pk": ticket.pk}))
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    answer = Message.objects.create(
        ticket=ticket, author=ana, text="Primeira linha\nSegunda linha", created_at=timezone.now()
    )
    item = f'#message-list [data-message-id="{answer.pk}"]'
    expect(page.locator(item)).to_have_count(1, timeout=10_000)  # polled every 3 s, no reload
    live = " ".join(page.locator(item).evaluate("e => e.outerHTML").split())
    assert "Primeira linha<br>Segunda linha" in live
    with translation.override("pt-br"):
        date = formats.date_format(timezone.localtime(answer.created_at), "SHORT_DATETIME_FORMAT")
    assert f">{date}</time>" in live
    page.reload()
    assert " ".join(page.locator(item).evaluate("e => e.outerHTML").split()) == live
