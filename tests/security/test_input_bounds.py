"""Every input of the portal's catalog, knowledge and search pages is bounded before it is used
(issue 11): over-long values get a form error or a 4xx, never a 5xx, and nothing is saved.
The ticket forms (occurrence, message, opinion, survey, reasons) are in tests/tickets/test_input_bounds.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import ServiceEvaluation
from tests import factories
from tickets.models import Ticket

from .bounds import LONG_WORD, OVER_LONG, assert_refused

over_long = pytest.mark.parametrize("value", OVER_LONG, ids=["long-word", "many-words"])


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


@pytest.fixture
def article(db):
    return factories.ArticleFactory(title="Printer jam", summary="Open the tray", body="Pull the paper")


@over_long
def test_request_form(maria, catalog, portal_ready, article, value):
    url = reverse("catalog:activity-new", args=[catalog["toner"].pk])
    for data in [
        {"title": "Toner", "description": value},
        {"title": value, "description": "Printer"},
        {"title": "", "description": value},  # refused for the title: the suggestions read the text
    ]:
        r = maria.post(url, data)
        assert_refused(r)
        assert r.status_code == 200
        assert "errorlist" in r.content.decode() or "invalid-feedback" in r.content.decode()
    assert not Ticket.objects.exists()


@over_long
def test_service_evaluation(maria, catalog, value):
    r = maria.post(
        reverse("catalog:service-evaluation", args=[catalog["printing"].pk]), {"stars": 4, "review": value}
    )
    assert_refused(r)
    assert not ServiceEvaluation.objects.exists()


@over_long
@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("portal:search", "q"),
        ("portal:search-suggest", "q"),
        ("tickets:my-requests", "search"),
        ("knowledge:home", "q"),
        ("knowledge:suggest", "q"),
    ],
)
def test_search_boxes_and_suggestions(maria, catalog, article, name, param, value):
    r = maria.get(reverse(name), {param: value})
    assert_refused(r)
    assert r.status_code == 200


def test_knowledge_suggestions_with_a_long_number_for_the_service(maria, catalog, article):
    for service in ["9" * 40, "²", LONG_WORD]:
        r = maria.get(reverse("knowledge:suggest"), {"q": "printer", "service": service})
        assert r.status_code == 200
        assert [a["title"] for a in r.json()["results"]] == ["Printer jam"]


def test_the_submitted_page_with_long_numbers(maria, db):
    r = maria.get(reverse("catalog:submitted"), {"t": ["9" * 40, "²", LONG_WORD]})
    assert r.status_code == 404


@over_long
def test_language_switch(maria, db, value):
    r = maria.post(reverse("portal:set-language"), {"language": value, "next": value})
    assert_refused(r)


@over_long
def test_smartbox_edit_and_submit(maria, user, catalog, portal_ready, set_param, value):
    set_param(292, True)
    item = factories.SmartboxItemFactory(user=user, activity=catalog["toner"])
    r = maria.post(reverse("portal:smartbox-edit", args=[item.pk]), {"title": "Toner", "description": value})
    assert_refused(r)
    assert r.status_code == 200
    for data in [{"remove": value}, {"remove": "²"}, {"items": [value, "²", "9" * 40]}]:
        assert_refused(maria.post(reverse("portal:smartbox"), data))
    assert not Ticket.objects.exists()


@over_long
def test_login_and_password_change(client, user, settings, value):
    settings.AXES_ENABLED = True
    for data in [{"username": value, "password": value}, {"username": "maria", "password": value}]:
        r = client.post(reverse("login"), data)
        assert r.status_code == 200  # the login page again, with the error
        assert "_auth_user_id" not in client.session
    client.force_login(user)
    data = {"old_password": value, "new_password1": value, "new_password2": value}
    assert_refused(client.post(reverse("password_change"), data))
