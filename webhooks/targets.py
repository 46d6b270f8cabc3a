"""Which URLs a webhook may be sent to: the one rule, used when a subscription is saved (the admin
form) and again before every attempt, after resolving the host (webhooks/services.py).

Refused: anything but ``https://`` when ``WEBHOOKS_HTTPS_ONLY`` (production), the portal's own
host (``SITE_URL``, ``ALLOWED_HOSTS``), and any address that is loopback, private, link-local,
multicast, reserved or unspecified (IPv4-mapped IPv6 included). ``WEBHOOKS_ALLOW_LOOPBACK`` lets
loopback through; only the tests set it (smartportal/settings/worker_test.py).

The check resolves the name, and the HTTP client resolves it again to connect; so the address the
socket actually connected to is checked again before anything is sent (:func:`checked_session`),
which also catches a DNS answer that changed in between (rebinding). Proxies from the environment
are not used: the peer must be the receiver itself.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

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


# --- the connection: its peer checked before the request is written ------------------------------


def _checked(sock: socket.socket) -> socket.socket:
    refusal = _address_refusal(str(sock.getpeername()[0]))
    if refusal:
        sock.close()
        raise TargetRefused(refusal)
    return sock


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(super()._new_conn())


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(super()._new_conn())


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}


def checked_session() -> requests.Session:
    """A session whose every connection is refused (:class:`TargetRefused`) when its peer address
    breaks the rule, before a byte of the request is sent; no proxy from the environment."""
    session = requests.Session()
    session.trust_env = False
    adapter = _CheckedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
