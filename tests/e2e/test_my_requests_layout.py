"""My Requests and Approvals fit the screen they are read on: every column and the actions without a
horizontal scroll of the page or of any element (the table's own scroll box included) at 1366x900, in
English, Portuguese and Spanish, with at least eight tickets on the first screen, and one card per
ticket on a 390 px phone. Screenshots go to var/screenshots/ (tests/e2e/layout.py)."""

import pytest
from playwright.sync_api import expect

from parameters.services import parameter_set
from tests import factories
from tests.e2e.conftest import ARTIFACTS_DIR
from tests.e2e.layout import overflowing_elements, screenshot
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


@pytest.fixture
def awaiting_approval(maria, transactional_db):
    """20 of maria's requests awaiting the approval of joao's group, with realistic names."""
    approvers = factories.GroupFactory(name="Approvers of the IT budget")
    joao = factories.UserFactory(
        username="joao", password="joao", first_name="João", last_name="Souza", groups=[approvers]
    )
    desk = factories.GroupFactory(name="Service desk level 1")
    contract = factories.ContractFactory()
    tickets = []
    for i in range(20):
        activity = factories.ActivityFactory(
            executor_group=desk,
            approver_group=approvers,
            name=ACTIVITIES[i % 3],
            service__name=f"{SERVICES[i % 3]} {i}",
        )
        tickets.append(
            factories.open_ticket(requester=maria, activity=activity, contract=contract, title=f"Ticket {i}")
        )
    return joao, tickets


def assert_fits_desktop(page, table_id: str, rows: int) -> None:
    """Every column and the actions inside the viewport, nothing scrolling sideways, >= 8 rows seen."""
    expect(page.locator(f"#{table_id} tbody tr")).to_have_count(rows)
    assert overflowing_elements(page) == []
    right = page.evaluate(
        f"() => Math.max(...[...document.querySelectorAll('#{table_id} thead th, #{table_id} td')]"
        ".map(c => c.getBoundingClientRect().right))"
    )
    assert right <= 1366
    on_first_screen = page.evaluate(
        f"() => [...document.querySelectorAll('#{table_id} tbody tr')]"
        ".filter(tr => tr.getBoundingClientRect().bottom <= window.innerHeight).length"
    )
    assert on_first_screen >= min(8, rows), on_first_screen


LANGUAGES = ("pt-br", "en", "es")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_desktop_shows_every_column_and_eight_tickets_without_scrolling(
    page, login, many_tickets, maria, lang
):
    maria.preferred_language = lang
    maria.save(update_fields=["preferred_language"])
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "maria", "maria")
    page.goto("/my-requests/")
    screenshot(page, f"my-requests-1366x900-{lang}")
    assert_fits_desktop(page, "my-requests-table", 20)
    # The actions stay reachable: the "+" and the menu of the others.
    row = page.locator(f"#ticket-{many_tickets[0].pk}")
    expect(row.locator("[data-action=register-occurrence]")).to_be_visible()
    row.locator("[data-actions-toggle]").click()
    expect(row.locator(".dropdown-menu [data-action=description]")).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_approvals_show_every_column_and_eight_tickets_without_scrolling(
    page, login, awaiting_approval, lang
):
    joao, tickets = awaiting_approval
    joao.preferred_language = lang
    joao.save(update_fields=["preferred_language"])
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "joao", "joao")
    page.goto("/approvals/")
    screenshot(page, f"approvals-1366x900-{lang}")
    assert_fits_desktop(page, "approvals-table", 20)
    row = page.locator(f"#ticket-{tickets[0].pk}")
    expect(row.locator("[data-action=approve]")).to_be_visible()
    row.locator("[data-actions-toggle]").click()
    expect(row.locator(".dropdown-menu [data-action=history]")).to_be_visible()


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
