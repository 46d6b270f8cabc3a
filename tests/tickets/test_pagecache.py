"""The per-user cache of My Requests and of the occurrence list (tickets.pagecache): a reload costs
no ticket query, and whatever changes what the page shows is on the very next load."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.tickets.helpers import move, row_actions, row_html, row_ids
from tickets import pagecache
from tickets.models import Situation

URL = "/my-requests/"

pytestmark = pytest.mark.django_db


def ticket_queries(client, url, **params) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as q:
        r = client.get(url, params)
    assert r.status_code == 200
    return r, [x["sql"] for x in q.captured_queries if "tickets_ticket" in x["sql"]]


@pytest.fixture
def maria(client_as, user):
    return client_as(user)


def test_a_reload_is_served_from_the_cache(maria, ticket):
    first, queries = ticket_queries(maria, URL)
    assert queries, "the first load reads the tickets"
    again, queries = ticket_queries(maria, URL)
    assert queries == []
    assert again.content == first.content


def test_the_cache_can_be_switched_off(maria, ticket, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    ticket_queries(maria, URL)
    assert ticket_queries(maria, URL)[1]


def test_a_transition_shows_at_once(maria, ticket, attendant):
    from tickets.services.transitions import ticket_capture, ticket_suspend

    assert 'data-situation="in_progress"' in row_html(maria.get(URL).content, ticket.pk)
    ticket_capture(ticket=ticket, actor=attendant)
    ticket_suspend(ticket=ticket, actor=attendant, justification="Waiting for the supplier")
    assert 'data-situation="suspended"' in row_html(maria.get(URL).content, ticket.pk)


@pytest.mark.pagecache_on_commit
def test_versions_move_when_the_change_commits(
    maria, user, ticket, activity, contract, django_capture_on_commit_callbacks
):
    """As in production: the new ticket is saved but not committed, so the page does not change yet
    (no other request could see the ticket anyway); at commit the page is rendered again."""
    assert row_ids(maria.get(URL).content) == [ticket.pk]
    with django_capture_on_commit_callbacks() as callbacks:
        new = factories.open_ticket(requester=user, activity=activity, contract=contract)
    assert row_ids(maria.get(URL).content) == [ticket.pk]  # the stored page, from before the save
    for callback in callbacks:
        callback()
    assert set(row_ids(maria.get(URL).content)) == {ticket.pk, new.pk}


def test_a_new_ticket_shows_at_once(maria, user, ticket, activity, contract):
    assert row_ids(maria.get(URL).content) == [ticket.pk]
    new = factories.open_ticket(requester=user, activity=activity, contract=contract)
    assert set(row_ids(maria.get(URL).content)) == {ticket.pk, new.pk}


def test_other_users_changes_do_not_drop_my_page(maria, ticket, other_user, activity, contract):
    ticket_queries(maria, URL)
    factories.open_ticket(requester=other_user, activity=activity, contract=contract)
    assert ticket_queries(maria, URL)[1] == []


def test_a_parameter_change_shows_at_once(maria, ticket, set_param):
    set_param(252, True)
    assert "Register occurrence" in row_actions(maria.get(URL).content, ticket.pk)
    set_param(252, False)
    assert "Register occurrence" not in row_actions(maria.get(URL).content, ticket.pk)


def test_a_catalog_rename_shows_at_once(maria, ticket):
    maria.get(URL)
    service = ticket.service
    service.name = "Printing and scanning"
    service.save()
    assert "Printing and scanning" in row_html(maria.get(URL).content, ticket.pk)


def test_each_filter_and_language_has_its_own_page(maria, ticket, user):
    assert row_ids(maria.get(URL, {"situation": "closed"}).content) == []
    assert row_ids(maria.get(URL).content) == [ticket.pk]
    english = maria.get(URL).content.decode()
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    spanish = maria.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in spanish
    assert 'lang="en"' in english


def test_another_session_gets_its_own_page(client_as, user, ticket, client):
    """The page carries the session's CSRF token: never served to another session, even the user's."""
    from django.test import Client

    first = client_as(user)
    first.get(URL)
    second = Client()
    second.force_login(user)
    _, queries = ticket_queries(second, URL)
    assert queries


def test_a_page_with_messages_to_show_is_rendered(maria, ticket, set_param, captured):
    from occurrences.models import Category, Origin

    set_param(252, True)
    maria.get(URL)
    category = Category.objects.filter(code__isnull=True).first() or factories.CategoryFactory()
    origin = Origin.objects.first() or factories.OriginFactory()
    r = maria.post(
        f"/my-requests/{ticket.pk}/occurrences/new/",
        {"category": category.pk, "origin": origin.pk, "text": "Any news?"},
        follow=True,
    )
    assert r.status_code == 200
    assert 'role="alert"' in r.content.decode() or "alert-success" in r.content.decode()


def test_sorting_by_sla_status_is_never_cached(maria, ticket):
    ticket_queries(maria, URL, sort="sla_status")
    assert ticket_queries(maria, URL, sort="sla_status")[1]


def test_the_occurrence_list_shows_a_new_occurrence_at_once(maria, ticket, set_param, captured):
    from occurrences.models import Category, Origin
    from occurrences.services import occurrence_register

    set_param(298, True)
    set_param(252, True)
    url = f"/my-requests/{ticket.pk}/occurrences/"
    before = maria.get(url).content.decode()
    assert ticket_queries(maria, url)[1] == []
    category = Category.objects.filter(code__isnull=True).first() or factories.CategoryFactory()
    origin = Origin.objects.first() or factories.OriginFactory()
    occurrence_register(
        ticket_id=captured.pk,
        actor=ticket.requester,
        category=category,
        origin=origin,
        text="The toner is here",
        notify_responsible=False,
    )
    after = maria.get(url).content.decode()
    assert "The toner is here" not in before
    assert "The toner is here" in after


def test_the_occurrence_list_of_another_users_ticket_stays_404(client_as, ticket, other_user, set_param):
    set_param(298, True)
    url = f"/my-requests/{ticket.pk}/occurrences/"
    owner = client_as(ticket.requester)
    assert owner.get(url).status_code == 200
    from django.test import Client

    intruder = Client()
    intruder.force_login(other_user)
    assert intruder.get(url).status_code == 404


# --- time: a page expires when one of its rows changes by the clock alone --------------------


def test_a_page_expires_when_a_ticket_turns_to_expire(ticket):
    now = timezone.now()
    ticket.situation = Situation.IN_PROGRESS
    ticket.sla_warning_at, ticket.time_limit = now + timedelta(minutes=5), now + timedelta(hours=1)
    assert pagecache.next_change([ticket], now=now) == ticket.sla_warning_at
    ticket.sla_warning_at = now - timedelta(minutes=1)  # already "To expire": the next is "Expired"
    assert pagecache.next_change([ticket], now=now) == ticket.time_limit


def test_suspended_and_finished_tickets_do_not_change_by_the_clock(ticket):
    now = timezone.now()
    ticket.sla_warning_at, ticket.time_limit = now + timedelta(minutes=5), now + timedelta(hours=1)
    ticket.situation = Situation.SUSPENDED
    assert pagecache.next_change([ticket], now=now) is None
    ticket.situation = Situation.RESOLVED
    assert pagecache.next_change([ticket], now=now) is None


def test_a_closed_ticket_changes_when_its_reopen_window_closes(ticket, set_param):
    set_param(171, 10)
    now = timezone.now()
    ticket.situation, ticket.closed_at = Situation.CLOSED, now - timedelta(days=3)
    assert pagecache.next_change([ticket], now=now) == ticket.closed_at + timedelta(days=10)


def test_the_stored_page_lives_until_the_next_change(maria, ticket, settings):
    from django.core.cache import cache

    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    soon = timezone.now() + timedelta(seconds=3)
    move(ticket, sla_warning_at=soon, time_limit=soon + timedelta(hours=1))
    maria.get(URL)
    keys = [k for k in cache._cache if pagecache.PREFIX in k and ":v:" not in k]
    assert len(keys) == 1
    expires_in = cache._expire_info[keys[0]] - time.time()
    assert 0 < expires_in <= 3
