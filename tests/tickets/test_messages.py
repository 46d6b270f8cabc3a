"""Message (299, ticket captured): the requester writes in the portal, the attendant answers in the
back office; each side polls the other's new messages; e-mails with 300 / 417 through the outbox."""

from django.test import Client
from django.urls import reverse

from outbox.models import OutboundEmail
from tests import factories
from tickets.models import Message


def url(t):
    return reverse("tickets:message", args=[t.pk])


def poll(t, after=0):
    return reverse("tickets:message-poll", args=[t.pk]) + f"?after={after}"


def admin_url(t):
    return reverse("admin:tickets_ticket_messages", args=[t.pk])


def admin_poll(t, after=0):
    return reverse("admin:tickets_ticket_messages_poll", args=[t.pk]) + f"?after={after}"


def msgs(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_message_refused_when_parameter_299_off(client_as, user, captured):
    r = client_as(user).post(url(captured), {"text": "Hello"})
    assert r.status_code == 302
    assert "not enabled" in msgs(r)[0]
    assert not Message.objects.exists()


def test_message_refused_before_capture(client_as, user, ticket, set_param):
    set_param(299, True)
    r = client_as(user).post(url(ticket), {"text": "Hello"})
    assert "captured" in msgs(r)[0]
    assert not Message.objects.exists()


def test_requester_writes_and_attendant_reads_and_answers(client_as, user, attendant, captured, set_param):
    set_param(299, True)
    maria = client_as(user)
    page = maria.get(url(captured))
    assert b'data-poll-url="' in page.content
    assert b"js/messages.js" in page.content
    maria.post(url(captured), {"text": "Any news?"})
    first = Message.objects.get()
    assert (first.author, first.text, first.read_at) == (user, "Any news?", None)

    ana = Client()
    ana.force_login(attendant)
    change = ana.get(reverse("admin:tickets_ticket_change", args=[captured.pk]))
    assert b'id="ticket-messages"' in change.content
    assert b"Messages (1)" in change.content  # one unread
    page = ana.get(admin_url(captured))
    assert page.status_code == 200
    assert b"Any news?" in page.content
    first.refresh_from_db()
    assert first.read_at is not None
    r = ana.post(admin_url(captured), {"text": "On my way."})
    assert r.status_code == 302

    data = maria.get(poll(captured, after=first.pk)).json()
    assert [(m["text"], m["mine"], m["from_requester"]) for m in data["messages"]] == [
        ("On my way.", False, False)
    ]
    assert maria.get(poll(captured, after=data["messages"][0]["id"])).json() == {"messages": []}
    assert [m["text"] for m in ana.get(admin_poll(captured)).json()["messages"]] == [
        "Any news?",
        "On my way.",
    ]


def test_poll_escapes_nothing_and_the_page_escapes_markup(client_as, user, captured, set_param):
    set_param(299, True)
    client = client_as(user)
    client.post(url(captured), {"text": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in client.get(url(captured)).content
    assert client.get(poll(captured)).json()["messages"][0]["text"] == "<script>alert(1)</script>"


def test_poll_with_a_bad_after_returns_everything(client_as, user, captured, set_param):
    set_param(299, True)
    client = client_as(user)
    client.post(url(captured), {"text": "one"})
    assert (
        len(client.get(reverse("tickets:message-poll", args=[captured.pk]) + "?after=x").json()["messages"])
        == 1
    )


def test_poll_and_page_are_404_for_others(client_as, other_user, captured, set_param, far_attendant):
    set_param(299, True)
    c = client_as(other_user)
    assert c.get(poll(captured)).status_code == 404
    assert c.post(url(captured), {"text": "x"}).status_code == 404
    far = Client()
    far.force_login(far_attendant)
    assert far.get(admin_url(captured)).status_code == 404
    assert far.get(admin_poll(captured)).status_code == 404
    assert far.post(admin_url(captured), {"text": "x"}).status_code == 404
    assert not Message.objects.exists()


def test_attendant_cannot_answer_when_messages_are_off(client_as, attendant, captured):
    client = client_as(attendant)
    page = client.get(admin_url(captured))
    assert b'id="messages-disabled"' in page.content
    client.post(admin_url(captured), {"text": "x"})
    assert not Message.objects.exists()


def test_responsible_is_emailed_with_300_and_requester_with_417(
    client_as, user, attendant, captured, set_param, django_capture_on_commit_callbacks
):
    template = factories.EmailTemplateFactory(body="New message: ${MESSAGE} ${LINKSOLICITACAOSERVICO}")
    set_param(299, True)
    set_param(417, template.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(user).post(url(captured), {"text": "first"})
    assert not OutboundEmail.objects.exists()  # 300 off: the responsible is not e-mailed
    set_param(300, True)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(user).post(url(captured), {"text": "second"})
    to_attendant = OutboundEmail.objects.get()
    assert to_attendant.recipient == attendant.email
    assert to_attendant.context["MESSAGE"] == "second"
    assert "/admin/tickets/ticket/" in to_attendant.context["LINKSOLICITACAOSERVICO"]
    with django_capture_on_commit_callbacks(execute=True):
        client_as(attendant).post(admin_url(captured), {"text": "answer"})
    to_requester = OutboundEmail.objects.get(recipient=user.email)
    assert to_requester.context["MESSAGE"] == "answer"
    assert to_requester.status == OutboundEmail.Status.SENT


def test_without_template_417_nobody_is_emailed(client_as, user, attendant, captured, set_param):
    set_param(299, True)
    set_param(300, True)
    client_as(user).post(url(captured), {"text": "hi"})
    client_as(attendant).post(admin_url(captured), {"text": "hello"})
    assert Message.objects.count() == 2
    assert not OutboundEmail.objects.exists()
