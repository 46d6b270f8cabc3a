"""An occurrence registered with Notify Responsible is its own outbox entry: the request saves it with
``emails_pending``; the worker writes one outbox row per recipient and clears the flag, once; the
dispatcher does it for occurrences whose task was lost."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from occurrences import services
from occurrences.tasks import occurrence_emails_dispatch_stale_task, occurrence_emails_queue_task
from outbox.models import OutboundEmail
from tests import factories
from tickets.models import Occurrence

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


@pytest.fixture
def enabled(set_param):
    set_param(252, True)


@pytest.fixture
def origin(db):
    return factories.OriginFactory(name="Portal")


@pytest.fixture
def register_via_portal(user, ticket, enabled, category, origin, django_capture_on_commit_callbacks):
    """register_via_portal(text=..., execute=True) -> occurrence, saved as the Occurrence Register
    does, with Notify Responsible; ``execute`` runs the on-commit hooks (the tasks, in-process)."""

    def _register(text="Any news?", *, execute=True):
        with django_capture_on_commit_callbacks(execute=execute):
            occ = services.occurrence_register(
                ticket_id=ticket.pk,
                actor=user,
                category=category,
                origin=origin,
                text=text,
                notify_responsible=True,
            )
        occ.refresh_from_db()
        return occ

    return _register


def old(occ, seconds=3600):
    Occurrence.objects.filter(pk=occ.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_after_commit_the_worker_writes_the_rows_and_the_emails_go_out(
    register_via_portal, attendant, responsible_template, requester_template, user, mailoutbox
):
    occ = register_via_portal()
    assert occ.emails_pending is False
    rows = OutboundEmail.objects.order_by("recipient")
    assert [(r.recipient, r.status) for r in rows] == sorted(
        [(attendant.email, Status.SENT), (user.email, Status.SENT)]
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([attendant.email, user.email])
    assert f"ticket {occ.ticket_id}" in next(m for m in mailoutbox if m.to == [attendant.email]).body


def test_until_the_task_runs_the_occurrence_is_saved_with_its_emails_pending(
    register_via_portal, attendant, responsible_template, mailoutbox
):
    occ = register_via_portal(execute=False)
    assert occ.emails_pending is True
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_the_task_twice_writes_the_rows_once(
    register_via_portal, attendant, responsible_template, mailoutbox, django_capture_on_commit_callbacks
):
    occ = register_via_portal(execute=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert occurrence_emails_queue_task(occ.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert occurrence_emails_queue_task(occ.pk) == 0  # already done: nothing, not even a row
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_no_usable_template_clears_the_flag_and_writes_nothing(
    register_via_portal, attendant, mailoutbox, caplog
):
    with caplog.at_level(logging.WARNING):
        occ = register_via_portal()
    assert occ.emails_pending is False
    assert not OutboundEmail.objects.exists()
    assert "is empty: no e-mail is sent" in caplog.text


def test_dead_broker_leaves_the_occurrence_pending_then_the_dispatcher_sends_once(
    register_via_portal,
    attendant,
    responsible_template,
    monkeypatch,
    mailoutbox,
    caplog,
    django_capture_on_commit_callbacks,
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(occurrence_emails_queue_task, "apply_async", refuse)
    with caplog.at_level(logging.ERROR):
        occ = register_via_portal()
    assert "Connection refused" in caplog.text
    assert occ.emails_pending is True
    assert not OutboundEmail.objects.exists()

    monkeypatch.undo()
    recent = register_via_portal("Written a moment ago", execute=False)
    old(occ)
    with django_capture_on_commit_callbacks(execute=True):
        assert occurrence_emails_dispatch_stale_task() == 1  # the stale one only
    with django_capture_on_commit_callbacks(execute=True):
        assert occurrence_emails_dispatch_stale_task() == 0
    occ.refresh_from_db()
    recent.refresh_from_db()
    assert (occ.emails_pending, recent.emails_pending) == (False, True)
    assert [(r.idempotency_key.split(":")[1], r.status) for r in OutboundEmail.objects.all()] == [
        (str(occ.pk), Status.SENT)
    ]
    assert len(mailoutbox) == 1


def test_the_dispatcher_is_scheduled(settings):
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert occurrence_emails_dispatch_stale_task.name in entries


def test_a_pending_occurrence_held_by_another_worker_is_skipped(
    register_via_portal, attendant, responsible_template
):
    """The claim is ``select_for_update(skip_locked=True)``: on PostgreSQL a second worker passes by an
    occurrence another one is writing; everywhere, the flag makes the second pass a no-op."""
    occ = register_via_portal(execute=False)
    assert services.occurrence_emails_queue(occurrence_id=occ.pk) is not None
    assert services.occurrence_emails_queue(occurrence_id=occ.pk) is None
    assert services.occurrence_emails_queue(occurrence_id=10**9) is None


def test_task_names_are_their_paths_and_the_old_names_still_run(
    register_via_portal, attendant, responsible_template, mailoutbox, django_capture_on_commit_callbacks
):
    """Registered names equal the functions' paths; the names used before the move to
    occurrences/tasks.py stay registered for one release, so messages already queued under them run."""
    from smartportal.celery import app

    for task in (occurrence_emails_queue_task, occurrence_emails_dispatch_stale_task):
        assert task.name == f"{task.__module__}.{task.__name__}"
    old_queue = app.tasks["occurrences.tasks.occurrence_emails_task"]
    old_sweep = app.tasks["occurrences.tasks.occurrence_emails_dispatch_pending"]
    occ = register_via_portal(execute=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert old_queue.apply(args=[occ.pk]).get() == 1
    assert old_sweep.apply().get() == 0
    assert len(mailoutbox) == 1
