"""The notifications back office: saving through the service (targets, e-mails), the readers with
their times, the counts, the filter and the CSV export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    notification_confirm,
    notification_default_email_template,
    notification_mark_viewed,
)
from outbox.models import OutboundEmail
from tests import factories
from tests.factories import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, admin_user):
    client.force_login(admin_user)
    return client


def form_data(**overrides):
    now = timezone.localtime()
    data = {
        "title": "Office closed",
        "short_description": "The office is closed on Monday.",
        "description": "Work from home on Monday.",
        "active": "on",
        # One datetime-local control each (core.forms.DateTimeLocalInput).
        "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": "",
        "email_template": str(notification_default_email_template().pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_adding_with_notify_by_email_queues_one_email_per_target(
    admin, admin_user, user, other_user, django_capture_on_commit_callbacks, mailoutbox
):
    group = factories.GroupFactory(name="Approvers")
    other_user.groups.add(group)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(
            reverse("admin:notifications_notification_add"),
            form_data(notify_by_email="on", target_users=[str(user.pk)], target_groups=[str(group.pk)]),
        )
    assert r.status_code == 302, r.content.decode()[:3000]
    n = Notification.objects.get()
    assert n.created_by == admin_user
    assert n.updated_by == admin_user
    assert sorted(m.to[0] for m in mailoutbox) == ["joao@example.com", "maria@example.com"]
    # Saved again (a changed title): nobody gets a second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(
            reverse("admin:notifications_notification_change", args=[n.pk]),
            form_data(
                title="Office closed (updated)",
                notify_by_email="on",
                target_users=[str(user.pk)],
                target_groups=[str(group.pk)],
            ),
        )
    assert r.status_code == 302
    assert len(mailoutbox) == 2
    assert OutboundEmail.objects.count() == 2


def test_the_end_must_come_after_the_start(admin):
    now = timezone.localtime()
    r = admin.post(
        reverse("admin:notifications_notification_add"),
        form_data(ends_at=(now - timedelta(days=1)).strftime("%Y-%m-%dT10:00")),
    )
    assert r.status_code == 200
    assert "The end of the publication must come after its start." in r.content.decode()
    assert not Notification.objects.exists()


def test_the_readers_with_their_times_counts_filter_and_csv(admin, user, other_user):
    n = make_notification(title="Policy", requires_confirmation=True)
    notification_mark_viewed(notification=n, user=user)
    notification_confirm(notification=n, user=user)
    notification_mark_viewed(notification=n, user=other_user)

    changelist = admin.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert '<td class="field-viewed_count">2</td>' in changelist
    assert '<td class="field-confirmed_count">1</td>' in changelist
    change = admin.get(reverse("admin:notifications_notification_change", args=[n.pk])).content.decode()
    assert "2 viewed, 1 confirmed" in change

    readers_url = reverse("admin:notifications_notificationreceipt_changelist")
    html = admin.get(readers_url, {"notification__id__exact": n.pk}).content.decode()
    assert "maria" in html
    assert "joao" in html
    html = admin.get(readers_url, {"notification__id__exact": n.pk, "state": "confirmed"}).content.decode()
    assert "maria" in html
    assert "joao" not in html

    export = reverse("admin:notifications_notificationreceipt_export")
    r = admin.get(export, {"notification__id__exact": n.pk, "state": "unconfirmed"})
    assert r["Content-Type"].startswith("text/csv")
    lines = b"".join(r.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("notification,user,name,e-mail,viewed on,confirmed on")
    assert len(lines) == 2
    assert lines[1].startswith("Policy,joao,João Souza,joao@example.com,")
    full = b"".join(admin.get(export, {"notification__id__exact": n.pk}).streaming_content).decode()
    maria_line = next(line for line in full.splitlines() if ",maria," in line)
    assert maria_line.count("T") >= 2  # both times (ISO 8601)


def test_csv_cells_never_start_a_formula(admin, user):
    n = make_notification(title="=HYPERLINK(evil)")
    notification_mark_viewed(notification=n, user=user)
    body = b"".join(admin.get(reverse("admin:notifications_notificationreceipt_export")).streaming_content)
    assert b"'=HYPERLINK(evil)" in body


def test_readers_are_read_only_and_hidden_from_non_staff(client_as, user):
    n = make_notification()
    notification_mark_viewed(notification=n, user=user)
    r = client_as(user).get(reverse("admin:notifications_notificationreceipt_export"))
    assert r.status_code == 302  # to the admin login
