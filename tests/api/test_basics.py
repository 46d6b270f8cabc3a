"""The API's base (api/): tokens (hashed, revocable, the user's rights), errors in one shape, the
language, CSRF on the session, throttling, the schema and its documentation pages."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create
from core.tokens import token_hash

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_paths():
    assert reverse("api:me") == ME
    assert reverse("api:tickets") == "/api/v1/tickets/"
    assert reverse("api:schema") == "/api/v1/schema/"
    assert reverse("api:docs") == "/api/v1/docs/"
    assert reverse("api:ticket-occurrences", args=[7]) == "/api/v1/tickets/7/occurrences/"


def test_anonymous_gets_401_json(api):
    r = api.get(ME)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
    assert set(r.json()) == {"detail", "code", "fields"}
    assert r.json()["code"] == "not_authenticated"


def test_bearer_token(bearer, user, token):
    r = bearer.get(ME)
    assert r.status_code == 200, r.content
    assert r.json()["username"] == "maria"
    row = ApiToken.objects.get()
    assert row.token_hash == token_hash(token)
    assert token not in (row.prefix, row.token_hash)
    assert row.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer a b", "Bearer " + "x" * 300])
def test_bad_token(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    r = api.get(ME)
    assert r.status_code == 401
    assert r.json()["code"] == "authentication_failed"


def test_revoked_expired_and_deactivated_stop_at_once(bearer, user):
    assert bearer.get(ME).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert bearer.get(ME).status_code == 401
    ApiToken.objects.update(revoked_at=None, expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer.get(ME).status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert bearer.get(ME).status_code == 200
    user.is_active = False
    user.save()
    r = bearer.get(ME)
    assert r.status_code == 401
    assert r.json()["detail"] == "This user is deactivated."


def test_session_needs_csrf_on_unsafe_methods(user, ticket, set_param):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(ME).status_code == 200
    r = client.post(f"/api/v1/tickets/{ticket.pk}/cancel/", {}, format="json")
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    assert "CSRF" in r.json()["detail"]


def test_token_post_needs_no_csrf(bearer, ticket, set_param):
    set_param(302, True)
    r = bearer.post(f"/api/v1/tickets/{ticket.pk}/cancel/", {}, format="json")
    assert r.status_code == 200, r.content


def test_language_from_accept_language_else_preference(bearer, user):
    r = bearer.get("/api/v1/tickets/1/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert r.status_code == 404
    assert r["Content-Language"] == "pt-br"
    assert r.json()["detail"] != "Not found."
    assert bearer.get(ME, HTTP_ACCEPT_LANGUAGE="es").json()["language"] == "es"
    user.preferred_language = "es"
    user.save()
    assert bearer.get(ME).json()["language"] == "es"
    assert bearer.get(ME, HTTP_ACCEPT_LANGUAGE="en").json()["language"] == "en"


def test_throttle_per_token_with_retry_after(bearer, settings, user, api):
    settings.API_THROTTLE_RATE = "3/min"
    for _ in range(3):
        assert bearer.get(ME).status_code == 200
    r = bearer.get(ME)
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    assert r.json()["code"] == "throttled"
    # Another token of the same user counts apart; the session counts per user.
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='b', days=7)[1]}")
    assert other.get(ME).status_code == 200


def test_schema_and_docs_served_locally_with_csp(client):
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in ("/api/v1/me/", "/api/v1/tickets/", "/api/v1/tickets/{id}/occurrences/"):
        assert p in paths, sorted(paths)
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn" not in html.lower()
        assert "script-src 'self'" in page["Content-Security-Policy"]
        # No inline script: every <script> has a src (the CSP forbids inline ones).
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html), html


def test_token_page_shows_secret_once_and_revokes(client_as, user, other_user):
    client = client_as(user)
    page = client.get(reverse("api:tokens"))
    assert page.status_code == 200
    assert "You have no API token." in page.content.decode()
    r = client.post(reverse("api:tokens"), {"name": "My script", "expires_in": 30})
    html = r.content.decode()
    secret = re.search(r'id="token-secret" value="([^"]+)"', html).group(1)
    assert secret.startswith("sp_")
    again = client.get(reverse("api:tokens")).content.decode()
    assert secret not in again
    assert "My script" in again
    row = ApiToken.objects.get()
    assert row.token_hash == token_hash(secret)
    # Another user cannot revoke it; its owner can, and it stops at once.
    other = client_as(other_user)
    assert other.post(reverse("api:token-revoke", args=[row.pk])).status_code == 404
    client.force_login(user)
    assert client.post(reverse("api:token-revoke", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_token_form_validation(client_as, user):
    r = client_as(user).post(reverse("api:tokens"), {"name": "", "expires_in": 5})
    assert r.status_code == 200
    assert not ApiToken.objects.exists()
    assert "This field is required." in r.content.decode()


def test_own_messages_are_translated(bearer):
    r = bearer.get("/api/v1/tickets/", {"cursor": "zz"}, HTTP_ACCEPT_LANGUAGE="es")
    assert r.json() == {
        "detail": "Revise los campos.",
        "code": "invalid",
        "fields": {"cursor": ["Cursor no válido."]},
    }
    r = bearer.get("/api/v1/tickets/", {"cursor": "zz"}, HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert r.json()["fields"] == {"cursor": ["Cursor inválido."]}


def test_admin_lists_and_revokes_without_the_secret(client, admin_user, user, token):
    client.force_login(admin_user)
    page = client.get("/admin/api/apitoken/")
    assert page.status_code == 200
    assert token not in page.content.decode()
    row = ApiToken.objects.get()
    detail = client.get(f"/admin/api/apitoken/{row.pk}/change/").content.decode()
    assert token not in detail
    assert row.token_hash not in detail
    r = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]}, follow=True)
    assert "1 token revoked." in r.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert client.get("/admin/api/apitoken/add/").status_code == 403
