"""The notifications bell (element 5), My notifications, the after-login dialog and the back office's
readers, in a real browser and in the three languages (Notify by e-mail end to end, with a real
worker and SMTP server: tests/integration/test_notification_emails.py). axe-core, failed sub-resources and
JavaScript errors are checked by conftest.py.

The expected texts are written out per language here (not looked up in the catalogs), so a missing
translation fails the test."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Notification, NotificationReceipt
from tests import factories
from tests.factories import make_notification

LABELS = {
    "en": {
        "bell": "Notifications",
        "bell 1": "Notifications (1)",
        "requires": "Requires confirmation",
        "viewed": "Viewed",
        "confirmed": "Confirmed",
        "View": "View",
        "Mark as read": "Mark as read",
        "See all": "See all",
        "My notifications": "My notifications",
        "Close": "Close",
        "Preview": "Preview",
        "none": "You have no notifications.",
    },
    "pt-br": {
        "bell": "Notificações",
        "bell 1": "Notificações (1)",
        "requires": "Requer confirmação",
        "viewed": "Visualizada",
        "confirmed": "Confirmada",
        "View": "Visualizar",
        "Mark as read": "Marcar como lida",
        "See all": "Ver todas",
        "My notifications": "Minhas notificações",
        "Close": "Fechar",
        "Preview": "Visualizar",
        "none": "Você não tem notificações.",
    },
    "es": {
        "bell": "Notificaciones",
        "bell 1": "Notificaciones (1)",
        "requires": "Requiere confirmación",
        "viewed": "Vista",
        "confirmed": "Confirmada",
        "View": "Ver",
        "Mark as read": "Marcar como leída",
        "See all": "Ver todas",
        "My notifications": "Mis notificaciones",
        "Close": "Cerrar",
        "Preview": "Ver",
        "none": "No tiene notificaciones.",
    },
}

ADMIN_WIDGETS_CSS = re.compile(r".*/admin/.*widgets\.css.*")


def admin_page(new_page, login):
    staff = new_page()
    # axe-core's stylesheet preload resolves the ``@import url('widgets.css')`` of Django admin's
    # forms.css against the document URL (a harness artifact, see tests/e2e/test_actions.py).
    staff.context.route(
        ADMIN_WIDGETS_CSS, lambda route: route.fulfill(status=200, content_type="text/css", body="")
    )
    login(staff, "admin", "admin")
    return staff


@pytest.fixture
def people(maria, transactional_db):
    approvers = factories.GroupFactory(name="Approvers")
    joao = factories.UserFactory(
        username="joao", password="joao", first_name="João", last_name="Souza", groups=[approvers]
    )
    factories.UserFactory(username="admin", password="admin", is_staff=True, is_superuser=True)
    return {"approvers": approvers, "joao": joao, "maria": maria}


def bell(page):
    return page.locator("#notifications-bell")


@pytest.mark.parametrize("lang", ["en", "pt-br", "es"])
def test_a_group_notification_from_the_bell_to_confirmed(page, new_page, login, people, lang):
    t = LABELS[lang]
    joao = people["joao"]
    joao.preferred_language = lang
    joao.save(update_fields=["preferred_language"])
    n = make_notification(
        title=f"Approvals close on Friday ({lang})",
        short_description="Decide the pending approvals by Friday.",
        description="Requests still **waiting** on Friday go back. <script>alert(1)</script>",
        requires_confirmation=True,
        target_groups=[people["approvers"]],
        ends_at=timezone.now() + timedelta(days=1),
    )

    # After login: the dialog, once.
    login(page, "joao", "joao")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    dialog = page.get_by_role("dialog", name=n.title)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=t["Close"]).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # The bell: count 1, "requires confirmation".
    expect(bell(page)).to_have_accessible_name(t["bell 1"])
    expect(bell(page).locator(".notifications-count")).to_have_text("1")
    bell(page).click()
    item = page.locator(f'#notifications-latest [data-notification-id="{n.pk}"]')
    expect(item).to_contain_text(n.title)
    expect(item).to_contain_text("Decide the pending approvals by Friday.")
    expect(item.get_by_role("img", name=t["requires"])).to_be_visible()
    assert not NotificationReceipt.objects.filter(
        viewed_at__isnull=False
    ).exists()  # opening the bell records nothing

    # View: viewed, the count stays 1.
    item.get_by_role("link", name=re.compile(f"^{t['View']}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(n.title)
    expect(page.locator("#notification-state")).to_have_text(t["viewed"])
    expect(page.locator(".notification-description strong")).to_have_text("waiting")
    expect(page.locator(".notification-description")).to_contain_text("<script>alert(1)</script>")
    expect(bell(page)).to_have_accessible_name(t["bell 1"])

    # Mark as read: confirmed, count 0.
    page.get_by_role("button", name=t["Mark as read"]).click()
    expect(page.locator("#notification-state")).to_have_text(t["confirmed"])
    expect(bell(page)).to_have_accessible_name(t["bell"])
    expect(bell(page).locator(".notifications-count")).to_be_hidden()
    bell(page).click()
    expect(
        page.locator(f'#notifications-latest [data-notification-id="{n.pk}"]').get_by_role(
            "img", name=t["confirmed"]
        )
    ).to_be_visible()
    page.get_by_role("link", name=t["See all"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["My notifications"])
    expect(page.locator(f'#notification-list [data-notification-id="{n.pk}"]')).to_contain_text(
        t["confirmed"]
    )

    # The back office's readers: joao with both times.
    receipt = NotificationReceipt.objects.get(notification=n, user=joao)
    assert receipt.viewed_at is not None
    assert receipt.confirmed_at is not None
    staff = admin_page(new_page, login)
    staff.goto(f"/admin/notifications/notificationreceipt/?notification__id__exact={n.pk}")
    row = staff.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".field-user")).to_have_text("joao")
    expect(row.locator(".field-viewed_at")).not_to_have_text(re.compile(r"^\W*$"))
    expect(row.locator(".field-confirmed_at")).not_to_have_text(re.compile(r"^\W*$"))

    # Not for maria (not in the group).
    other = new_page()
    login(other, "maria", "maria")
    expect(bell(other)).to_have_accessible_name("Notifications")
    bell(other).click()
    expect(other.locator("#notifications-none")).to_have_text("You have no notifications.")
    expect(other.get_by_role("dialog")).to_have_count(0)

    # Past its end it is gone: an end that passes is announced by no service, so the shell's cached
    # state shows it within its bound (core.versions.TIMEOUT, 60 s); the test skips that wait.
    Notification.objects.filter(pk=n.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(seconds=1)
    )
    cache.clear()
    page.reload()
    expect(page.locator("#notification-list")).to_have_count(0)
    bell(page).click()
    expect(page.locator("#notifications-none")).to_have_text(t["none"])


def test_the_login_dialog_preview_opens_the_notification_and_does_not_come_back(page, login, people):
    n = make_notification(title="New acceptable use policy", requires_confirmation=True)
    login(page, "maria", "maria")
    page.get_by_role("dialog", name=n.title).get_by_role("link", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(n.title)
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Exit").click()
    login(page, "maria", "maria")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_filters_and_the_legend_of_my_notifications(page, login, people):
    make_notification(title="Maintenance on Saturday")
    make_notification(title="Read the policy", requires_confirmation=True)
    login(page, "maria", "maria")
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(bell(page)).to_have_accessible_name("Notifications (1)")
    expect(bell(page).locator(".notifications-mark")).to_be_visible()  # the other one, unviewed
    page.goto("/notifications/")
    expect(page.locator("#notification-list li")).to_have_count(2)
    page.get_by_role("link", name="Awaiting confirmation").click()
    expect(page.locator("#notification-list li")).to_have_count(1)
    expect(page.locator("#notification-list")).to_contain_text("Read the policy")
    legend = page.locator("#notification-legend")
    for state in ("Not viewed", "Viewed", "Requires confirmation", "Confirmed"):
        expect(legend).to_contain_text(state)


def test_the_admin_writes_a_group_notification_that_its_members_see(new_page, login, people):
    """The admin's form (labelled date-time controls, the groups in a labelled list) passes axe, and
    what it saves reaches the bell of the group's members only."""
    staff = admin_page(new_page, login)
    staff.goto("/admin/notifications/notification/add/")
    staff.locator("#id_title").fill("Printers move to floor 3")
    staff.locator("#id_short_description").fill("From Monday on.")
    staff.locator("#id_description").fill("All **printers** move.")
    start = timezone.localtime() - timedelta(minutes=5)
    staff.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))  # one labelled control
    staff.locator("#id_target_groups").select_option(label="Approvers")
    staff.locator("input[name=_save]").click()
    expect(staff.locator(".messagelist .success")).to_be_visible()
    n = Notification.objects.get(title="Printers move to floor 3")
    assert list(n.target_groups.values_list("name", flat=True)) == ["Approvers"]

    member = new_page()
    login(member, "joao", "joao")
    bell(member).click()
    expect(member.locator(f'[data-notification-id="{n.pk}"]')).to_contain_text("Printers move to floor 3")
    other = new_page()
    login(other, "maria", "maria")
    bell(other).click()
    expect(other.locator("#notifications-none")).to_be_visible()
