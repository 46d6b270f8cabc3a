"""Read receipts are the one write a GET may make (docs/architecture.md, "Request flow"): the views
that record them carry core.receipts.records_receipt, and on SQLite their transaction takes the write
lock up front (tests/security/test_read_receipts_embedded.py checks it over HTTP)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from core.middleware import SQLiteReadRequestMiddleware
from core.receipts import records_receipt, view_records_receipt
from core.sqlite_backend.base import request_may_write

# Every GET that writes a receipt (NotificationReceipt.viewed_at, Message.read_at).
RECEIPT_URLS = [
    "/notifications/1/",
    "/my-requests/1/messages/",
    "/my-requests/1/messages/poll/",
    "/chat/1/",
    "/chat/1/poll/",
    "/chat/console/",
    "/chat/console/1/",
    "/admin/tickets/ticket/1/messages/",
    "/admin/tickets/ticket/1/messages/poll/",
]
PLAIN_READS = [
    "/my-requests/",
    "/notifications/",
    "/my-requests/1/",
    "/chat/",
    "/admin/tickets/ticket/1/change/",
]


@pytest.mark.parametrize("url", RECEIPT_URLS)
def test_the_views_that_write_a_receipt_are_marked(url):
    assert view_records_receipt(resolve(url).func)


@pytest.mark.parametrize("url", PLAIN_READS)
def test_other_reads_are_not(url):
    assert not view_records_receipt(resolve(url).func)


def _lock_mode_seen(method: str, view) -> bool:
    """What ``request_may_write`` says inside the view (after the middleware's process_view)."""
    middleware = SQLiteReadRequestMiddleware(lambda request: HttpResponse())
    request = getattr(RequestFactory(), method.lower())("/")
    seen = []

    def get_response(request):
        middleware.process_view(request, view, (), {})
        seen.append(request_may_write.get())
        return HttpResponse()

    middleware.get_response = get_response
    middleware(request)
    return seen[0]


def test_a_marked_get_takes_the_write_lock_and_a_plain_get_does_not():
    @records_receipt
    def marked(request):
        return HttpResponse()

    def plain(request):
        return HttpResponse()

    assert _lock_mode_seen("GET", marked) is True
    assert _lock_mode_seen("GET", plain) is False
    assert _lock_mode_seen("POST", plain) is True
    assert request_may_write.get() is True  # reset after the request
