"""A message sent to the page's script (tickets.poll.message_as_json) is drawn as the page draws it:
the same template, the active language's short date, the line breaks kept, the text escaped."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests import factories
from tickets.models import Message
from tickets.poll import message_as_json


@pytest.fixture
def thread(db):
    maria = factories.UserFactory(username="maria", first_name="Maria")
    ana = factories.UserFactory(username="ana", first_name="Ana")
    ticket = factories.open_ticket(requester=maria)
    when = dt.datetime(2026, 12, 6, 14, 5, tzinfo=ZoneInfo("America/Sao_Paulo"))  # settings.TIME_ZONE
    message = Message.objects.create(ticket=ticket, author=ana, text="Line one\n<b>two</b>", created_at=when)
    return maria, ana, ticket, message


def test_the_json_carries_the_template_html_in_the_active_language(thread):
    maria, _, ticket, message = thread
    with translation.override("pt-br"):
        data = message_as_json(message, viewer=maria, ticket=ticket)
        page = render_to_string("includes/_message_items.html", {"conversation": [message], "user": maria})
    assert data["html"] == page
    assert data["created_display"] == "06/12/2026 14:05"
    assert ">06/12/2026 14:05</time>" in data["html"]
    assert "Line one<br>&lt;b&gt;two&lt;/b&gt;" in data["html"]
    assert "message-mine" not in data["html"]


def test_mine_is_the_viewers(thread):
    _, ana, ticket, message = thread
    with translation.override("en"):
        data = message_as_json(message, viewer=ana, ticket=ticket)
    assert data["mine"] is True
    assert 'class="message-item message-mine"' in data["html"]
