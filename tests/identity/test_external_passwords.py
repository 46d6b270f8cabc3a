"""A person without a portal password (directory or identity provider) can never get one from the
portal (accounts/views.py): it would keep them logging in after the directory disables them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def external(db):
    user = factories.UserFactory(username="alice")
    user.set_unusable_password()
    user.save()
    return user


@pytest.mark.parametrize("name", ["password_change", "account_set_password", "account_change_password"])
def test_no_password_page_for_an_external_account(client, external, name):
    client.force_login(external)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    assert "directory or identity provider" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()


def test_a_posted_password_is_not_set(client, external):
    client.force_login(external)
    data = {"password1": "A-new-password-42", "password2": "A-new-password-42"}
    response = client.post(reverse("account_set_password"), data)
    assert response.status_code == 302
    external.refresh_from_db()
    assert not external.has_usable_password()


def test_a_local_account_changes_its_password(client, user):
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
