import pytest

from approvals.email_templates import email_templates_ensure
from approvals.models import Justification
from tests import factories


@pytest.fixture(autouse=True)
def _approval_templates(db):
    """The templates of migration 0002 (a transactional test run before flushes them)."""
    email_templates_ensure()


@pytest.fixture
def awaiting(user, approval_activity, contract, joao):
    """A ticket of maria (``user``) awaiting the approval of joao's group."""
    return factories.open_ticket(
        requester=user,
        activity=approval_activity,
        contract=contract,
        title="VPN access to work from home",
        description="Fridays from home.",
    )


@pytest.fixture
def justification(db):
    return Justification.objects.create(name="No budget this year")


@pytest.fixture
def substitute(db):
    return factories.UserFactory(username="carla", first_name="Carla", last_name="Costa")
