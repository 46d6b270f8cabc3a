"""The user menu's "Push notifications" page (push.views): the menu entry only when push is
configured, the device list (own devices only, query count pinned at two sizes), the JSON
subscribe/unsubscribe the page's script posts (CSRF-checked, validated), removing a device, and the
service worker's push handlers (templates/portal/sw.js) beside its one cached page."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from push.models import PushSubscription

pytestmark = pytest.mark.django_db


def test_menu_entry_and_page_exist_only_when_push_is_configured(client_as, user, settings):
    settings.VAPID_PUBLIC_KEY = ""
    client = client_as(user)
    assert 'id="push-menu-link"' not in client.get("/").content.decode()
    assert client.get(reverse("push:devices")).status_code == 404
    assert client.post(reverse("push:subscribe"), "{}", content_type="application/json").status_code == 404


def test_the_page_lists_only_the_users_devices_with_a_constant_query_count(
    vapid, push_service, subscribe, client_as, user, other_user
):
    client = client_as(user)
    home = client.get("/").content.decode()
    assert 'id="push-menu-link"' in home
    r = client.get(reverse("push:devices"))
    assert r.status_code == 200
    assert 'id="push-devices-empty"' in r.content.decode()
    assert "no-store" in r["Cache-Control"]
    subscribe(other_user, push_service.device("joao"))

    def count():
        client.get(reverse("push:devices"))  # warm the shell's cache
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("push:devices"))
        return len(ctx), page.content.decode()

    subscribe(user, push_service.device("one"))
    small, html = count()
    for i in range(9):
        subscribe(user, push_service.device(f"d{i}"))
    large, html = count()
    assert small == large
    assert html.count('class="list-group-item') == 10
    assert push_service.url("joao") not in html
    assert f'data-public-key="{vapid[0]}"' in html


def test_subscribe_saves_the_browsers_subscription_and_refuses_a_bad_one(
    vapid, push_service, user, other_user
):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0 (Android 15) Chrome/131")
    client.force_login(user)
    device = push_service.device("phone")
    url = reverse("push:subscribe")
    body = json.dumps(device.subscription_json())
    assert client.post(url, body, content_type="application/json").status_code == 403  # no CSRF token
    client.get(reverse("push:devices"))
    token = client.cookies["csrftoken"].value
    r = client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.endpoint, saved.user_agent) == (
        user,
        device.endpoint,
        "Mozilla/5.0 (Android 15) Chrome/131",
    )
    bad = {**device.subscription_json(), "keys": {"p256dh": "x", "auth": "y"}}
    r = client.post(url, json.dumps(bad), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 400
    assert r.json()["detail"] == "The browser sent an incomplete subscription."
    r = client.post(url, "not json", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 400
    # Turning push off on the device: only the user's own subscription goes.
    other = push_service.device("other")
    PushSubscription.objects.create(
        user=other_user, endpoint=other.endpoint, p256dh=other.p256dh, auth=other.auth_b64
    )
    off = reverse("push:unsubscribe")
    r = client.post(
        off, json.dumps({"endpoint": other.endpoint}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert r.json() == {"removed": 0}
    r = client.post(
        off,
        json.dumps({"endpoint": device.endpoint}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert r.json() == {"removed": 1}
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [other_user.pk]


def test_remove_a_device_from_the_list(vapid, push_service, subscribe, client_as, user, other_user):
    mine = subscribe(user, push_service.device("mine"))
    theirs = subscribe(other_user, push_service.device("theirs"))
    client = client_as(user)
    assert client.get(reverse("push:device-remove", args=[mine.pk])).status_code == 405
    assert client.post(reverse("push:device-remove", args=[theirs.pk])).status_code == 404
    r = client.post(reverse("push:device-remove", args=[mine.pk]), follow=True)
    assert "The device was removed" in r.content.decode()
    assert list(PushSubscription.objects.all()) == [theirs]


def test_the_service_worker_shows_pushes_and_opens_only_portal_pages(client):
    js = client.get("/sw.js").content.decode()
    assert 'addEventListener("push"' in js
    assert 'addEventListener("notificationclick"' in js
    assert "target.origin === self.location.origin" in js
    assert js.count("cache.add(") == 1  # still only the offline page
    assert "cache.put" not in js
