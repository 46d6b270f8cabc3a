"""The chat (chat/): starting one registers a ticket at once, messages are the ticket's thread,
the console accepts (capture) and closes, presence decides Online / Awaiting, e-mail 447 for an
absent party, and every URL answers 404 to those it does not belong to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from chat import presence
from chat.models import Chat
from chat.selectors import chat_state, console_queue
from chat.services import ChatRefused, chat_accept, chat_message_send, chat_start
from outbox.models import OutboundEmail
from tests import factories
from tickets.models import Message, Situation


@pytest.fixture
def started(chat_ready, user):
    return chat_start(user=user, activity=chat_ready["jam"], text="My printer is jammed")


def _post_json(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json")


# --- starting ------------------------------------------------------------------------------------


def test_init_attendance_registers_a_ticket_with_origin_315_and_the_first_message(
    client_as, user, chat_ready
):
    client = client_as(user)
    page = client.get(reverse("chat:home"))
    assert page.status_code == 200
    assert "Printer is broken" in page.content.decode()
    assert "Payslip copy" not in page.content.decode()  # not available via chat
    r = client.post(
        reverse("chat:home"),
        {
            "portfolio": chat_ready["technical"].pk,
            "service": chat_ready["printing"].pk,
            "activity": chat_ready["jam"].pk,
            "text": "Hello <b>there</b>",
        },
    )
    chat = Chat.objects.get()
    assert r.status_code == 302
    assert r["Location"] == reverse("chat:detail", args=[chat.ticket_id])
    ticket = chat.ticket
    assert ticket.origin == chat_ready["origin"]
    assert ticket.activity == chat_ready["jam"]
    assert not chat.direct
    assert ticket.situation == Situation.IN_PROGRESS
    assert ticket.responsible is None
    assert list(Message.objects.filter(ticket=ticket).values_list("text", flat=True)) == [
        "Hello <b>there</b>"
    ]
    detail = client.get(r["Location"]).content.decode()
    assert "Awaiting attendant" in detail
    assert f"Request {ticket.pk} is registered" in detail
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in detail  # escaped
    assert "No attendant is online" in detail


def test_init_direct_attendance_uses_activity_317(client_as, user, chat_ready):
    r = client_as(user).post(reverse("chat:home"), {"direct": "1", "text": ""})
    chat = Chat.objects.get()
    assert r.status_code == 302
    assert chat.direct
    assert chat.ticket.activity == chat_ready["toner"]
    assert chat.ticket.origin == chat_ready["origin"]
    assert not Message.objects.exists()


def test_an_activity_not_available_via_chat_is_refused(client_as, user, chat_ready):
    r = client_as(user).post(reverse("chat:home"), {"activity": chat_ready["payslip"].pk})
    assert r.status_code == 400
    assert not Chat.objects.exists()


def test_a_mismatched_service_is_refused(client_as, user, chat_ready):
    r = client_as(user).post(
        reverse("chat:home"), {"service": chat_ready["payroll"].pk, "activity": chat_ready["jam"].pk}
    )
    assert r.status_code == 400
    assert "valid choice" in r.content.decode()
    assert not Chat.objects.exists()


def test_without_a_contract_the_start_is_refused_with_a_message(client_as, user, chat_ready, set_param):
    set_param(118, None)
    r = client_as(user).post(reverse("chat:home"), {"activity": chat_ready["jam"].pk}, follow=True)
    assert not Chat.objects.exists()
    assert "cannot be opened" in r.content.decode()


def test_the_chat_page_lists_the_users_open_chats(client_as, user, started):
    body = client_as(user).get(reverse("chat:home")).content.decode()
    assert reverse("chat:detail", args=[started.ticket_id]) in body


# --- parameter 316 --------------------------------------------------------------------------------


def test_chat_off_no_menu_item_and_every_url_404(client_as, user, started, attendant, set_param):
    client = client_as(user)
    assert 'id="menu-chat-home"' in client.get(reverse("tickets:my-requests")).content.decode()
    set_param(316, False)
    assert 'id="menu-chat-home"' not in client.get(reverse("tickets:my-requests")).content.decode()
    pk = started.ticket_id
    for url in (reverse("chat:home"), reverse("chat:detail", args=[pk]), reverse("chat:poll", args=[pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("chat:message", args=[pk]), {"text": "x"}).status_code == 404
    staff = client_as(attendant)
    assert staff.get(reverse("chat:console")).status_code == 404
    assert staff.post(reverse("chat:console-accept", args=[pk])).status_code == 404


# --- access ---------------------------------------------------------------------------------------


def test_another_user_cannot_read_or_post_to_the_chat(client_as, other_user, started):
    client = client_as(other_user)
    pk = started.ticket_id
    assert client.get(reverse("chat:detail", args=[pk])).status_code == 404
    assert client.get(reverse("chat:poll", args=[pk])).status_code == 404
    assert client.post(reverse("chat:message", args=[pk]), {"text": "hi"}).status_code == 404
    assert client.post(reverse("chat:away", args=[pk])).status_code == 404
    assert Message.objects.count() == 1


def test_a_non_staff_user_cannot_open_the_console(client_as, user, started):
    client = client_as(user)
    assert client.get(reverse("chat:console")).status_code == 404
    assert client.get(reverse("chat:console-chat", args=[started.ticket_id])).status_code == 404
    assert client.post(reverse("chat:console-accept", args=[started.ticket_id])).status_code == 404


def test_staff_of_another_group_cannot_see_accept_or_answer(client_as, started):
    outsider = factories.UserFactory(
        username="outsider", is_staff=True, groups=[factories.GroupFactory(name="Other")]
    )
    client = client_as(outsider)
    pk = started.ticket_id
    assert f"#{pk}" not in client.get(reverse("chat:console")).content.decode()
    assert client.get(reverse("chat:console-chat", args=[pk])).status_code == 404
    assert client.post(reverse("chat:console-accept", args=[pk])).status_code == 404
    assert client.post(reverse("chat:message", args=[pk]), {"text": "x"}).status_code == 404
    with pytest.raises(ChatRefused):
        chat_message_send(chat=started, author=outsider, text="x")


# --- the console ------------------------------------------------------------------------------------


def test_queue_oldest_first_accept_captures_and_moves_it_to_in_progress(
    client_as, attendant, chat_ready, user, other_user
):
    first = chat_start(user=user, activity=chat_ready["jam"], now=timezone.now() - timedelta(minutes=5))
    Chat.objects.filter(pk=first.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    second = chat_start(user=other_user, activity=chat_ready["toner"])
    assert [c.ticket_id for c in console_queue(user=attendant)] == [first.ticket_id, second.ticket_id]
    client = client_as(attendant)
    body = client.get(reverse("chat:console")).content.decode()
    assert body.index(f"#{first.ticket_id} ") < body.index(f"#{second.ticket_id} ")
    assert "waiting 5" in body
    r = client.post(reverse("chat:console-accept", args=[first.ticket_id]))
    assert r.status_code == 302
    assert r["Location"] == reverse("chat:console-chat", args=[first.ticket_id])
    first.ticket.refresh_from_db()
    assert first.ticket.responsible == attendant
    lists = client.get(reverse("chat:console-lists")).content.decode()
    queue, mine = lists.split('id="mine-heading"')
    assert f"#{first.ticket_id} " in mine
    assert f"#{first.ticket_id} " not in queue
    assert f"#{second.ticket_id} " in queue


def test_console_search_by_ticket_number(client_as, attendant, chat_ready, user, other_user):
    a = chat_start(user=user, activity=chat_ready["jam"])
    b = chat_start(user=other_user, activity=chat_ready["jam"])
    body = client_as(attendant).get(reverse("chat:console"), {"q": str(b.ticket_id)}).content.decode()
    assert f"#{b.ticket_id} " in body
    assert f"#{a.ticket_id} " not in body


@pytest.mark.parametrize("q", ["²", "9" * 40, "abc", "-1"])
def test_console_search_refuses_what_is_not_a_ticket_number(client_as, attendant, started, q):
    r = client_as(attendant).get(reverse("chat:console"), {"q": q})
    assert r.status_code == 200
    assert "Enter a ticket number." in r.content.decode()


def test_unread_marks_count_the_requesters_new_messages(client_as, attendant, started, user):
    chat_accept(chat=started, actor=attendant)
    chat_message_send(chat=started, author=user, text="Are you there?")
    lists = client_as(attendant).get(reverse("chat:console-lists")).content.decode()
    assert "2 unread" in lists
    client_as(attendant).get(reverse("chat:console-chat", args=[started.ticket_id]))
    assert "unread" not in client_as(attendant).get(reverse("chat:console-lists")).content.decode()


def test_close_ends_the_chat_and_keeps_the_ticket(client_as, attendant, started, user):
    chat_accept(chat=started, actor=attendant)
    r = client_as(attendant).post(reverse("chat:console-close", args=[started.ticket_id]))
    assert r.status_code == 302
    started.refresh_from_db()
    started.ticket.refresh_from_db()
    assert started.closed_at is not None
    assert started.closed_by == attendant
    assert started.ticket.situation == Situation.IN_PROGRESS
    assert chat_state(started).code == "ended"
    with pytest.raises(ChatRefused):
        chat_message_send(chat=started, author=user, text="still there?")


def test_the_attendant_answers_only_after_accepting(attendant, started):
    with pytest.raises(ChatRefused):
        chat_message_send(chat=started, author=attendant, text="hi")
    chat_accept(chat=started, actor=attendant)
    assert chat_message_send(chat=started, author=attendant, text="hi").author == attendant


# --- states and messages ---------------------------------------------------------------------------


def test_state_online_only_while_the_responsible_has_the_console_open(client_as, attendant, started, user):
    assert chat_state(started).code == "awaiting"
    client_as(attendant).get(reverse("chat:console"))  # console open: online
    assert chat_state(started).attendant_online
    client_as(attendant).post(reverse("chat:console-accept", args=[started.ticket_id]))
    started.ticket.refresh_from_db()
    assert chat_state(started).code == "online"
    client_as(attendant).post(reverse("chat:console-offline"))
    assert chat_state(started).code == "awaiting"


def test_poll_returns_messages_after_the_last_id_in_order_and_the_state(client_as, attendant, started, user):
    chat_accept(chat=started, actor=attendant)
    first = Message.objects.get()
    m2 = chat_message_send(chat=started, author=attendant, text="Hello <script>x</script>")
    m3 = chat_message_send(chat=started, author=user, text="Thanks")
    data = client_as(user).get(reverse("chat:poll", args=[started.ticket_id]), {"after": first.pk}).json()
    assert [m["id"] for m in data["messages"]] == [m2.pk, m3.pk]
    assert data["messages"][0]["text"] == "Hello <script>x</script>"  # JSON: the page inserts it as text
    assert [m["mine"] for m in data["messages"]] == [False, True]
    assert data["state"]["code"] == "awaiting"
    again = client_as(user).get(reverse("chat:poll", args=[started.ticket_id]), {"after": m3.pk}).json()
    assert again["messages"] == []


def test_post_a_message_as_json_and_without_script(client_as, user, started):
    client = client_as(user)
    r = _post_json(client, reverse("chat:message", args=[started.ticket_id]), {"text": "Second"})
    assert r.status_code == 200
    assert r.json()["message"]["text"] == "Second"
    r = client.post(reverse("chat:message", args=[started.ticket_id]), {"text": "Third"})
    assert r.status_code == 302
    assert r["Location"] == reverse("chat:detail", args=[started.ticket_id])
    r = _post_json(client, reverse("chat:message", args=[started.ticket_id]), {"text": "  "})
    assert r.status_code == 400
    assert r.json()["error"]
    assert Message.objects.count() == 3


def test_chat_messages_are_the_tickets_thread_in_my_requests(client_as, attendant, started, user, set_param):
    set_param(299, True)
    chat_accept(chat=started, actor=attendant)
    chat_message_send(chat=started, author=attendant, text="Answer from the console")
    body = client_as(user).get(reverse("tickets:message", args=[started.ticket_id])).content.decode()
    assert "My printer is jammed" in body
    assert "Answer from the console" in body


# --- e-mail 447 -------------------------------------------------------------------------------------


def test_a_message_to_an_absent_attendant_sends_one_447_email_per_ten_minutes(
    attendant, started, user, away_template, django_capture_on_commit_callbacks
):
    chat_accept(chat=started, actor=attendant)
    presence.staff_mark_offline(attendant.pk)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        chat_message_send(chat=started, author=user, text="Hello?", now=now)
        chat_message_send(chat=started, author=user, text="Anyone?", now=now + timedelta(minutes=2))
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [attendant.email]
    assert "Hello?" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        chat_message_send(chat=started, author=user, text="Later", now=now + timedelta(minutes=11))
    assert OutboundEmail.objects.count() == 2


def test_no_email_while_the_other_party_is_there(attendant, started, user, away_template):
    chat_accept(chat=started, actor=attendant)
    presence.staff_mark_online(attendant.pk)
    chat_message_send(chat=started, author=user, text="Hello?")
    presence.requester_mark_present(started.ticket_id)
    chat_message_send(chat=started, author=attendant, text="Here")
    assert OutboundEmail.objects.count() == 0
    presence.requester_mark_gone(started.ticket_id)
    chat_message_send(chat=started, author=attendant, text="Are you still there?")
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [user.email]


# --- queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 8])
def test_console_queries_do_not_grow_with_the_chats(
    client_as, attendant, chat_ready, n, django_assert_num_queries
):
    for i in range(n):
        requester = factories.UserFactory(username=f"req{i}")
        chat = chat_start(user=requester, activity=chat_ready["jam"], text="hi")
        chat_message_send(chat=chat, author=requester, text="more")
    client = client_as(attendant)
    client.get(reverse("chat:console-lists"))
    with django_assert_num_queries(QUERIES["lists"]):
        assert client.get(reverse("chat:console-lists")).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_poll_queries_do_not_grow_with_the_messages(client_as, user, started, n, django_assert_num_queries):
    for i in range(n):
        Message.objects.create(ticket=started.ticket, author=user, text=f"m{i}")
    client = client_as(user)
    client.get(reverse("chat:poll", args=[started.ticket_id]))
    with django_assert_num_queries(QUERIES["poll"]):
        assert client.get(reverse("chat:poll", args=[started.ticket_id])).status_code == 200


# Reads in autocommit (no request transaction); the session and the shell's state come from the
# cache; the poll marks messages read in its service's own atomic block (a savepoint in tests).
QUERIES = {"lists": 5, "poll": 7}


def test_a_screenshot_pasted_in_the_chat_is_the_tickets_attachment_on_both_sides(
    client_as, attendant, started, user, settings, tmp_path
):
    """The chat's image panel (tickets/paste.py): the requester's page and the console's offer the paste
    zone over the chat's text box; an image the attendant pastes is a thumbnail on the requester's page,
    served by the checked download."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    chat_accept(chat=started, actor=attendant)
    console = client_as(attendant)
    page = console.get(reverse("chat:console-chat", args=[started.ticket_id])).content.decode()
    assert 'data-paste-from="id_text"' in page
    shot = SimpleUploadedFile("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, content_type="image/png")
    r = console.post(
        reverse("tickets:attachment-paste", args=[started.ticket_id]),
        {"file": shot},
        HTTP_ACCEPT="application/json",
    )
    assert r.status_code == 201
    mine = client_as(user).get(reverse("chat:detail", args=[started.ticket_id])).content.decode()
    assert f'<img src="{r.json()["url"]}" alt="image.png"' in mine
    assert 'data-paste-from="id_text"' in mine
