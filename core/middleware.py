"""Middleware of the portal: one log line per request (production), the SQLite lock mode of a
request, and no caching of pages that show a user's data."""

from __future__ import annotations

import logging
import time

from django.utils.cache import add_never_cache_headers

from .receipts import view_records_receipt
from .sqlite_backend.base import request_may_write

logger = logging.getLogger("smartportal.request")


class RequestLogMiddleware:
    """Logs ``request`` with method, path, status, duration and user id once the response exists."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        t0 = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        logger.log(
            level,
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "ms": round((time.perf_counter() - t0) * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "ip": request.META.get("REMOTE_ADDR", ""),
            },
        )
        return response


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class SQLiteReadRequestMiddleware:
    """A request that only reads (a GET never changes state) takes no SQLite write lock: its
    transactions start deferred (core/sqlite_backend/base.py). The exception is a GET view marked
    :func:`core.receipts.records_receipt`: it may write a read receipt after reading, so its
    transaction takes the write lock up front like a POST's (a deferred transaction that reads and
    then writes fails at once with "database is locked" when another connection holds the lock).
    Installed with the SQLite engine only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_may_write.set(request.method not in SAFE_METHODS)
        try:
            return self.get_response(request)
        finally:
            request_may_write.reset(token)  # also undoes process_view's mark

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Runs before ATOMIC_REQUESTS opens the view's transaction.
        if view_records_receipt(view_func):
            request_may_write.set(True)


class PrivatePagesMiddleware:
    """What a logged-in user is answered is never stored by the browser or a proxy
    (``Cache-Control: no-store, private``): after logout, the back button of a shared computer
    cannot show a ticket again. A response that chose its own caching keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
