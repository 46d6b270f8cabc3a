"""Notification preferences per kind and the RFC 8058 one-click unsubscribe link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outbox.models import EmailKind, EmailPreference, OutboundEmail
from outbox.preferences import kind_of_key, unsubscribe_token, unsubscribe_url
from outbox.rendering import render_email
from tests import factories
from tickets.services.messages import message_send


@pytest.fixture
def messaging(set_param, attendant, ticket):
    from tickets.services.transitions import ticket_capture

    set_param(299, True)
    set_param(300, True)
    set_param(417, factories.EmailTemplateFactory(name="Message").pk)
    ticket_capture(ticket=ticket, actor=attendant)
    ticket.refresh_from_db()
    return ticket


def test_kinds_of_the_outbox_keys():
    assert kind_of_key("message:1:2") == EmailKind.MESSAGES
    assert kind_of_key("occurrence:1:2:3") == EmailKind.OCCURRENCES
    assert kind_of_key("approval:1:decision") == EmailKind.APPROVALS
    assert kind_of_key("notification:1:2") == EmailKind.NOTIFICATIONS
    assert kind_of_key("chat-away:1:2") == EmailKind.CHAT
    assert kind_of_key("approval:1:request:2") is None  # mandatory: the approver must decide
    assert kind_of_key("survey:1:2") is None
    # Password reset and account verification (identity/services.py): mandatory, as the page says.
    assert kind_of_key("identity:password_reset_key:0f1e") is None
    assert kind_of_key("identity:email_confirmation:0f1e") is None


def test_an_optional_email_carries_the_one_click_unsubscribe_headers(messaging, user, attendant):
    message_send(ticket=messaging, author=attendant, text="Hello")
    email = OutboundEmail.objects.get(recipient=user.email)
    sent = render_email(email)
    url = unsubscribe_url(user.email, EmailKind.MESSAGES)
    assert sent.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in sent.alternatives[0][0]


def test_a_mandatory_email_has_no_unsubscribe_link(db):
    email = OutboundEmail.objects.create(
        idempotency_key="approval:1:request:2",
        recipient="joao@example.com",
        template=factories.EmailTemplateFactory(),
    )
    assert "List-Unsubscribe" not in render_email(email).extra_headers


def test_the_get_changes_nothing_and_the_post_without_login_turns_the_kind_off(
    client, messaging, user, attendant, other_user
):
    url = reverse("outbox:unsubscribe", args=[unsubscribe_token(user.email, EmailKind.MESSAGES)])
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop sending e-mails" in page.content.decode()
    assert not EmailPreference.objects.exists()

    done = client.post(url, {"List-Unsubscribe": "One-Click"})  # as a mail client: no session, no CSRF
    assert done.status_code == 200
    assert list(EmailPreference.objects.values_list("user", "kind", "enabled")) == [
        (user.pk, "messages", False)
    ]
    # The next message sends nothing to maria; the responsible still gets hers.
    message_send(ticket=messaging, author=attendant, text="Any news?")
    assert not OutboundEmail.objects.filter(recipient=user.email).exists()
    message_send(ticket=messaging, author=user, text="Yes")
    assert OutboundEmail.objects.filter(recipient=attendant.email).count() == 1


def test_a_forged_or_altered_link_changes_nothing(client, user):
    token = unsubscribe_token(user.email, EmailKind.MESSAGES)
    for bad in ("not-a-token", token[:-2] + "xx"):
        response = client.post(reverse("outbox:unsubscribe", args=[bad]))
        assert response.status_code == 404
    assert not EmailPreference.objects.exists()


def test_the_preferences_page_saves_each_kind(client_as, user):
    client = client_as(user)
    url = reverse("outbox:preferences")
    page = client.get(url)
    assert page.status_code == 200
    for kind in EmailKind:
        assert str(kind.label) in page.content.decode()
    assert "password resets, account verifications" in page.content.decode()
    response = client.post(url, {"messages": "on", "occurrences": "on", "approvals": "on"})
    assert response.status_code == 302
    assert dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled")) == {
        "messages": True,
        "occurrences": True,
        "approvals": True,
        "notifications": False,
        "campaigns": False,
        "chat": False,
    }


def test_a_notification_email_is_not_written_for_who_turned_them_off(user, other_user):
    from outbox.services import email_queue_bulk

    EmailPreference.objects.create(user=user, kind="notifications", enabled=False)
    template = factories.EmailTemplateFactory()
    rows = email_queue_bulk(
        [
            OutboundEmail(idempotency_key=f"notification:1:{u.pk}", recipient=u.email, template=template)
            for u in (user, other_user)
        ]
    )
    assert [r.recipient for r in rows] == [other_user.email]
