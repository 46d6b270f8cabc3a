"""Schemathesis against the live schema (/api/v1/schema/), through the WSGI application, with an
authenticated user (a personal token) who owns tickets: no 5xx, and every response conforms to the
schema (status codes, content types, bodies). Bounded: a few examples per operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.services import api_token_create
from tests import factories
from tickets.services.transitions import ticket_capture

EXAMPLES = 15


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the WSGI application itself, whose request signals would close the
    database connection that holds the test's transaction (on PostgreSQL); Django's test client
    disconnects them the same way (django.test.client.ClientHandler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def world(db, user, activity, contract, attendant, set_param, settings, tmp_path):
    settings.API_THROTTLE_RATE = "100000/min"
    settings.MEDIA_ROOT = tmp_path
    for number in (298, 252, 299, 302):
        set_param(number, True)
    for _ in range(3):
        ticket_capture(
            ticket=factories.open_ticket(requester=user, activity=activity, contract=contract),
            actor=attendant,
        )
    factories.CategoryFactory(name="Follow-up")
    factories.OriginFactory(name="Portal")


@pytest.fixture
def auth_header(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='fuzz', days=1)[1]}"}


# The schema is generated from the code (drf-spectacular): loading it needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, auth_header):
    # A cursor is opaque: only the one an answer hands out is valid (a made-up one is a 400, tested in
    # tests/api/test_tickets.py), so generated ones are not sent.
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)
    # Not "positive data acceptance": a body of the right shape may still name a category that does not
    # exist or break a rule of the portal, and that is a 400/409 with its message, not a failure.
    case.call_and_validate(headers=auth_header, excluded_checks=[positive_data_acceptance])
