"""Fixtures of the outbox tests (also used by tests/notifications): templates named by parameters
253 / 251 and a helper that registers an occurrence the way the Occurrence Register does (one transaction)."""

import pytest
from django.db import transaction

from outbox.services import broker_breaker_reset
from tests import factories
from tickets.emails import email_queue_for_occurrence
from tickets.models import Occurrence


@pytest.fixture
def responsible_template(db, set_param):
    t = factories.EmailTemplateFactory(
        name="Occurrence to the responsible",
        subject="Ticket ${IDSERVICEREQUEST}: new occurrence",
        body=(
            "Hello ${REQUESTRESPONSIBLENAME},\n${AUTHOR} wrote on ticket ${IDSERVICEREQUEST} "
            "(${TITLE}, ${SERVICE}, ${SITUACAO}, due ${DATAHORALIMITESTR}) [${CATEGORY}]:\n"
            "${OCCURRENCE}\n${LINKSOLICITACAOSERVICO}"
        ),
    )
    set_param(253, t.pk)
    return t


@pytest.fixture
def requester_template(db, set_param):
    t = factories.EmailTemplateFactory(
        name="Occurrence to the requester",
        subject="Your ticket ${IDSERVICEREQUEST} has news",
        body="Dear ${REQUESTERNAME}, a new occurrence: ${OCCURRENCE}\n${LINKSOLICITACAOSERVICO}",
    )
    set_param(251, t.pk)
    return t


@pytest.fixture
def category(db):
    return factories.CategoryFactory(name="Customer follow-up")


@pytest.fixture
def register(category, django_capture_on_commit_callbacks):
    """register(ticket, author=..., text=..., notify=True, execute=True) -> (occurrence, rows).

    Saves the occurrence and queues its e-mails in one transaction, like ``occurrence_register``;
    ``execute`` runs the on-commit hooks (the send task, in-process)."""

    def _register(ticket, *, author, text="The printer works again?", notify=True, execute=True):
        with django_capture_on_commit_callbacks(execute=execute) as callbacks, transaction.atomic():
            occ = Occurrence.objects.create(
                ticket=ticket, category=category, text=text, author=author, notify=notify
            )
            rows = email_queue_for_occurrence(occurrence=occ, notify_responsible=notify)
        _register.callbacks = callbacks
        return occ, rows

    return _register


@pytest.fixture(autouse=True)
def _outbox_breaker_reset():
    """Each test starts with the web side's broker circuit breaker closed."""
    broker_breaker_reset()
    yield
    broker_breaker_reset()
