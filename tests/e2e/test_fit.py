"""Every portal page fits the screen it is read on (issue 26): on a 390 x 844 phone (touch, device scale 3)
and at 1366 x 900, in Portuguese, English and Spanish, with the demo data (``seed_demo``):

* nothing scrolls sideways, not the page and not any element in it (tests/e2e/layout.py);
* the page's title is on the first screen; on the phone in its first fifth (the toolbar is one line:
  templates/includes/_phone_menu_items.html holds the rest), and every control is at least 44 x 44 px;
* axe-core finds no violation of any impact, in light and in dark mode (tests/e2e/conftest.py audits
  each document in light; the same document is then switched to dark and audited again);
* a screenshot of each, in each mode, goes to var/screenshots/ (a CI artifact).

Each size and language is one test with one browser context per user: the users' colour mode is Auto
(the default), so the device's ``prefers-color-scheme``, emulated, switches the open page between the
modes through the portal's own mechanism (static/js/color-mode.js) without a reload or a new login.
Reduced motion is asked for, so Bootstrap's colour transitions do not run while axe measures contrast.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from parameters.services import parameter_set
from tests.e2e import conftest as e2e
from tests.e2e.layout import overflowing_elements, screenshot, small_targets
from tickets.models import Ticket

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SIZES = {"390": PHONE, "1366": DESKTOP}
LANGUAGES = ("pt-br", "en", "es")


@pytest.fixture
def any_impact(monkeypatch):
    """axe violations of every impact fail these tests, not only serious and critical ones."""
    monkeypatch.setattr(e2e, "FAILING_IMPACTS", ("minor", "moderate", "serious", "critical"))


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--force", verbosity=0)
    parameter_set(p=292, value=True)  # the Smartbox
    parameter_set(p=316, value=True)  # the chat


def requester_pages(maria: User) -> list[str]:
    """The pages a requester reaches, with the demo's records (one of each kind)."""
    ticket = Ticket.objects.filter(requester=maria).order_by("pk").first()
    assert ticket is not None
    activity = ticket.activity
    pages = [
        "/",
        "/catalog/",
        f"/catalog/portfolio/{activity.service.portfolio_id}/",
        f"/catalog/service/{activity.service_id}/",
        f"/catalog/activity/{activity.pk}/new/",
        "/search/?q=e-mail",
        "/smartbox/",
        "/my-requests/",
        f"/my-requests/{ticket.pk}/",
        f"/my-requests/{ticket.pk}/occurrences/",
        f"/my-requests/{ticket.pk}/attachments/",
        "/notifications/",
        "/news/",
        "/campaigns/",
        "/chat/",
        "/knowledge/",
        "/knowledge/favourites/",
        "/approvals/absences/",
        reverse("password_change"),
    ]
    return pages


def detail_pages(page) -> list[str]:
    """One detail of each list the requester sees (a notification, a news item, a campaign's
    questionnaire, a knowledge article), found on the lists as a user finds them."""
    return (
        first_link(page, "/my-requests/", r"/my-requests/\d+/messages/")
        + first_link(page, "/my-requests/", r"/my-requests/\d+/occurrences/new/")
        + first_link(page, "/notifications/", r"/notifications/\d+/")
        + first_link(page, "/news/", r"/news/\d+/")
        + first_link(page, "/campaigns/", r"/campaigns/[0-9a-f-]{36}/")
        + first_link(page, "/knowledge/", r"/knowledge/\d+/")
    )


def approver_pages(page) -> list[str]:
    return ["/approvals/", *first_link(page, "/approvals/", r"/approvals/\d+/")]


def check_page(page, url: str, size: str, lang: str, audit) -> list[str]:
    """Open ``url`` and list what does not fit (empty when it fits); then audit it in dark mode."""
    response = page.goto(url)  # audited in light by the goto hook (tests/e2e/conftest.py)
    assert response is not None
    if response.status != 200:
        return [f"{url}: answered {response.status}"]
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("data-bs-theme", "light")
    name = re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-") or "home"
    screenshot(page, f"{size}-{lang}-light-{name}")
    check_dark(page, url, f"{size}-{lang}-dark-{name}", audit)
    problems = [f"{url}: scrolls sideways: {line}" for line in overflowing_elements(page)]
    title = page.locator("main h1").first
    expect(title).to_be_visible()
    box = title.bounding_box()
    assert box is not None
    limit = 844 / 5 if size == "390" else 900 / 2
    if box["y"] > limit:
        problems.append(f"{url}: the title starts at {box['y']:.0f} px (more than {limit:.0f})")
    if size == "390":
        problems += [f"{url}: small target: {line}" for line in small_targets(page)]
    return problems


