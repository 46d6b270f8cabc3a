"""Logging in through an OpenID Connect provider in the browser: PyPI's ``oidc-provider-mock`` runs as
a real process on loopback (tests/identity/oidc_mock.py). The button is labelled in the three
languages; the first login creates the user with the provider's name and mapped groups; logging out
continues at the provider's end-session page; a second login is the same account. axe audits the
portal's pages (the provider's own pages are not the portal's)."""

from __future__ import annotations

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from tests.identity.oidc_mock import claims_set, issuer_fixture, providers_setting  # noqa: F401  the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

LABELS = {"en": "Log in with Mock IdP", "pt-br": "Entrar com Mock IdP", "es": "Iniciar sesión con Mock IdP"}


@pytest.fixture
def provider(issuer, settings, set_param, live_server):
    settings.SOCIALACCOUNT_PROVIDERS = providers_setting(issuer)
    settings.SITE_URL = live_server.url  # post_logout_redirect_uri
    set_param(403, True)
    return issuer


def _consent(page, issuer: str, sub: str) -> None:
    """At the provider's authorization page, as a user would: type the subject, authorize."""
    expect(page).to_have_url(re.compile(rf"^{re.escape(issuer)}/oauth2/authorize"))
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


@pytest.mark.parametrize("language", ["pt-br", "en", "es"])
def test_login_button_in_each_language(page, provider, language, live_server):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/accounts/login/")
    expect(page.locator("button.sso-login")).to_have_text(LABELS[language])


def test_login_through_the_provider_logout_and_again(page, new_page, provider, live_server):
    claims_set(
        provider,
        "ana-sub",
        email="ana@example.com",
        given_name="Ana",
        family_name="Lima",
        groups=["helpdesk"],
    )
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in with Mock IdP").click()
    _consent(page, provider, "ana-sub")
    expect(page.locator("#user-menu")).to_have_text("Ana Lima")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/"))
    user = SocialAccount.objects.get(provider="oidc", uid="ana-sub").user
    assert list(user.groups.values_list("name", flat=True)) == ["Service desk"]

    # Exit: the portal's session ends and the browser continues at the provider's end-session page.
    page.locator("#user-menu").click()
    page.locator("button[form=shell-logout-form]").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(provider)}/oauth2/end_session\?.*id_token_hint="))

    # A second login, in another browser, groups changed at the provider: the same account.
    claims_set(
        provider,
        "ana-sub",
        email="ana@example.com",
        given_name="Ana",
        family_name="Lima",
        groups=["it-admins"],
    )
    other = new_page()
    other.goto("/accounts/login/")
    other.get_by_role("button", name="Log in with Mock IdP").click()
    _consent(other, provider, "ana-sub")
    expect(other.locator("#user-menu")).to_have_text("Ana Lima")
    assert SocialAccount.objects.filter(uid="ana-sub").count() == 1
    assert list(user.groups.values_list("name", flat=True)) == ["IT admins"]
