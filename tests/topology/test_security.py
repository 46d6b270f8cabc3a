"""Production hardening seen from a client: CSP without inline script, security headers, /health/,
login throttling (django-axes) and a clean ``check --deploy``. Runs in the ordinary suites."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
# A JSON data block (allauth's passkey button reads its ids from one) is data, never run (CSP allows it).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def assert_no_inline_script(html: str) -> None:
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)
    assert not EVENT_HANDLER.findall(html), EVENT_HANDLER.findall(html)[:3]


def test_csp_forbids_inline_script_and_pages_have_none(client_as, user, admin_user, ticket, set_param):
    set_param(252, True)
    set_param(298, True)
    client = client_as(user)
    for url in [
        reverse("portal:home"),
        reverse("tickets:my-requests"),
        reverse("tickets:description", args=[ticket.pk]),
        reverse("occurrences:register", args=[ticket.pk]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert_no_inline_script(r.content.decode())
    admin = client_as(admin_user)
    for url in ["/admin/", "/admin/tickets/ticket/", f"/admin/tickets/ticket/{ticket.pk}/change/"]:
        r = admin.get(url)
        assert r.status_code == 200, url
        assert_no_inline_script(r.content.decode())


def test_login_page_security_headers(client, db):
    r = client.get(reverse("login"))
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in r.headers
    assert_no_inline_script(r.content.decode())


def test_health_answers_anonymous_requests(client, db, settings):
    settings.REDIS_URL = ""
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_health_is_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    r = client.get("/health/")
    assert r.status_code == 503
    assert r.json()["redis"] == "unavailable"
    assert r.json()["database"] == "ok"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def test_login_locked_after_failures_for_that_user_and_address(client, axes_on, db):
    victim = factories.UserFactory(username="victim")
    victim.set_password("right-password-1")
    victim.save()
    url = reverse("login")
    statuses = [client.post(url, {"username": "victim", "password": "wrong"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # locked out at the third failure (AXES_FAILURE_LIMIT)
    r = client.post(url, {"username": "victim", "password": "right-password-1"})
    assert r.status_code == 429
    assert "Too many failed login attempts" in r.content.decode()
    assert b'name="username"' in r.content  # the login page itself, with the reason
    # Another address may still log in as that user; that address may log in as another user.
    other_ip = client.post(
        url, {"username": "victim", "password": "right-password-1"}, REMOTE_ADDR="10.1.2.3"
    )
    assert other_ip.status_code == 302
    colleague = factories.UserFactory(username="colleague")
    colleague.set_password("colleague-pass-1")
    colleague.save()
    client.logout()
    r = client.post(url, {"username": "colleague", "password": "colleague-pass-1"})
    assert r.status_code == 302


def test_lockout_message_is_translated(client, axes_on, db):
    factories.UserFactory(username="vitima")
    for _ in range(4):
        r = client.post(
            reverse("login"), {"username": "vitima", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="pt-br"
        )
    assert r.status_code == 429
    # Marked for translation (gettext); the page is rendered in the request's language.
    assert '<html lang="pt-br"' in r.content.decode() or 'lang="pt-br"' in r.content.decode()


def test_check_deploy_reports_nothing():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartportal.settings.production",
        "SECRET_KEY": "check-deploy-test-" + "k" * 50,
    }
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues" in r.stdout
