"""The portal page and the catalog in a real browser (docs/domain.md): browse, open a request, the
Smartbox, search in Spanish, screenshots at desktop and phone widths.

axe-core, failed sub-resources and JavaScript errors are checked on every page by conftest.py.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.models import Activity, Portfolio
from parameters.services import parameter_set
from tests import factories
from tickets.models import Ticket

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def demo_catalog(transactional_db, portal_ready):
    desk = factories.GroupFactory(name="Service desk")
    hr = factories.PortfolioFactory(
        name="Human Resources",
        description="Hiring, payroll and benefits.",
        icon="👥",
        type=Portfolio.Type.BUSINESS,
    )
    computing = factories.PortfolioFactory(
        name="End-user computing",
        description="Computers and printers.",
        icon="💻",
        type=Portfolio.Type.TECHNICAL,
    )
    payroll = factories.ServiceFactory(portfolio=hr, name="Payroll", description="Payslips and benefits.")
    printing = factories.ServiceFactory(
        portfolio=computing,
        name="Printing",
        description="Printers and multifunction devices.",
        name_es="Impresión",
        description_es="Impresoras y fotocopiadoras.",
    )
    toner = factories.ActivityFactory(
        service=printing,
        name="Toner replacement",
        executor_group=desk,
        description="Replace the toner of a printer.",
        default_priority=4,
    )
    jam = factories.ActivityFactory(
        service=printing,
        name="Printer is broken",
        type=Activity.Type.INCIDENT,
        executor_group=desk,
        asks_impact_urgency=True,
    )
    payslip = factories.ActivityFactory(service=payroll, name="Payslip copy", executor_group=desk)
    return {"toner": toner, "jam": jam, "payslip": payslip, "printing": printing}


def test_browse_the_catalog_open_a_request_and_find_it_in_my_requests(page, login, maria, demo_catalog):
    login(page, "maria", "maria")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Business services")).to_be_visible()
    expect(main.get_by_role("heading", name="Support services")).to_be_visible()

    main.get_by_role("link", name="End-user computing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End-user computing")
    main.get_by_role("link", name="Printing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Printing")
    expect(page.locator("#request-activities")).to_contain_text("Toner replacement")
    expect(page.locator("#incident-activities")).to_contain_text("Printer is broken")

    # Evaluate the service.
    page.get_by_label("5 stars").check()
    page.get_by_label("Review (optional)").fill("Always helpful.")
    page.get_by_role("button", name="Evaluate").click()
    expect(page.locator("#evaluations")).to_contain_text("Always helpful.")
    expect(page.locator("main")).to_contain_text("5.0 of 5 (1 evaluation)")

    # The incident asks impact and urgency; the priority is derived from them.
    page.get_by_role("link", name=re.compile(r"Report incident\s*:\s*Printer is broken")).click()
    page.get_by_label("Title").fill("Printer on floor 2 jams")
    page.get_by_label("Description").fill("Every page jams since this morning.")
    page.get_by_label("Impact").select_option("2")
    page.get_by_label("Urgency").select_option("3")
    page.get_by_role("button", name="Add and Finish").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request was registered")
    ticket = Ticket.objects.get()
    row = page.locator(f"#submitted-tickets tr[data-ticket='{ticket.pk}']")
    expect(row.get_by_role("link", name=str(ticket.number))).to_be_visible()
    expect(row.locator(".ticket-priority")).to_have_text("2")
    expect(row.locator(".ticket-time-limit time")).to_be_visible()
    assert ticket.priority == 2
    assert ticket.time_limit is not None

    row.get_by_role("link", name=str(ticket.number)).click()
    expect(page).to_have_url(re.compile(rf"/my-requests/{ticket.pk}/$"))
    page.locator("#portal-menu").get_by_role("link", name="My Requests").click()
    expect(page.get_by_role("rowheader", name=str(ticket.number), exact=True)).to_be_visible()


def test_add_two_requests_to_the_smartbox_and_submit_them_together(page, login, maria, demo_catalog):
    parameter_set(p=292, value=True)
    parameter_set(p=247, value=False)  # items checked by default
    login(page, "maria", "maria")
    for activity, title in (
        (demo_catalog["toner"], "Toner for floor 2"),
        (demo_catalog["payslip"], "March payslip"),
    ):
        page.goto(f"/catalog/activity/{activity.pk}/new/")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Description").fill("Please.")
        page.get_by_role("button", name="Add and Continue").click()
        expect(page.locator("main .alert-success")).to_contain_text("was added to the Smartbox")

    smartbox = page.locator("#portal-menu").get_by_role("link", name=re.compile("Smartbox"))
    expect(smartbox.locator("#smartbox-count")).to_contain_text("2")
    smartbox.click()
    expect(page.locator("#smartbox-items tbody tr")).to_have_count(2)
    expect(page.get_by_label("Submit “March payslip”")).to_be_checked()
    page.get_by_role("button", name="Submit selected requests").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your 2 requests were registered")
    expect(page.locator("#submitted-tickets tbody tr")).to_have_count(2)
    assert sorted(Ticket.objects.values_list("title", flat=True)) == ["March payslip", "Toner for floor 2"]
    expect(page.locator("#smartbox-count")).to_contain_text("0")


def test_search_finds_a_service_by_a_word_of_its_spanish_description(page, login, maria, demo_catalog):
    maria.preferred_language = "es"
    maria.save(update_fields=["preferred_language"])
    login(page, "maria", "maria")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    box = page.locator("#portal-search-input")
    box.fill("fotocopiadoras")
    option = page.locator("#portal-search-results [role=option]").first
    expect(option).to_contain_text("Impresión")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "portal-search-opt-0")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/catalog/service/{demo_catalog['printing'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Impresión")

    # Escape closes the list; Enter without a chosen suggestion opens the results page.
    box = page.locator("#portal-search-input")
    box.fill("fotocopiadoras")
    expect(page.locator("#portal-search-results")).to_be_visible()
    box.press("Escape")
    expect(page.locator("#portal-search-results")).to_be_hidden()
    expect(box).to_have_value("fotocopiadoras")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=fotocopiadoras$"))
    expect(page.locator("#search-services")).to_contain_text("Impresión")


@pytest.mark.parametrize(("width", "height", "name"), [(1366, 800, "desktop"), (390, 844, "phone")])
def test_screenshots_of_home_and_my_requests(new_page, login, maria, demo_catalog, width, height, name):
    parameter_set(p=301, value=True)  # titles in My Requests
    factories.open_ticket(requester=maria, activity=demo_catalog["toner"], title="Toner for floor 2")
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    login(page, "maria", "maria")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    expect(page.get_by_role("heading", name="Support services")).to_be_visible()
    # The toolbar fits the width (no horizontal scrolling of the page).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"home-{name}.png"), full_page=True)
    if name == "phone":  # the menu starts closed on a phone and opens over the page
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(page.locator("#portal-menu")).to_be_visible()
        page.locator("#portal-menu").get_by_role("link", name="My Requests").click()
    else:
        page.locator("#portal-menu").get_by_role("link", name="My Requests").click()
    expect(page.locator("main")).to_contain_text("Toner for floor 2")
    page.screenshot(path=str(SCREENSHOTS / f"my-requests-{name}.png"), full_page=True)
