"""Logging in through a SAML 2.0 identity provider in the browser: a real IdP process on loopback
(tests/identity/saml_idp.py) with a login form, signed assertions and single logout. The button is
labelled in the three languages; the first login creates the user with the IdP's name and mapped
groups; a second login is the same account (the NameID); "Exit" ends the portal's session and the
IdP's (a LogoutRequest, answered back at the portal), so the next login asks at the IdP again. axe
audits the portal's pages (the IdP's own pages are not the portal's)."""

from __future__ import annotations

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from identity.saml import saml_app_settings
from tests.identity.saml_idp import saml_idp_fixture  # noqa: F401  the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

NAME = "Test IdP"
LABELS = {"en": f"Log in with {NAME}", "pt-br": f"Entrar com {NAME}", "es": f"Iniciar sesión con {NAME}"}
ANA = {"email": "ana@example.com", "givenName": "Ana", "sn": "Lima", "groups": ["helpdesk"]}


@pytest.fixture
def provider(saml_idp, settings, set_param, live_server):
    """The portal's settings as smartportal/settings/base.py builds them from SAML_IDP_METADATA_URL."""
    saml_idp.users_set({"ana": ANA})
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {
            "APPS": [
                {
                    "name": NAME,
                    "client_id": "idp",
                    "settings": saml_app_settings(
                        metadata_url=f"{saml_idp.url}/metadata",
                        metadata_file="",
                        sp_entity_id=f"{live_server.url}/accounts/saml/idp/metadata/",
                        groups_attribute="groups",
                        group_map="helpdesk=Service desk; it-admins=IT admins",
                    ),
                }
            ]
        },
    }
    settings.SITE_URL = live_server.url
    set_param(403, True)
    return saml_idp


def _log_in_at_the_idp(page, idp, uid: str) -> None:
    """At the IdP's login form, as a user would: type the user name, log in."""
    expect(page).to_have_url(re.compile(rf"^{re.escape(idp.url)}/sso\?SAMLRequest="))
    page.get_by_label("User name").fill(uid)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("language", ["pt-br", "en", "es"])
def test_login_button_in_each_language(page, provider, language, live_server):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/accounts/login/")
    expect(page.locator("button.sso-login")).to_have_text(LABELS[language])


def test_login_through_the_idp_again_and_single_logout(page, new_page, provider, live_server):
    portal = re.compile(rf"^{re.escape(live_server.url)}/")
    page.goto("/accounts/login/")
    page.get_by_role("button", name=LABELS["en"]).click()
    _log_in_at_the_idp(page, provider, "ana")
    expect(page.locator("#user-menu")).to_have_text("Ana Lima")
    expect(page).to_have_url(portal)
    user = SocialAccount.objects.get(provider="saml", uid="ana").user
    assert list(user.groups.values_list("name", flat=True)) == ["Service desk"]

    # A second login, in another browser, groups changed at the IdP: the same account (the NameID).
    provider.users_set({"ana": {**ANA, "groups": ["it-admins"]}})
    other = new_page()
    other.goto("/accounts/login/")
    other.get_by_role("button", name=LABELS["en"]).click()
    _log_in_at_the_idp(other, provider, "ana")
    expect(other.locator("#user-menu")).to_have_text("Ana Lima")
    assert SocialAccount.objects.filter(provider="saml").count() == 1
    assert list(user.groups.values_list("name", flat=True)) == ["IT admins"]

    # The IdP keeps its session: with the portal's cookies gone, the button logs in without its form.
    other.context.clear_cookies(domain=re.compile(r"^localhost$"))
    other.goto("/accounts/login/")
    other.get_by_role("button", name=LABELS["en"]).click()
    expect(other.locator("#user-menu")).to_have_text("Ana Lima")

    # Exit: the portal's session ends, the IdP's too (a LogoutRequest, answered at the portal's single
    # logout service), and the browser is back at the portal's login page.
    other.locator("#user-menu").click()
    other.locator("button[form=shell-logout-form]").click()
    expect(other).to_have_url(f"{live_server.url}/accounts/login/")
    expect(other.locator("#user-menu")).to_have_count(0)

    # Logging in again asks at the IdP again: its session ended.
    other.get_by_role("button", name=LABELS["en"]).click()
    _log_in_at_the_idp(other, provider, "ana")
    expect(other.locator("#user-menu")).to_have_text("Ana Lima")
