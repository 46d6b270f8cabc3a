"""Middleware of the portal: one log line per request (production), and no caching of pages that
show a user's data."""

from __future__ import annotations

import logging
import time

from django.utils.cache import add_never_cache_headers

from core.clientip import client_ip

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
                "ip": client_ip(request),
            },
        )
        return response


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
