"""Register opinion (ticket Closed): Compliment / Complaint + text; the author edits their one opinion."""

import pytest
from django.urls import reverse

from tickets.models import Opinion, Situation


def url(t):
    return reverse("tickets:register-opinion", args=[t.pk])


def msgs(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_opinion_is_registered_with_a_thank_you(client_as, user, closed):
    client = client_as(user)
    page = client.get(url(closed))
    assert page.status_code == 200
    assert b"Compliment" in page.content
    assert b"Complaint" in page.content
    r = client.post(url(closed), {"kind": "compliment", "text": "Quick and kind."})
    assert r.status_code == 302
    assert msgs(r) == ["Thank you for your opinion."]
    op = Opinion.objects.get(ticket=closed)
    assert (op.author, op.kind, op.text) == (user, "compliment", "Quick and kind.")


def test_the_author_edits_their_one_opinion(client_as, user, closed):
    client = client_as(user)
    client.post(url(closed), {"kind": "compliment", "text": "Good"})
    page = client.get(url(closed))
    assert b'id="opinion-existing"' in page.content
    assert b"Good</textarea>" in page.content
    r = client.post(url(closed), {"kind": "complaint", "text": "It broke again"})
    assert "updated" in msgs(r)[0]
    assert Opinion.objects.count() == 1
    assert Opinion.objects.get().kind == "complaint"


@pytest.mark.parametrize("situation", [Situation.IN_PROGRESS, Situation.RESOLVED, Situation.CANCELED])
def test_opinion_refused_unless_closed(client_as, user, ticket, situation):
    from tests.tickets.helpers import move

    move(ticket, situation=situation)
    r = client_as(user).post(url(ticket), {"kind": "compliment", "text": "x"})
    assert r.status_code == 302
    assert "not available" in msgs(r)[0]
    assert not Opinion.objects.exists()


def test_opinion_with_an_invalid_kind_shows_the_form_again(client_as, user, closed):
    r = client_as(user).post(url(closed), {"kind": "praise", "text": "x"})
    assert r.status_code == 200
    assert not Opinion.objects.exists()


def test_opinion_on_another_users_ticket_is_404(client_as, other_user, closed):
    assert client_as(other_user).post(url(closed), {"kind": "compliment", "text": "x"}).status_code == 404
    assert not Opinion.objects.exists()
