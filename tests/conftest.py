"""Shared fixtures. Services that a test needs (PostgreSQL, Redis, Chromium) are looked for; a
missing one skips the test with the reason, except when CI=true, where it is a failure."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.utils import translation

from parameters.services import parameter_set

from . import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(ok: bool, reason: str) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def tcp_open(url: str, default_port: int) -> bool:
    u = urlparse(url)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_postgres(settings):
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "this test needs PostgreSQL (set DATABASE_URL=postgres://...)",
    )


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require(bool(url) and tcp_open(url, 6379), "this test needs Redis (set REDIS_URL=redis://...)")
    return url


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    require(
        os.path.exists(path) or shutil.which(path) is not None,
        f"this test needs Debian's chromium at {path} (apt-get install chromium)",
    )
    return path


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through the test client leaves the
    language it activated (LocaleMiddleware) for the rest of the thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def set_param(db):
    """Set a numbered parameter through the real service: ``set_param(252, True)``."""

    def _set(number, value):
        parameter_set(p=number, value=value)

    return _set


@pytest.fixture
def service_desk(db):
    return factories.GroupFactory(name="Service desk")


@pytest.fixture
def user(db):
    return factories.UserFactory(username="maria", first_name="Maria", last_name="Silva")


@pytest.fixture
def other_user(db):
    return factories.UserFactory(username="joao", first_name="João", last_name="Souza")


@pytest.fixture
def attendant(db, service_desk):
    return factories.UserFactory(
        username="attendant", first_name="Ana", last_name="Atendente", is_staff=True, groups=[service_desk]
    )


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def contract(db):
    return factories.ContractFactory()


@pytest.fixture
def activity(db, service_desk):
    return factories.ActivityFactory(executor_group=service_desk)


@pytest.fixture
def ticket(user, activity, contract):
    """An In Progress ticket of ``user`` waiting for capture by the service desk."""
    return factories.open_ticket(requester=user, activity=activity, contract=contract)


@pytest.fixture
def catalog(db, service_desk):
    """A small catalog (docs/domain.md): a business and a technical portfolio, two services, request
    and incident activities; the Printing service has a Spanish description."""
    from catalog.models import Activity, Portfolio

    business = factories.PortfolioFactory(
        name="Human Resources", description="People matters", icon="👥", type=Portfolio.Type.BUSINESS
    )
    technical = factories.PortfolioFactory(
        name="End-user computing",
        description="Computers and printers",
        icon="💻",
        type=Portfolio.Type.TECHNICAL,
    )
    payroll = factories.ServiceFactory(
        portfolio=business, name="Payroll", description="Payslips and benefits"
    )
    printing = factories.ServiceFactory(
        portfolio=technical,
        name="Printing",
        description="Printers",
        description_es="Impresoras y fotocopiadoras",
    )
    payslip = factories.ActivityFactory(service=payroll, name="Payslip copy", executor_group=service_desk)
    jam = factories.ActivityFactory(
        service=printing, name="Printer is broken", type=Activity.Type.INCIDENT, executor_group=service_desk
    )
    toner = factories.ActivityFactory(service=printing, name="Toner replacement", executor_group=service_desk)
    return {
        "business": business,
        "technical": technical,
        "payroll": payroll,
        "printing": printing,
        "payslip": payslip,
        "jam": jam,
        "toner": toner,
    }


@pytest.fixture
def portal_ready(db, contract, set_param):
    """Parameters 118 (contract) and 65 (origin) set, so the portal can open requests."""
    origin = factories.OriginFactory(name="Portal")
    set_param(118, contract.pk)
    set_param(65, origin.pk)
    return {"contract": contract, "origin": origin}


@pytest.fixture
def client_as(client):
    def _as(u):
        client.force_login(u)
        return client

    return _as


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL or Redis are marked so the SQLite run of CI deselects them.

    The topology tests (marker ``topology``: whole process trees, minutes) run only when the marker
    expression names them (``-m topology``, ``make topology``; CI has its own steps for them)."""
    if "topology" not in (config.getoption("markexpr", "") or ""):
        topology = [item for item in items if item.get_closest_marker("topology")]
        if topology:
            config.hook.pytest_deselected(items=topology)
            items[:] = [item for item in items if not item.get_closest_marker("topology")]
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "require_postgres" in names:
            item.add_marker(pytest.mark.postgres)
        if "redis_url" in names:
            item.add_marker(pytest.mark.integration)


# The approver group and its member, shared by the approvals tests and the shell cache tests.
@pytest.fixture
def approvers(db):
    return factories.GroupFactory(name="Approvers")


@pytest.fixture
def joao(other_user, approvers):
    """``other_user`` (joao), a member of the approver group."""
    other_user.groups.add(approvers)
    return other_user


@pytest.fixture
def approval_activity(service_desk, approvers):
    return factories.ActivityFactory(name="VPN access", executor_group=service_desk, approver_group=approvers)
