"""Push notifications in a real Chromium (issue 26): the user menu's page turns push on for the
device, the portal stores the subscription, a push for the user reaches the (loopback) push service
encrypted for that device, the service worker shows it, and turning push off removes the device.

Chromium headless cannot subscribe for real: ``PushManager.subscribe`` needs the browser's own push
service (Google's FCM for Chromium), which a headless Chromium without Google API keys and without
the network never reaches; the promise never settles (checked: still pending after 15 s, permission
granted). So the browser's ``PushManager`` is replaced by one that hands out the test device's
subscription (its endpoint on the loopback stand-in, keys the test holds): everything from the
page's script to the delivery is the real code, only the browser's push service is stood in for.
The service worker's ``push`` handler then gets the decrypted payload through the DevTools protocol
(``ServiceWorker.deliverPushMessage``), as the browser would after decrypting it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from push.models import PushSubscription
from push.services import push_queue
from tests.e2e import conftest as e2e
from tests.e2e import test_fit as fit
from tests.webpush import PushServiceStandIn, vapid_settings

# The page-fit checks and their fixtures, shared with tests/e2e/test_fit.py.
sized_page = fit.sized_page
any_impact = fit.any_impact

# The browser's PushManager, standing in for Chromium's push service: the subscription is the test
# device's, remembered across reloads in localStorage as a real one is remembered by the browser.
FAKE_PUSH_MANAGER = """
(() => {
  const subscription = %s;
  const KEY = "test.pushSubscribed";
  const make = () => ({
    endpoint: subscription.endpoint,
    toJSON: () => subscription,
    unsubscribe: async () => { localStorage.removeItem(KEY); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    if (!options || !options.userVisibleOnly || !options.applicationServerKey) throw new Error("bad options");
    localStorage.setItem(KEY, String(options.applicationServerKey.length));
    return make();
  };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem(KEY) ? make() : null;
  };
})();
"""
NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url}));
}"""


@pytest.fixture
def push_service():
    standin = PushServiceStandIn()
    yield standin
    standin.stop()


@pytest.fixture
def sw_page(browser, chromium_path, live_server, browser_audit, tmp_path):
    """A phone-sized page of a Chromium with a profile on disk and service workers allowed (as in
    tests/e2e/test_pwa.py), notifications permitted for the portal."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path,
        headless=True,
        args=e2e.CHROMIUM_ARGS,
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 390, "height": 844},
        has_touch=True,
    )
    context.set_default_timeout(e2e.TIMEOUT_MS)
    context.expose_binding("__spLoaded", browser_audit.on_loaded)
    context.add_init_script(e2e.DOCUMENT_SCRIPT)
    browser_audit.contexts.append(context)
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.pages[0] if context.pages else context.new_page()
    browser_audit.watch(page)
    return page


def test_turn_push_on_receive_one_and_turn_it_off(sw_page, live_server, login, maria, settings, push_service):
    vapid_settings(settings)
    device = push_service.device("maria-chromium")
    page = sw_page
    page.context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(device.subscription_json()))
    login(page, "maria", "maria")
    page.locator("#user-menu").click()
    page.locator("#push-menu-link").click()
    expect(page).to_have_url(re.compile(r"/push/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Push notifications")
    expect(page.locator("#push-status")).to_have_text("Push notifications are off for this device.")
    expect(page.locator("#push-devices-empty")).to_be_visible()

    page.get_by_role("button", name="Turn on for this device").click()
    expect(page.locator("#push-status")).to_have_text("Push notifications are on for this device.")
    expect(page.locator("#push-devices .push-this-device")).to_be_visible()
    expect(page.get_by_role("button", name="Turn off for this device")).to_be_visible()
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.endpoint, saved.p256dh, saved.auth) == (
        maria,
        device.endpoint,
        device.p256dh,
        device.auth_b64,
    )
    assert "Chrome" in saved.user_agent
    assert (
        page.evaluate("() => localStorage.getItem('test.pushSubscribed')") == "65"
    )  # the public key's bytes

    # A push for maria reaches the push service encrypted for this device and names the ticket.
    push_queue(
        users=[maria],
        event="message:1",
        url="/my-requests/42/messages/",
        title="Request 42",
        body="The service desk answered you.",
    )
    [got] = push_service.for_device(device)
    payload = device.decrypt(got.body)
    assert payload["title"] == "Request 42"

    # The service worker shows it (the browser hands it the decrypted payload).
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    registration_id = next(
        r["registrationId"] for r in registrations if r["scopeURL"] == f"{live_server.url}/"
    )
    shown = []
    for _attempt in range(3):  # a worker still starting may miss one; the tag makes a repeat replace it
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(payload)},
        )
        for _ in range(30):
            shown = page.evaluate(NOTIFICATIONS)
            if shown:
                break
            page.wait_for_timeout(100)
        if shown:
            break
    assert shown == [
        {
            "title": "Request 42",
            "body": "The service desk answered you.",
            "tag": "message:1",
            "url": f"{live_server.url}/my-requests/42/messages/",
        }
    ]

    page.get_by_role("button", name="Turn off for this device").click()
    expect(page.locator("#push-status")).to_have_text("Push notifications are off for this device.")
    expect(page.locator("#push-devices-empty")).to_be_visible()
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("lang", fit.LANGUAGES)
@pytest.mark.parametrize("size", list(fit.SIZES))
def test_the_push_page_fits(sized_page, browser_audit, any_impact, maria, settings, push_service, size, lang):
    """As every portal page (tests/e2e/test_fit.py): no sideways scroll, title on the first screen,
    44 px targets on the phone, axe at any impact in light and dark, in the three languages, with a
    device whose long browser name must wrap."""
    from push.services import subscription_save

    vapid_settings(settings)
    maria.preferred_language, maria.color_mode = lang, "auto"
    maria.save(update_fields=["preferred_language", "color_mode"])
    device = push_service.device("maria-phone")
    subscription_save(
        user=maria,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=device.auth_b64,
        user_agent="Mozilla/5.0 (Linux; Android 15; Pixel 9 Pro) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Mobile Safari/537.36",
    )
    page = sized_page(size, "maria")
    problems = fit.check_page(page, "/push/", size, lang, browser_audit)
    assert not problems, "\n".join(problems)