def check_dark(page, url: str, shot: str, audit) -> None:
    """The open document switched to dark by the device's preference (Auto), audited by axe and
    photographed, then switched back to light for the next page."""
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    screenshot(page, shot)
    audit.record(f"{url} (dark)", audit.axe.run(page).response["violations"])
    page.emulate_media(color_scheme="light")


@pytest.fixture
def sized_page(browser, live_server, browser_audit, login):
    """``sized_page("390")``: a page in a fresh context with the size's viewport (the phone's with touch
    and device scale 3), audited like tests/e2e/conftest.py's ``new_page``."""

    def _sized(size: str, username: str, **options):
        options = {"color_scheme": "light", "reduced_motion": "reduce", **options}
        context = browser.new_context(
            base_url=live_server.url, locale="en-US", service_workers="block", **SIZES[size], **options
        )
        context.set_default_timeout(e2e.TIMEOUT_MS)
        context.set_default_navigation_timeout(e2e.TIMEOUT_MS)
        context.expose_binding("__spLoaded", browser_audit.on_loaded)
        context.add_init_script(e2e.DOCUMENT_SCRIPT)
        context.on("page", browser_audit.watch)
        browser_audit.contexts.append(context)
        page = context.new_page()
        browser_audit.watch(page)
        login(page, username, username)
        # After login the portal offers each notification awaiting confirmation: closed, one by one.
        for _ in range(10):
            dialog = page.locator("#notification-login-dialog[open]")
            if not dialog.count():
                break
            with page.expect_navigation():
                dialog.locator("#notification-dialog-close").click()
        return page

    return _sized


def first_link(page, list_url: str, pattern: str) -> list[str]:
    """The first link of a list page whose path matches ``pattern`` (a detail the user may open)."""
    page.goto(list_url)
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
    found = [h for h in hrefs if re.fullmatch(pattern, h.split("?")[0])]
    return found[:1]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits(sized_page, browser_audit, demo, any_impact, size, lang):
    """Each size and language in one test, both modes on each page: the demo data is seeded once."""
    User.objects.filter(username__in=("maria", "joao")).update(preferred_language=lang, color_mode="auto")
    problems = []
    page = sized_page(size, "maria")
    details = detail_pages(page)
    assert len(details) == 6, details
    for url in requester_pages(User.objects.get(username="maria")) + details:
        problems += check_page(page, url, size, lang, browser_audit)
    approver = sized_page(size, "joao")
    for url in approver_pages(approver):
        problems += check_page(approver, url, size, lang, browser_audit)
    assert not problems, "\n".join(problems)


def test_phone_bar_keeps_the_bell_and_user_menu_and_the_menu_holds_the_rest(sized_page, maria):
    """On a phone the bar is one line; Knowledge Portal, Docs and the language are in the user menu, the
    search is a page of its own; a language chosen there is remembered like the toolbar's."""
    page = sized_page("390", "maria")
    bar = page.locator("nav.portal-navbar")
    for visible in ("#menu-toggle", "#search-link", "#notifications-bell", "#user-menu"):
        expect(bar.locator(visible)).to_be_visible()
    for hidden in ("#knowledge-link", "#language-select", "#portal-search-input"):
        expect(bar.locator(hidden)).to_be_hidden()
    box = bar.bounding_box()
    assert box is not None
    assert box["height"] <= 70
    page.locator("#user-menu").click()
    menu = page.locator("#user-menu + .dropdown-menu")
    expect(menu.get_by_role("link", name="Knowledge Portal")).to_be_visible()
    expect(menu.get_by_role("link", name="Docs")).to_be_visible()
    menu.get_by_role("button", name="Português").click()
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    maria.refresh_from_db()
    assert maria.preferred_language == "pt-br"
    page.locator("#search-link").click()
    expect(page.locator("#search-page-q")).to_be_visible()


def test_auto_follows_the_device_until_the_user_chooses(sized_page, maria):
    """Auto (the default) follows prefers-color-scheme; Light chosen in the user menu wins and is kept."""
    page = sized_page("1366", "maria", color_scheme="dark")
    html = page.locator("html")
    expect(html).to_have_attribute("data-color-mode", "auto")
    expect(html).to_have_attribute("data-bs-theme", "dark")
    page.emulate_media(color_scheme="light")
    expect(html).to_have_attribute("data-bs-theme", "light")
    page.emulate_media(color_scheme="dark")
    page.locator("#user-menu").click()
    page.locator("#color-mode-form [data-color-mode=light]").click()
    expect(html).to_have_attribute("data-color-mode", "light")
    expect(html).to_have_attribute("data-bs-theme", "light")
    maria.refresh_from_db()
    assert maria.color_mode == "light"
