"""API tokens (user menu) in a real browser: create a token (the secret shown once), call the API
with it from the browser's own HTTP client, revoke it (the next call is refused), on a phone-sized
screen. axe-core and JavaScript errors are checked by conftest.py."""

import re

from playwright.sync_api import expect


def test_api_tokens_page(page, login, maria, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "maria", "maria")
    page.goto("/api/tokens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("#tokens-empty")).to_be_visible()
    page.get_by_label("Name").fill("My laptop script")
    page.get_by_label("Expires in").select_option("7")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#token-secret").input_value()
    assert re.fullmatch(r"sp_[\w-]{40,}", secret)
    api = page.context.request
    r = api.get(f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert r.status == 200
    assert r.json()["username"] == "maria"
    page.goto("/api/tokens/")
    expect(page.locator("#token-secret")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke token My laptop script").click()
    expect(page.get_by_text("Token My laptop script revoked.")).to_be_visible()
    expect(page.locator("#token-table")).to_contain_text("Revoked")
    r = api.get(f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert r.status == 401


def test_user_menu_link_and_docs(page, login, maria):
    login(page, "maria", "maria")
    page.locator("#user-menu").click()
    page.locator("#api-tokens-menu-link").click()
    expect(page).to_have_url(re.compile(r"/api/tokens/$"))
    # Swagger UI itself is not audited here: its own markup fails axe (contrast, nested controls),
    # which the portal cannot change; tests/api/test_basics.py checks that it is served locally.
    expect(page.get_by_role("link", name="API documentation")).to_have_attribute("href", "/api/v1/docs/")
