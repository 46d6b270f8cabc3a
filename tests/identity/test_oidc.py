"""OpenID Connect against a real provider process on loopback (PyPI's ``oidc-provider-mock``):
first login creates the user from the claims with its mapped groups, a second maps to the same
account (keyed by ``sub``), a forged state, a replayed callback and a wrong nonce are refused, one
address at two identities (or at a local account) stays two accounts, and logging out ends the
provider's session too (its discovery offers ``end_session_endpoint``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.test import Client

from accounts.models import User
from identity.models import LoginEvent
from tests import factories
from tests.identity.oidc_mock import claims_set, issuer_fixture, providers_setting  # noqa: F401  the fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LOGIN_START = "/accounts/oidc/oidc/login/"


@pytest.fixture
def provider(issuer, settings, set_param):
    settings.SOCIALACCOUNT_PROVIDERS = providers_setting(issuer)
    set_param(403, True)
    return issuer


def _provider_login(client: Client, issuer: str, sub: str, nonce: str | None = None):
    """Start at the portal, consent at the provider as ``sub``; the callback URL (not followed).
    ``nonce`` replaces the one the portal sent (a token minted for another request)."""
    start = client.post(LOGIN_START)
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(issuer)
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert {"state", "code_challenge", "nonce"} <= set(query)  # state, PKCE and a nonce
    assert len(query["nonce"]) >= 32
    if nonce is not None:
        query["nonce"] = nonce
        authorize = f"{authorize.split('?', 1)[0]}?{urlencode(query)}"
    consent = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert consent.status_code == 302
    callback = urlsplit(consent.headers["Location"])
    return f"{callback.path}?{callback.query}"


def test_login_button_only_when_parameter_403_is_y(client, provider, set_param):
    page = client.get("/accounts/login/")
    assert "Log in with Mock IdP" in page.content.decode()
    # The button's form is answered with a redirect to the provider: the CSP's form-action allows it.
    form_action = next(d for d in page["Content-Security-Policy"].split(";") if "form-action" in d)
    assert provider in form_action
    set_param(403, False)
    assert "Log in with Mock IdP" not in client.get("/accounts/login/").content.decode()


def test_first_login_creates_the_user_and_the_second_maps_to_it(client, provider):
    claims_set(
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
    claims_set(provider, "alice-sub", email="alice@example.com", groups=["it-admins"])
    second = Client()
    second.get(_provider_login(second, provider, "alice-sub"))
    assert SESSION_KEY in second.session
    assert User.objects.filter(socialaccount__uid="alice-sub").count() == 1
    assert sorted(user.groups.values_list("name", flat=True)) == ["IT admins"]


def test_forged_state_and_replayed_callback_are_refused(client, provider):
    claims_set(provider, "mallory-sub", email="mallory@example.com")
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
        claims_set(provider, sub, email="shared@example.com", given_name=sub)
        client = Client()
        client.get(_provider_login(client, provider, sub))
        assert SESSION_KEY in client.session
        assert int(client.session[SESSION_KEY]) != local.pk
    users = set(
        SocialAccount.objects.filter(uid__in=["first-sub", "second-sub"]).values_list("user", flat=True)
    )
    assert len(users) == 2
    assert local.pk not in users


def test_a_token_with_another_nonce_is_refused(client, provider):
    """The provider signs an ID token for a nonce this browser did not send: no login."""
    claims_set(provider, "eve-sub", email="eve@example.com")
    r = client.get(
        _provider_login(client, provider, "eve-sub", nonce="another-requests-nonce-0123456789abcdef")
    )
    assert r.status_code == 401  # allauth's "login failure" page
    assert SESSION_KEY not in client.session
    assert not SocialAccount.objects.filter(uid="eve-sub").exists()


def test_each_login_sends_a_fresh_nonce(client, provider):
    nonces = set()
    for _ in range(2):
        location = client.post(LOGIN_START)["Location"]
        nonces.add(parse_qs(urlsplit(location).query)["nonce"][0])
    assert len(nonces) == 2


def test_logout_ends_the_provider_session_too(client, provider):
    claims_set(provider, "bob-sub", email="bob@example.com")
    client.get(_provider_login(client, provider, "bob-sub"))
    assert SESSION_KEY in client.session
    r = client.post("/accounts/logout/")
    assert SESSION_KEY not in client.session
    assert r.status_code == 302
    end_session = urlsplit(r["Location"])
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=5).json()
    assert (
        f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == discovery["end_session_endpoint"]
    )
    query = {k: v[0] for k, v in parse_qs(end_session.query).items()}
    assert query["post_logout_redirect_uri"].endswith("/accounts/login/")
    assert query["client_id"] == "smart-portal"
    assert query["id_token_hint"].count(".") == 2  # the ID token the provider issued (a JWT)
    # The provider accepts it and offers to end its session (its confirmation page).
    assert requests.get(r["Location"], timeout=5).status_code == 200


def test_logout_of_a_password_session_stays_in_the_portal(client):
    client.force_login(factories.UserFactory())
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
