"""The one rule for where webhooks go (webhooks/targets.py): at subscription save and at send time."""

import socket

import pytest

from webhooks.targets import HostUnresolved, TargetRefused, target_check


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.WEBHOOKS_HTTPS_ONLY = True
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    settings.SITE_URL = "https://portal.example.com"
    settings.ALLOWED_HOSTS = ["portal.example.com", ".intranet.example.com"]


def resolving_to(monkeypatch, *addresses):
    def fake(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://127.8.0.1/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://10.0.0.5/hook",
        "https://172.16.3.4/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[fe80::1]/hook",
        "https://[fc00::1]/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_loopback_private_link_local_and_reserved_literals_are_refused(url):
    with pytest.raises(TargetRefused):
        target_check(url)


def test_only_https_in_production():
    with pytest.raises(TargetRefused, match="https"):
        target_check("http://93.184.216.34/hook")
    with pytest.raises(TargetRefused):
        target_check("ftp://93.184.216.34/hook")


def test_a_public_address_passes(monkeypatch):
    target_check("https://93.184.216.34/hook")
    resolving_to(monkeypatch, "93.184.216.34", "2606:2800:220:1::1")
    target_check("https://hooks.example.org/x")


def test_a_name_is_refused_when_any_of_its_addresses_is_private(monkeypatch):
    resolving_to(monkeypatch, "93.184.216.34", "10.1.2.3")
    with pytest.raises(TargetRefused):
        target_check("https://hooks.example.org/x")


def test_a_name_resolving_to_loopback_is_refused_at_send_time(monkeypatch):
    resolving_to(monkeypatch, "127.0.0.1")
    target_check("https://rebind.example.org/x", resolve=False)  # at save, not resolved: passes
    with pytest.raises(TargetRefused):
        target_check("https://rebind.example.org/x")


def test_the_portals_own_host_is_refused(monkeypatch):
    resolving_to(monkeypatch, "93.184.216.34")
    with pytest.raises(TargetRefused, match="own address"):
        target_check("https://portal.example.com/api/v1/")
    with pytest.raises(TargetRefused, match="own address"):
        target_check("https://intranet.example.com/")


def test_credentials_in_the_url_are_refused():
    with pytest.raises(TargetRefused):
        target_check("https://user:pw@93.184.216.34/hook")


def test_an_unresolvable_name_is_its_own_error(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(HostUnresolved):
        target_check("https://nowhere.example.org/")


def test_loopback_only_with_the_tests_setting(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    target_check("https://127.0.0.1:8443/hook")
    with pytest.raises(TargetRefused):
        target_check("https://10.0.0.5/hook")  # private stays refused
