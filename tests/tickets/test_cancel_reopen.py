"""Cancel Request (302) and Reopen service request (171) from My Requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.tickets.helpers import move
from tickets.models import Situation, SystemCategory

LIST = reverse("tickets:my-requests")


def cancel_url(t):
    return reverse("tickets:cancel", args=[t.pk])


def reopen_url(t):
    return reverse("tickets:reopen", args=[t.pk])


def msgs(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_cancel_shows_a_confirmation_then_cancels_on_post(client_as, user, ticket, set_param):
    set_param(302, True)
    client = client_as(user)
    page = client.get(cancel_url(ticket))
    assert page.status_code == 200
    assert b'id="confirm-cancel"' in page.content
    assert b"csrfmiddlewaretoken" in page.content
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS  # GET changes nothing
    r = client.post(cancel_url(ticket), {"reason": "No longer needed"})
    assert r.status_code == 302
    assert r.url == LIST
    ticket.refresh_from_db()
    assert ticket.situation == Situation.CANCELED
    occ = ticket.occurrences.filter(category__code=SystemCategory.CANCELLATION).get()
    assert occ.author == user
    assert "Maria Silva" in occ.text
    assert "No longer needed" in occ.text


def test_cancel_refused_when_parameter_302_off(client_as, user, ticket):
    r = client_as(user).post(cancel_url(ticket))
    assert r.status_code == 302
    assert "not enabled" in msgs(r)[0]
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS


@pytest.mark.parametrize("situation", [Situation.RESOLVED, Situation.CLOSED, Situation.CANCELED])
def test_cancel_refused_on_a_final_ticket(client_as, user, ticket, set_param, situation):
    set_param(302, True)
    move(ticket, situation=situation)
    count = ticket.occurrences.count()
    r = client_as(user).post(cancel_url(ticket))
    assert r.status_code == 302
    assert "can no longer be canceled" in msgs(r)[0]
    ticket.refresh_from_db()
    assert ticket.situation == situation
    assert ticket.occurrences.count() == count


def test_cancel_of_another_users_ticket_is_404(client_as, other_user, ticket, set_param):
    set_param(302, True)
    assert client_as(other_user).post(cancel_url(ticket)).status_code == 404
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS


def test_cancel_requires_csrf(client, user, ticket, set_param):
    from django.test import Client

    set_param(302, True)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(cancel_url(ticket)).status_code == 403
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS


def test_reopen_confirmation_then_post_reopens_with_a_new_time_limit(client_as, user, closed):
    client = client_as(user)
    assert b'id="confirm-reopen"' in client.get(reopen_url(closed)).content
    r = client.post(reopen_url(closed), {"next": "situation=closed"})
    assert r.url == LIST + "?situation=closed"
    closed.refresh_from_db()
    assert closed.situation == Situation.REOPENED
    assert closed.time_limit > timezone.now()
    assert closed.occurrences.filter(category__code=SystemCategory.REOPENING, author=user).exists()


def test_reopen_refused_after_the_window_of_parameter_171(client_as, user, closed, set_param):
    set_param(171, 3)
    move(closed, created_at=timezone.now() - timedelta(days=10), closed_at=timezone.now() - timedelta(days=4))
    r = client_as(user).post(reopen_url(closed))
    assert "more than 3 days ago" in msgs(r)[0]
    closed.refresh_from_db()
    assert closed.situation == Situation.CLOSED


def test_reopen_refused_for_a_ticket_that_is_not_closed(client_as, user, ticket):
    r = client_as(user).post(reopen_url(ticket))
    assert r.status_code == 302
    assert "Only a Closed ticket" in msgs(r)[0]
    ticket.refresh_from_db()
    assert ticket.situation == Situation.IN_PROGRESS


def test_reopen_of_another_users_ticket_is_404(client_as, other_user, closed):
    assert client_as(other_user).post(reopen_url(closed)).status_code == 404
