"""The client's address, the one rule for every place that counts or records it (django-axes'
lockouts, the public campaigns' rate limit, the request log, login events).

Behind reverse proxies (deploy/haproxy.cfg: ``option forwardfor``) the connection's address is the
proxy's: each trusted proxy appends the address it saw to ``X-Forwarded-For``, so with
``TRUSTED_PROXY_COUNT`` = N the client is the N-th entry from the right. Entries further left were
written by the client itself and are never believed; with no trusted proxy (the default) the header
is ignored and the connection's address is the client's.
"""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ("" when unknown)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < proxies:  # not through every trusted proxy: the connection is all we know
        return remote
    candidate = chain[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
