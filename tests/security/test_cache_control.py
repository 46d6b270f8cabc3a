"""Pages that show a user's data are never stored by the browser (issue 11): after logout, the back
button of a shared computer cannot show them again."""

from __future__ import annotations

from django.urls import reverse


def test_logged_in_pages_are_not_stored(client_as, user, ticket):
    client = client_as(user)
    for url in [
        reverse("portal:home"),
        reverse("tickets:my-requests"),
        reverse("tickets:description", args=[ticket.pk]),
        reverse("knowledge:suggest") + "?q=printer",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        directives = {d.strip() for d in r.headers["Cache-Control"].split(",")}
        assert {"private", "no-cache", "no-store"} <= directives, url


def test_anonymous_answers_are_left_alone(client, db):
    r = client.get(reverse("portal:home"))
    assert r.status_code == 302  # to the login page
    assert "Cache-Control" not in r.headers
