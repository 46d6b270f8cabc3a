"""Identity in the browser: the login page in three languages and on a phone, "Forgot your
password?" end to end, the Security page, and a passkey registered and used to log in through
Chromium's virtual authenticator (DevTools protocol ``WebAuthn``)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from identity.models import LoginEvent
from outbox.models import OutboundEmail

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://\S+/accounts/\S+")


@pytest.mark.parametrize("language", ["pt-br", "en", "es"])
def test_login_page_in_each_language_on_a_phone(page, maria, language, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#forgot-password-link")).to_be_visible()
    expect(page.locator("#passkey_login")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_forgot_password_end_to_end(page, maria, login, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto("/accounts/login/")
    page.locator("#forgot-password-link").click()
    page.locator("input[name=email]").fill(maria.email)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    body = OutboundEmail.objects.get(recipient=maria.email).context["BODY"]
    page.goto(LINK.search(body).group(0))
    page.locator("input[name=password1]").fill("Brand-new-passw0rd")
    page.locator("input[name=password2]").fill("Brand-new-passw0rd")
    page.locator("main form button[name=action]").click()
    expect(page.locator("main")).to_contain_text(re.compile("password", re.I))
    login(page, "maria", "Brand-new-passw0rd")


def test_passkey_registered_on_the_security_page_logs_in_without_a_password(page, maria, login, new_page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    login(page, "maria", "maria")
    page.locator("#user-menu").click()
    page.locator("#security-menu-link").click()
    expect(page.locator("h1")).to_have_text("Security")
    expect(page.locator("main table")).to_contain_text("This session")
    page.locator("#passkey-add").click()
    # Adding a factor asks for the password again (allauth's reauthentication).
    page.locator("main form input[name=password]").fill("maria")
    page.locator("main form button[type=submit]").click()
    page.locator("main form input[name=passwordless]").check()
    page.locator("#mfa_webauthn_add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]})
    assert len(credentials["credentials"]) == 1

    # Log out, then in again with the passkey alone.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#passkey_login").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("#user-menu")).to_have_text("Maria Silva")
    assert LoginEvent.objects.filter(user=maria, success=True).latest("id").method == "passkey"


def test_sign_up_then_verify_the_address(page, transactional_db, live_server, settings, login):
    from parameters.services import parameter_set

    settings.SITE_URL = live_server.url
    parameter_set(p=2302, value=True)
    page.goto("/accounts/login/")
    page.locator("#signup-link").click()
    form = page.locator("main form")
    form.locator("input[name=email]").fill("nova@example.com")
    form.locator("input[name=username]").fill("nova")
    form.locator("input[name=password1]").fill("Nova-passw0rd-1")
    form.locator("input[name=password2]").fill("Nova-passw0rd-1")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    body = OutboundEmail.objects.get(recipient="nova@example.com").context["BODY"]
    page.goto(LINK.search(body).group(0))
    page.locator("main form button[type=submit]").click()
    login(page, "nova", "Nova-passw0rd-1")


def test_authenticator_app_set_up_on_the_security_page_then_asked_at_login(page, maria, login):
    import pyotp

    login(page, "maria", "maria")
    page.goto("/accounts/security/")
    page.locator("#totp-activate").click()
    page.locator("main form input[name=password]").fill("maria")
    page.locator("main form button[type=submit]").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main form input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(re.compile("recovery", re.I))

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill("maria")
    form.locator("input[name=password]").fill("maria")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.locator("main form input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#user-menu")).to_have_text("Maria Silva")
