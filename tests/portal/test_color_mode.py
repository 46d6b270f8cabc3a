"""Light / Dark / Auto (issue 26): a POST from the user menu, remembered on the user, drawn by base.html."""

import pytest

from accounts.models import ColorMode

URL = "/color-mode/"


@pytest.mark.django_db
def test_a_choice_is_remembered_and_drawn_on_every_page(client_as, user):
    client = client_as(user)
    assert 'data-color-mode="auto"' in client.get("/").content.decode()
    r = client.post(URL, {"color_mode": "dark", "next": "/my-requests/"})
    assert r.status_code == 302
    assert r["Location"] == "/my-requests/"
    user.refresh_from_db()
    assert user.color_mode == ColorMode.DARK
    html = client.get("/").content.decode()
    assert 'data-bs-theme="dark"' in html
    assert 'value="dark" data-color-mode="dark" aria-pressed="true"' in html


@pytest.mark.django_db
def test_an_unknown_mode_changes_nothing_and_next_stays_on_the_site(client_as, user):
    client = client_as(user)
    r = client.post(URL, {"color_mode": "sepia", "next": "https://evil.example/"})
    assert r.status_code == 302
    assert r["Location"] == "/"
    user.refresh_from_db()
    assert user.color_mode == ColorMode.AUTO


@pytest.mark.django_db
def test_a_get_changes_nothing(client_as, user):
    assert client_as(user).get(URL, {"color_mode": "dark"}).status_code == 405
    user.refresh_from_db()
    assert user.color_mode == ColorMode.AUTO
