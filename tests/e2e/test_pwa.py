"""The installable portal (issue 26): Chromium's installability check reports no error, the service
worker (/sw.js, scope /) registers, with the network cut a page shows the offline page, and the Cache
Storage holds nothing but that page: no logged-in page, no user's data."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import conftest as e2e

SW_READY = "() => navigator.serviceWorker.ready.then(r => r.scope)"
CACHED = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      out.push({cache: name, url: request.url, body: await response.text()});
    }
  }
  return out;
}"""


@pytest.fixture
def profile_page(browser, chromium_path, live_server, browser_audit, tmp_path):
    """A page of a Chromium with a profile on disk: installability is never offered in the incognito
    contexts of ``new_page`` (Chromium answers "in-incognito"). Audited like tests/e2e/conftest.py's."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path,
        headless=True,
        args=e2e.CHROMIUM_ARGS,
        base_url=live_server.url,
        locale="en-US",
    )
    context.set_default_timeout(e2e.TIMEOUT_MS)
    context.expose_binding("__spLoaded", browser_audit.on_loaded)
    context.add_init_script(e2e.DOCUMENT_SCRIPT)
    browser_audit.contexts.append(context)
    page = context.pages[0] if context.pages else context.new_page()
    browser_audit.watch(page)
    return page


def test_the_portal_is_installable(profile_page, live_server, login, maria):
    page = profile_page
    login(page, "maria", "maria")
    assert page.evaluate(SW_READY) == f"{live_server.url}/"
    page.reload()  # now controlled by the worker, as an installed app is
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert '"short_name": "Portal"' in manifest["data"]


def test_offline_page_without_network_and_no_user_data_cached(profile_page, live_server, login, maria):
    page = profile_page
    login(page, "maria", "maria")
    page.evaluate(SW_READY)
    page.goto("/my-requests/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.context.set_offline(True)
    try:
        page.goto("/my-requests/")
        expect(page.locator("#offline-page h1")).to_have_text("You are offline")
        expect(page.get_by_role("link", name="Try again")).to_be_visible()
    finally:
        page.context.set_offline(False)
    cached = page.evaluate(CACHED)
    assert [entry["url"] for entry in cached] == [f"{live_server.url}/offline/"]
    body = cached[0]["body"]
    for private in ("Maria", "maria", "csrfmiddlewaretoken", "/my-requests/"):
        assert private not in body
    page.goto("/my-requests/")  # back online: the real page again
    expect(page.locator("#offline-page")).to_have_count(0)
