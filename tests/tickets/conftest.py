"""Fixtures of the ticket action tests: uploads go to a temporary MEDIA_ROOT."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def captured(ticket, attendant):
    """``ticket`` captured by the service desk's attendant (In Progress, responsible set)."""
    from tickets.services.transitions import ticket_capture

    return ticket_capture(ticket=ticket, actor=attendant)


@pytest.fixture
def closed(captured, attendant):
    """``ticket`` resolved and closed just now (inside the reopen window)."""
    from tickets.services.transitions import ticket_close, ticket_resolve

    ticket_resolve(ticket=captured, actor=attendant, solution="Replaced the toner.")
    return ticket_close(ticket=captured, actor=attendant)


@pytest.fixture
def far_desk(db):
    from tests import factories

    return factories.GroupFactory(name="Network team")


@pytest.fixture
def far_attendant(db, far_desk):
    """Staff of another executor group."""
    from tests import factories

    factories.ActivityFactory(executor_group=far_desk)
    return factories.UserFactory(username="netops", is_staff=True, groups=[far_desk])
