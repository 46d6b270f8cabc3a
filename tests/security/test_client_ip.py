"""The client's address (core/clientip.py): X-Forwarded-For is believed only for the trusted proxies
in front of the portal, from the right; django-axes counts that address (its lockouts), and a
forged header changes nothing. Across real processes behind HAProxy: tests/topology/test_scale_out.py."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.clientip import client_ip


def _request(xff: str | None = None, remote: str = "10.0.0.5"):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.5"),  # no trusted proxy: the header is the client's own words
        (1, None, "10.0.0.5"),  # not through the proxy
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.1.1.1", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.5"),  # fewer entries than proxies: only the connection is known
        (1, "not-an-address", "10.0.0.5"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_nearest_trusted_proxy_saw(settings, proxies, xff, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(xff)) == expected


def test_axes_counts_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    assert get_client_ip_address(_request("6.6.6.6, 198.51.100.1")) == "198.51.100.1"
