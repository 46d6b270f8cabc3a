"""My Requests fits the screen it is read on: every column and the actions without a horizontal
scroll at 1366x900 with at least eight tickets on the first screen, and one card per ticket on a
390 px phone. Screenshots of both go to var/e2e-artifacts/ (tests/e2e/conftest.py)."""

import pytest
from playwright.sync_api import expect

from parameters.services import parameter_set
from tests import factories
from tests.e2e.conftest import ARTIFACTS_DIR
from tickets.services.transitions import ticket_capture

SERVICES = ("Corporate e-mail and calendar", "Printing and scanning", "Network access and VPN")
ACTIVITIES = ("Reset the password of my account", "Printer jams on every page", "Request a new laptop")


@pytest.fixture
def many_tickets(maria, transactional_db):
    """20 of maria's tickets with realistic names, captured, every parameter-driven action on."""
    for number in (252, 298, 299, 302):
        parameter_set(p=number, value=True)
    desk = factories.GroupFactory(name="Service desk level 1")
    ana = factories.UserFactory(username="attendant", is_staff=True, groups=[desk])
    contract = factories.ContractFactory()
    tickets = []
    for i in range(20):
        activity = factories.ActivityFactory(
            executor_group=desk, name=ACTIVITIES[i % 3], service__name=f"{SERVICES[i % 3]} {i}"
        )
        t = factories.open_ticket(requester=maria, activity=activity, contract=contract, title=f"Ticket {i}")
        ticket_capture(ticket=t, actor=ana)
        tickets.append(t)
    return tickets


def horizontal_overflow(page) -> int:
    """How many pixels the page, or the table's own scroll box, is wider than the viewport."""
    return page.evaluate(
        """() => {
          const doc = document.documentElement;
          const box = document.querySelector('#my-requests-table').parentElement;
          return Math.max(doc.scrollWidth - doc.clientWidth, box.scrollWidth - box.clientWidth);
        }"""
    )


def test_desktop_shows_every_column_and_eight_tickets_without_scrolling(page, login, many_tickets):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "maria", "maria")
    page.goto("/my-requests/")
    expect(page.locator("#my-requests-table tbody tr")).to_have_count(20)
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "my-requests-1366x900.png"))
    assert horizontal_overflow(page) <= 0
    # Every header cell, including the actions, inside the viewport.
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#my-requests-table thead th')]"
        ".map(th => th.getBoundingClientRect().right))"
    )
    assert right <= 1366
    on_first_screen = page.evaluate(
        "() => [...document.querySelectorAll('#my-requests-table tbody tr')]"
        ".filter(tr => tr.getBoundingClientRect().bottom <= window.innerHeight).length"
    )
    assert on_first_screen >= 8, on_first_screen
    # The actions stay reachable: the "+" and the menu of the others, each with its name.
    row = page.locator(f"#ticket-{many_tickets[0].pk}")
    expect(row.get_by_role("link", name="Register occurrence")).to_be_visible()
    row.get_by_role("button", name=f"Actions of ticket {many_tickets[0].number}").click()
    expect(row.get_by_role("link", name="Description")).to_be_visible()


def test_phone_shows_one_card_per_ticket_without_scrolling(page, login, many_tickets):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "maria", "maria")
    page.goto("/my-requests/")
    first = page.locator(f"#ticket-{many_tickets[0].pk}")
    expect(first).to_be_visible()
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "my-requests-390.png"))
    assert horizontal_overflow(page) <= 0
    # A card: the number, the situation, the SLA status and the actions, all inside the screen.
    box = first.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    for cell in (".ticket-number", ".ticket-situation", ".ticket-sla-status", "[data-actions-toggle]"):
        expect(first.locator(cell)).to_be_visible()
        cell_box = first.locator(cell).bounding_box()
        assert cell_box is not None
        assert cell_box["x"] + cell_box["width"] <= 390, cell
