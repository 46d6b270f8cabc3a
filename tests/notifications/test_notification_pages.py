"""The bell, My notifications, a notification's page, Mark as read, the after-login dialog, the
counter endpoint: access, states, and a fixed number of queries whatever the data size."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationReceipt
from tests import factories
from tests.factories import make_notification

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
COUNTER = reverse("notifications:counter")


def detail(n):
    return reverse("notifications:detail", kwargs={"pk": n.pk})


def bell_label(html: str) -> str:
    return re.search(r'id="notifications-bell"\s+aria-label="([^"]*)"', html).group(1)


@pytest.fixture
def approvers(other_user):
    group = factories.GroupFactory(name="Approvers")
    other_user.groups.add(group)
    return group


def test_the_bell_counts_for_a_member_and_shows_nothing_to_a_non_member(
    client_as, user, other_user, approvers
):
    make_notification(title="Approve the budget", requires_confirmation=True, target_groups=[approvers])
    html = client_as(other_user).get(LIST).content.decode()
    assert bell_label(html) == "Notifications (1)"
    assert 'data-state="requires-confirmation"' in html
    html = client_as(user).get(LIST).content.decode()
    assert bell_label(html) == "Notifications"
    assert "Approve the budget" not in html
    assert "You have no notifications." in html


def test_opening_records_viewed_and_mark_as_read_records_confirmed(client_as, other_user, approvers):
    n = make_notification(title="Approve the budget", requires_confirmation=True, target_groups=[approvers])
    client = client_as(other_user)
    client.get(LIST)  # opening the list (and the bell) records nothing
    assert not NotificationReceipt.objects.exists()
    html = client.get(detail(n)).content.decode()
    receipt = NotificationReceipt.objects.get(notification=n, user=other_user)
    assert receipt.viewed_at is not None
    assert receipt.confirmed_at is None
    assert bell_label(html) == "Notifications (1)"
    assert '<span id="notification-state"><span class="notification-state notification-state-viewed' in html

    r = client.post(reverse("notifications:confirm", kwargs={"pk": n.pk}))
    assert r.status_code == 302
    receipt.refresh_from_db()
    assert receipt.confirmed_at is not None
    html = client.get(detail(n)).content.decode()
    assert bell_label(html) == "Notifications"
    assert 'data-state="confirmed"' in html
    assert client.get(COUNTER).json() == {"pending": 0, "unviewed": 0, "badge": "0", "label": "Notifications"}


def test_mark_as_read_is_a_post(client_as, user):
    n = make_notification(requires_confirmation=True)
    assert client_as(user).get(reverse("notifications:confirm", kwargs={"pk": n.pk})).status_code == 405


def test_another_users_notification_answers_404_everywhere(client_as, user, other_user):
    n = make_notification(target_users=[user], requires_confirmation=True)
    client = client_as(other_user)
    assert client.get(detail(n)).status_code == 404
    assert client.post(reverse("notifications:confirm", kwargs={"pk": n.pk})).status_code == 404
    assert client.post(reverse("notifications:dialog-close", kwargs={"pk": n.pk})).status_code == 404
    assert not NotificationReceipt.objects.exists()


def test_an_ended_notification_is_gone(client_as, user):
    n = make_notification(title="Short-lived", ends_at=timezone.now() + timedelta(minutes=5))
    client = client_as(user)
    assert "Short-lived" in client.get(LIST).content.decode()
    Notification.objects.filter(pk=n.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    cache.clear()  # the bell's entry lives up to core.versions.TIMEOUT (tests/portal/test_shell_cache.py)
    assert "Short-lived" not in client.get(LIST).content.decode()
    assert client.get(detail(n)).status_code == 404


def test_the_filters(client_as, user):
    info = make_notification(title="Info")
    make_notification(title="Must confirm", requires_confirmation=True)
    client = client_as(user)
    client.get(detail(info))

    def titles(show):
        html = client.get(LIST, {"show": show}).content.decode()
        return re.findall(r'<a class="fw-semibold" href="/notifications/\d+/">([^<]+)</a>', html)

    assert titles("all") == ["Must confirm", "Info"]
    assert titles("not-viewed") == ["Must confirm"]
    assert titles("awaiting-confirmation") == ["Must confirm"]
    assert titles("nonsense") == ["Must confirm", "Info"]


def test_the_description_is_markdown_and_html_is_shown_as_text(client_as, user):
    n = make_notification(description="**Bold** <script>alert('x')</script> [docs](javascript:alert(1))")
    html = client_as(user).get(detail(n)).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_the_login_dialog_appears_after_login_once_per_notification(client, user):
    user.set_password("pw")
    user.save()
    n = make_notification(title="Read the policy", requires_confirmation=True)
    client.post(reverse("login"), {"username": "maria", "password": "pw"})
    html = client.get(LIST).content.decode()
    assert 'id="notification-login-dialog"' in html
    assert "Read the policy" in html
    r = client.post(reverse("notifications:dialog-close", kwargs={"pk": n.pk}), {"next": LIST})
    assert r.status_code == 302
    assert r["Location"] == LIST
    assert 'id="notification-login-dialog"' not in client.get(LIST).content.decode()
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "maria", "password": "pw"})
    assert 'id="notification-login-dialog"' not in client.get(LIST).content.decode()


def test_the_counter_endpoint(client_as, user):
    make_notification(requires_confirmation=True)
    make_notification()
    r = client_as(user).get(COUNTER)
    assert r.json() == {"pending": 1, "unviewed": 1, "badge": "1", "label": "Notifications (1)"}
    assert r["Cache-Control"] == "private, no-cache"


# --- query counts -----------------------------------------------------------------------------------


def build(n: int, users):
    """``n`` notifications for everyone (a third requiring confirmation), each with receipts."""
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(
            title=f"Notice {i}",
            short_description="s",
            description="d",
            requires_confirmation=i % 3 == 0,
            starts_at=now - timedelta(minutes=i + 1),
        )
        for i in range(n)
    )
    NotificationReceipt.objects.bulk_create(
        NotificationReceipt(notification=r, user=u, viewed_at=now) for r in rows for u in users if r.pk % 2
    )
    return rows


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [3, 2000])
def test_fixed_number_of_queries_whatever_the_number_of_notifications(client_as, user, other_user, n):
    client = client_as(user)  # logged in before they exist: no after-login dialog
    others = [factories.UserFactory(username=f"reader{i}") for i in range(5)]
    rows = build(n, [other_user, *others])
    client.get("/")  # parameters cached
    counts = {
        "list": count_queries(client, LIST),
        "list-filtered": count_queries(client, LIST + "?show=awaiting-confirmation"),
        "detail": count_queries(client, detail(rows[-1])),
        "counter": count_queries(client, COUNTER),
    }
    # The list: user + parameters + page ids (with those of the next pages: no count) + page rows, in
    # autocommit (it only reads; the session and the shell's state come from the cache). The detail, the first
    # time: the notification instead of the page, then the receipt in the service's own atomic block
    # (savepoint here, BEGIN in production; get, then savepoint + insert + release: get_or_create;
    # release). The counter endpoint: user + the bell's query.
    assert counts == {"list": 4, "list-filtered": 4, "detail": 12, "counter": 2}, counts
    assert count_queries(client, detail(rows[-1])) == 3  # opened again: nothing to record, no transaction


def test_the_after_login_dialog_costs_no_query_of_its_own_while_it_is_due(client_as, user):
    build(30, [])
    client = client_as(user)  # armed: notifications require confirmation
    client.get("/")
    html = client.get(LIST).content.decode()
    assert 'id="notification-login-dialog"' in html
    assert count_queries(client, LIST) == 4  # the cached bell brings the dialog's notification
