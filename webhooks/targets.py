"""Which URLs a webhook may be sent to: the one rule, used when a subscription is saved (the admin
form) and again before every attempt, after resolving the host (webhooks/services.py).

Refused: anything but ``https://`` when ``WEBHOOKS_HTTPS_ONLY`` (production), the portal's own
host (``SITE_URL``, ``ALLOWED_HOSTS``), and any address that is loopback, private, link-local,
multicast, reserved or unspecified (IPv4-mapped IPv6 included). ``WEBHOOKS_ALLOW_LOOPBACK`` lets
loopback through; only the tests set it (smartportal/settings/worker_test.py).

The check resolves the name and the HTTP client resolves it again to connect: a DNS answer that
changes between the two (rebinding with a very short TTL) is not caught here.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError


class TargetRefused(ApplicationError):
    pass


class HostUnresolved(TargetRefused):
    """The name does not resolve now: a send retries, a subscription is refused."""


def _portal_hosts() -> set[str]:
    hosts = {h.lower().lstrip(".") for h in settings.ALLOWED_HOSTS if h and h != "*"}
    site = urlsplit(settings.SITE_URL).hostname
    if site:
        hosts.add(site.lower())
    return {h.strip("[]") for h in hosts}


def _is_loopback_name(host: str) -> bool:
    """The tests' receivers listen on loopback, which the development settings also serve."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _address_refusal(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if settings.WEBHOOKS_ALLOW_LOOPBACK else _("Loopback addresses are not allowed.")
    if ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return _("Private, link-local and reserved addresses are not allowed.")
    return None


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostUnresolved(_("The host %(host)s cannot be resolved.") % {"host": host}) from exc
    return sorted({str(info[4][0]) for info in infos})


def target_check(url: str, *, resolve: bool = True) -> None:
    """Raise :class:`TargetRefused` (its message for the administrator) when ``url`` may not receive
    webhooks. With ``resolve``, every address the host resolves to must pass."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(_("Enter a valid URL.")) from exc
    scheme = parts.scheme.lower()
    allowed = ("https",) if settings.WEBHOOKS_HTTPS_ONLY else ("https", "http")
    if scheme not in allowed:
        raise TargetRefused(_("Only https:// addresses may receive webhooks."))
    host = (parts.hostname or "").lower()
    if not host:
        raise TargetRefused(_("Enter a valid URL."))
    if parts.username or parts.password:
        raise TargetRefused(_("The URL may not contain a user name or password."))
    if host in _portal_hosts() and not (settings.WEBHOOKS_ALLOW_LOOPBACK and _is_loopback_name(host)):
        raise TargetRefused(_("The portal's own address cannot receive its webhooks."))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    elif resolve:
        addresses = _resolve(host, port or (443 if scheme == "https" else 80))
    else:
        addresses = []
    for address in addresses:
        refusal = _address_refusal(address)
        if refusal:
            raise TargetRefused(refusal)
