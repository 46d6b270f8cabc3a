"""OpenID Connect against a real provider process on loopback (PyPI's ``oidc-provider-mock``):
first login creates the user from the claims with its mapped groups, a second maps to the same
account (keyed by ``sub``), a forged state and a replayed callback are refused, and one address at
two identities (or at a local account) stays two accounts."""

from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts.models import User
from identity.models import LoginEvent
from tests import factories
from tests.smtp import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LOGIN_START = "/accounts/oidc/oidc/login/"


@pytest.fixture(scope="module")
def issuer():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{url}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("oidc-provider-mock did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def provider(issuer, settings, set_param):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "Mock IdP",
                    "client_id": "smart-portal",
                    "secret": "client-secret",
                    "settings": {
                        "server_url": issuer,
                        "oauth_pkce_enabled": True,
                        "groups_claim": "groups",
                        "group_map": "helpdesk=Service desk; it-admins=IT admins",
                    },
                }
            ],
        }
    }
    set_param(403, True)
    return issuer


def _claims(issuer: str, sub: str, **claims) -> None:
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()


def _provider_login(client: Client, issuer: str, sub: str):
    """Start at the portal, consent at the provider as ``sub``; the callback URL (not followed)."""
    start = client.post(LOGIN_START)
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(issuer)
    query = dict(p.split("=", 1) for p in urlsplit(authorize).query.split("&"))
    assert {"state", "code_challenge"} <= set(query)  # state and PKCE (allauth 65 sends no nonce)
    consent = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert consent.status_code == 302
    callback = urlsplit(consent.headers["Location"])
    return f"{callback.path}?{callback.query}"


def test_login_button_only_when_parameter_403_is_y(client, provider, set_param):
    assert "Log in with Mock IdP" in client.get("/accounts/login/").content.decode()
    set_param(403, False)
    assert "Log in with Mock IdP" not in client.get("/accounts/login/").content.decode()


def test_first_login_creates_the_user_and_the_second_maps_to_it(client, provider):
    _claims(
        provider,
        "alice-sub",
        email="alice@example.com",
        given_name="Alice",
        family_name="Doe",
        locale="es",
        groups=["helpdesk", "not-mapped"],
    )
    r = client.get(_provider_login(client, provider, "alice-sub"))
    assert r.status_code == 302
    assert SESSION_KEY in client.session
    account = SocialAccount.objects.get(provider="oidc", uid="alice-sub")
    user = account.user
    assert (user.first_name, user.last_name, user.email) == ("Alice", "Doe", "alice@example.com")
    assert user.preferred_language == "es"
    assert sorted(user.groups.values_list("name", flat=True)) == ["Service desk"]
    assert not user.is_staff
    assert LoginEvent.objects.filter(user=user, success=True).latest("id").method == "provider"

    # Second login, groups changed at the provider: the same account, groups mirrored again.
    _claims(provider, "alice-sub", email="alice@example.com", groups=["it-admins"])
    second = Client()
    second.get(_provider_login(second, provider, "alice-sub"))
    assert SESSION_KEY in second.session
    assert User.objects.filter(socialaccount__uid="alice-sub").count() == 1
    assert sorted(user.groups.values_list("name", flat=True)) == ["IT admins"]


def test_forged_state_and_replayed_callback_are_refused(client, provider):
    _claims(provider, "mallory-sub", email="mallory@example.com")
    callback = _provider_login(client, provider, "mallory-sub")
    forged = callback.replace("state=", "state=forged")
    client.get(forged)
    assert SESSION_KEY not in client.session
    # The genuine callback still works once; a replay (another browser, or the same later) does not.
    other = Client()
    other.get(callback)
    assert SESSION_KEY not in other.session
    client.get(callback)
    assert SESSION_KEY in client.session
    client.logout()
    client.get(callback)
    assert SESSION_KEY not in client.session


def test_one_address_at_two_identities_and_a_local_account_stays_three_accounts(provider):
    local = factories.UserFactory(username="shared", email="shared@example.com")
    for sub in ("first-sub", "second-sub"):
        _claims(provider, sub, email="shared@example.com", given_name=sub)
        client = Client()
        client.get(_provider_login(client, provider, sub))
        assert SESSION_KEY in client.session
        assert int(client.session[SESSION_KEY]) != local.pk
    users = set(
        SocialAccount.objects.filter(uid__in=["first-sub", "second-sub"]).values_list("user", flat=True)
    )
    assert len(users) == 2
    assert local.pk not in users
