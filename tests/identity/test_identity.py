"""Identity (identity/, django-allauth): login, reset by link through the outbox, multi-factor,
self-registration, sessions and login events, through the real pages."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import User
from identity import sessionpolicy
from identity.models import LoginEvent
from outbox.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/\S+")


def _login(client: Client, username: str, password: str = "pw"):  # noqa: S107  the factories' test password
    return client.post(reverse("login"), {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- login -------------------------------------------------------------------------------------


def test_login_page_and_password_login_record_events(client):
    user = factories.UserFactory(username="ana")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'id="forgot-password-link"' in html  # parameter 116, Y by default
    assert 'id="signup-link"' not in html  # parameter 2302, N by default

    assert _login(client, "ana", "wrong").status_code == 200
    r = _login(client, "ana")
    assert r.status_code == 302
    assert _logged_in(client)
    events = list(LoginEvent.objects.order_by("id").values_list("username", "user", "method", "success"))
    assert events == [("ana", user.pk, "password", False), ("ana", user.pk, "password", True)]


def test_admin_login_is_the_portal_login(client):
    r = client.get("/admin/login/?next=/admin/")
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


def test_login_event_admin_is_read_only(admin_client):
    factories.UserFactory(username="bea")
    Client().post(reverse("login"), {"username": "bea", "password": "wrong"})
    r = admin_client.get(reverse("admin:identity_loginevent_changelist"))
    assert r.status_code == 200
    assert "bea" in r.content.decode()
    event = LoginEvent.objects.get(username="bea")
    r = admin_client.post(reverse("admin:identity_loginevent_change", args=[event.pk]), {"success": "on"})
    assert r.status_code == 403
    assert LoginEvent.objects.get(pk=event.pk).success is False


# --- forgotten password --------------------------------------------------------------------------


def _reset_emails():
    return OutboundEmail.objects.filter(idempotency_key__startswith="identity:").order_by("id")


def test_reset_link_through_the_outbox_in_the_users_language_works_once(client):
    user = factories.UserFactory(username="carla", email="carla@example.com", preferred_language="pt-br")
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    known = client.post(reverse("account_reset_password"), {"email": "carla@example.com"})
    # The same answer whether the address exists or not; only a known address gets an e-mail.
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    [email] = _reset_emails()
    assert email.recipient == "carla@example.com"
    assert email.language == "pt-br"
    assert "senha" in email.context["BODY"].lower()  # rendered in Portuguese
    link = LINK.search(email.context["BODY"]).group(0)
    assert link.startswith("http://testserver/") or link.startswith("http")
    path = "/" + link.split("/", 3)[3]

    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = {"password1": "A-new-passw0rd!", "password2": "A-new-passw0rd!"}
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else path, new)
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A-new-passw0rd!")
    # The link works once.
    again = client.get(path, follow=True)
    assert 'name="password1"' not in again.content.decode()


def test_reset_link_expires(client, settings):
    factories.UserFactory(username="dora", email="dora@example.com")
    client.post(reverse("account_reset_password"), {"email": "dora@example.com"})
    path = "/" + LINK.search(_reset_emails().get().context["BODY"]).group(0).split("/", 3)[3]
    settings.PASSWORD_RESET_TIMEOUT = -1
    r = client.get(path, follow=True)
    assert 'name="password1"' not in r.content.decode()


def test_reset_for_a_directory_account_says_to_use_it(client):
    user = factories.UserFactory(username="ldapuser", email="ldap@example.com")
    user.set_unusable_password()
    user.save()
    client.post(reverse("account_reset_password"), {"email": "ldap@example.com"})
    body = _reset_emails().get().context["BODY"]
    assert "directory or identity provider" in body
    assert not LINK.search(body)


def test_reset_is_throttled(client):
    factories.UserFactory(username="eva", email="eva@example.com")
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": "eva@example.com"})
    assert _reset_emails().count() == 3  # ACCOUNT_RATE_LIMITS reset_password_email: 3 an hour


# --- multi-factor --------------------------------------------------------------------------------


def test_totp_is_asked_after_the_password(client):
    user = factories.UserFactory(username="fabio")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    r = _login(client, "fabio")
    assert r.status_code == 302
    assert r["Location"] == reverse("mfa_authenticate")
    assert not _logged_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert not _logged_in(client)
    r = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 302
    assert _logged_in(client)
    assert LoginEvent.objects.filter(user=user, success=True).get().method == "mfa"


def test_recovery_code_works_once(client):
    user = factories.UserFactory(username="gil")
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    _login(client, "gil")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert _logged_in(client)
    other = Client()
    _login(other, "gil")
    assert other.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert not _logged_in(other)


def test_staff_must_set_up_a_second_factor_when_required(client, set_param):
    set_param(2301, True)
    factories.UserFactory(username="staffer", is_staff=True)
    _login(client, "staffer")
    r = client.get(reverse("portal:home"))
    assert r.status_code == 302
    assert r["Location"] == reverse("identity:security")
    assert client.get(reverse("identity:security")).status_code == 200
    # An end user is not asked.
    factories.UserFactory(username="enduser")
    end = Client()
    _login(end, "enduser")
    assert end.get(reverse("portal:home")).status_code == 200


def test_staff_with_a_second_factor_is_not_held(client, set_param):
    set_param(2301, True)
    user = factories.UserFactory(username="staff2", is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _login(client, "staff2")
    client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert client.get(reverse("portal:home")).status_code == 200


# --- the Security page and sessions --------------------------------------------------------------


def test_security_page_lists_sessions_and_logs_out_the_others():
    factories.UserFactory(username="hugo")
    phone, laptop = Client(HTTP_USER_AGENT="Phone browser"), Client(HTTP_USER_AGENT="Laptop browser")
    _login(phone, "hugo")
    _login(laptop, "hugo")
    page = laptop.get(reverse("identity:security")).content.decode()
    assert "Phone browser" in page
    assert "Laptop browser" in page
    assert 'id="logout-other-sessions"' in page
    laptop.post(reverse("usersessions_list"))
    assert phone.get(reverse("portal:home")).status_code == 302  # to the login page
    assert laptop.get(reverse("portal:home")).status_code == 200
    assert UserSession.objects.count() == 1


def test_deactivating_a_user_ends_their_sessions(admin_client, django_capture_on_commit_callbacks):
    user = factories.UserFactory(username="ivo")
    client = Client()
    _login(client, "ivo")
    assert UserSession.objects.filter(user=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get(reverse("portal:home")).status_code == 302


def test_idle_timeout_and_absolute_lifetime(client, set_param, settings):
    factories.UserFactory(username="joao")
    set_param(449, 5)
    _login(client, "joao")
    session = client.session
    session[sessionpolicy.SEEN_AT] = int(time.time()) - 4 * 60
    session.save()
    assert client.get(reverse("portal:home")).status_code == 200  # 4 minutes idle: still in
    session = client.session
    session[sessionpolicy.SEEN_AT] = int(time.time()) - 6 * 60
    session.save()
    r = client.get(reverse("portal:home"))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))
    assert not _logged_in(client)

    _login(client, "joao")
    session = client.session
    session[sessionpolicy.LOGIN_AT] = int(time.time()) - int(settings.SESSION_ABSOLUTE_HOURS * 3600) - 10
    session.save()
    assert client.get(reverse("portal:home")).status_code == 302
    assert not _logged_in(client)


# --- self-registration ---------------------------------------------------------------------------


SIGNUP = {"username": "newbie", "password1": "Sign-up-passw0rd!", "password2": "Sign-up-passw0rd!"}


def test_signup_is_closed_by_default(client):
    r = client.post(reverse("account_signup"), {**SIGNUP, "email": "newbie@example.com"})
    assert r.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_signup_refuses_a_foreign_domain(client, set_param):
    set_param(2302, True)
    set_param(2303, "example.com, example.org")
    r = client.post(reverse("account_signup"), {**SIGNUP, "email": "newbie@elsewhere.net"})
    assert r.status_code == 200
    assert "example.com, example.org" in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_signup_verifies_the_address_before_the_first_login(client, set_param):
    set_param(2302, True)
    group = factories.GroupFactory(name="Self-registered")
    set_param(373, group.pk)
    assert 'id="signup-link"' in client.get(reverse("login")).content.decode()
    r = client.post(reverse("account_signup"), {**SIGNUP, "email": "newbie@example.com"})
    assert r.status_code == 302
    assert r["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(username="newbie")
    assert list(user.groups.all()) == [group]
    assert not _logged_in(client)
    # An unverified address cannot log in.
    other = Client()
    r = _login(other, "newbie", SIGNUP["password1"])
    assert r["Location"] == reverse("account_email_verification_sent")
    assert not _logged_in(other)
    email = _reset_emails().filter(recipient="newbie@example.com").first()
    link = LINK.search(email.context["BODY"]).group(0)
    path = "/" + link.split("/", 3)[3]
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified
    third = Client()
    assert _login(third, "newbie", SIGNUP["password1"]).status_code == 302
    assert _logged_in(third)
