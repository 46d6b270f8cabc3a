"""The installable portal's three files (portal.views: web_manifest, service_worker, offline): served
to anyone, cacheable because they carry no user's data; the worker stores only the offline page."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_manifest_names_the_portal_its_colours_and_icons(client):
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/manifest+json"
    data = json.loads(r.content)
    assert (data["name"], data["short_name"], data["start_url"], data["scope"]) == (
        "Smart Portal",
        "Portal",
        "/",
        "/",
    )
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0a58ca"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:  # a PNG of the stated size (its IHDR chunk), drawn by tools/make_icons.py
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path, icon["src"]
        head = Path(path).read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        size = int.from_bytes(head[16:20], "big")
        assert icon["sizes"] == f"{size}x{size}"


@pytest.mark.django_db
def test_service_worker_is_served_at_the_root_and_stores_only_the_offline_page(client):
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/javascript")
    assert "no-cache" in r["Cache-Control"]
    js = r.content.decode()
    assert 'const OFFLINE_URL = "/offline/";' in js
    assert js.count("cache.add(") == 1  # the offline page, nothing else
    assert "cache.put" not in js


@pytest.mark.django_db
def test_offline_page_names_no_user_even_when_asked_by_one(client_as, user):
    r = client_as(user).get("/offline/")
    assert r.status_code == 200
    html = r.content.decode()
    assert user.username not in html
    assert user.get_full_name() not in html
    assert "csrfmiddlewaretoken" not in html
    assert "public" in r["Cache-Control"]
