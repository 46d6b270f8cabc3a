"""Production middleware: one log line per request."""

from __future__ import annotations

import logging
import time

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
