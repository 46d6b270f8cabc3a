"""Transactions, one rule (docs/architecture.md, "Request flow"): requests are not atomic, the
services own their transactions, and a page that only reads runs in autocommit. Read receipts are
the one write a GET may make: each is written by a service in its own short atomic block (on SQLite
``BEGIN IMMEDIATE``, so it waits for the lock instead of failing), once per reader.
tests/security/test_read_receipts_embedded.py checks the same over HTTP against ``make run`` on a
SQLite file, with parallel readers and another writer holding the lock."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from notifications.models import NotificationReceipt
from notifications.services import notification_mark_viewed
from tests.factories import make_notification


def _callbacks(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _callbacks(p.url_patterns)
        elif isinstance(p, URLPattern):
            yield p.lookup_str, p.callback


def test_no_request_is_atomic_and_no_view_is_an_exception(settings):
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS")
    exceptions = [
        name
        for name, view in _callbacks(get_resolver().url_patterns)
        if getattr(view, "_non_atomic_requests", None)
    ]
    assert exceptions == []


class _InAtomic:
    """Records, for each statement, whether it ran inside an atomic block."""

    def __init__(self):
        self.seen: list[tuple[bool, str]] = []

    def __call__(self, execute, sql, params, many, context):
        self.seen.append((connection.in_atomic_block, sql))
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_a_read_runs_in_autocommit_and_a_receipt_in_its_own_atomic_block(client, user):
    notification = make_notification()
    client.force_login(user)
    recorder = _InAtomic()
    with connection.execute_wrapper(recorder):
        assert client.get("/my-requests/").status_code == 200
    assert recorder.seen
    assert not any(atomic for atomic, _sql in recorder.seen)

    recorder = _InAtomic()
    with connection.execute_wrapper(recorder):
        assert client.get(f"/notifications/{notification.pk}/").status_code == 200
    writes = [atomic for atomic, sql in recorder.seen if sql.lstrip().startswith(("INSERT", "UPDATE"))]
    assert writes
    assert all(writes)
    # the page's reads before the receipt run in autocommit
    assert not recorder.seen[0][0]
    assert (
        NotificationReceipt.objects.filter(
            notification=notification, user=user, viewed_at__isnull=False
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_the_first_viewing_is_kept_and_one_receipt_per_reader(user, other_user):
    notification = make_notification()
    notification_mark_viewed(notification=notification, user=user)
    first = NotificationReceipt.objects.get(notification=notification, user=user).viewed_at
    notification_mark_viewed(notification=notification, user=user)
    notification_mark_viewed(notification=notification, user=other_user)
    receipts = NotificationReceipt.objects.filter(notification=notification)
    assert receipts.count() == 2
    assert receipts.get(user=user).viewed_at == first


@pytest.mark.django_db
def test_a_receipt_without_viewing_time_gets_one(user):
    # the after-login dialog was closed before the notification was opened
    notification = make_notification()
    NotificationReceipt.objects.create(notification=notification, user=user)
    notification_mark_viewed(notification=notification, user=user)
    assert NotificationReceipt.objects.get(notification=notification, user=user).viewed_at is not None


def test_sqlite_atomic_blocks_take_the_write_lock_at_begin(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
