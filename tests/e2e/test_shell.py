"""The portal shell in a real browser: login, language, menu, staff link, static files.

axe-core, failed sub-resources and JavaScript errors are checked on every page by conftest.py.
"""

import re

from playwright.sync_api import expect

LOGIN_URL = re.compile(r"/accounts/login/(\?.*)?$")


def test_anonymous_visit_to_home_is_redirected_to_login(page):
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("button", name="Log in", exact=True)).to_be_visible()


def test_bootstrap_css_and_js_are_served(page):
    statuses = {}
    page.on("response", lambda r: statuses.setdefault(r.url.rsplit("/", 1)[-1], r.status))

    page.goto("/accounts/login/")

    assert statuses.get("bootstrap.min.css") == 200
    assert statuses.get("bootstrap.bundle.min.js") == 200
    assert statuses.get("portal.css") == 200
    assert statuses.get("portal.js") == 200
    # Bootstrap's reboot is applied and its JavaScript is running.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert page.evaluate("typeof window.bootstrap.Dropdown") == "function"


def test_login_lands_on_home_and_chosen_language_is_remembered_on_the_user(
    page, new_page, login, live_server, maria
):
    login(page, "maria", "maria")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maria Silva")

    page.get_by_label("Language").select_option("pt-br")  # submits itself

    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#language-select")).to_have_value("pt-br")
    expect(page.locator("#portal-menu").get_by_role("link", name="Portal", exact=True)).to_be_visible()
    maria.refresh_from_db()
    assert maria.preferred_language == "pt-br"

    # Log out: the login page is in Portuguese (Django's own catalog translates its labels).
    page.locator("#user-menu").click()
    page.locator("button[form=shell-logout-form]").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_label("Usuário")).to_be_visible()
    expect(page.get_by_label("Senha")).to_be_visible()

    # In again, in the same browser and in another one (no language cookie, English browser).
    login(page, "maria", "maria")
    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    elsewhere = login(new_page(), "maria", "maria")
    expect(elsewhere).to_have_url(f"{live_server.url}/")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "pt-br")
    expect(elsewhere.locator("#language-select")).to_have_value("pt-br")


def test_access_system_link_is_shown_to_staff_only(page, new_page, login, maria, staff_user):
    login(page, "maria", "maria")
    expect(page.get_by_role("link", name="Docs")).to_have_count(2)  # toolbar and footer
    expect(page.get_by_role("link", name="Access System")).to_have_count(0)

    staff = login(new_page(), "attendant", "attendant")
    expect(staff.get_by_role("link", name="Access System")).to_have_attribute("href", "/admin/")


def test_menu_button_toggles_the_menu_and_the_choice_survives_a_reload(page, login, maria):
    login(page, "maria", "maria")
    toggle = page.get_by_role("button", name="Menu")
    menu = page.locator("#portal-menu")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    page.reload()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    page.reload()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()


def test_notifications_bell_opens_without_counter_and_without_dead_link(page, login, maria):
    login(page, "maria", "maria")
    bell = page.get_by_role("button", name="Notifications", exact=True)
    expect(bell).to_be_visible()
    expect(bell).to_have_text(re.compile(r"^\W*$"))  # a symbol only: no counter yet
    bell.click()
    expect(page.get_by_text("You have no notifications.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))  # nothing navigated
