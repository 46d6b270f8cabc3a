"""The outbox in-process (eager tasks, locmem mail): nothing lost, nothing twice."""

import logging
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from outbox import services
from outbox.models import OutboundEmail
from outbox.rendering import render_placeholders
from outbox.tasks import email_dispatch_pending_task, email_send_task
from tests import factories
from tickets.emails import email_queue_for_occurrence
from tickets.models import Occurrence

Status = OutboundEmail.Status


def expected_link(settings, ticket):
    try:
        path = reverse("tickets:description", args=[ticket.pk])
    except NoReverseMatch:
        path = "/my-requests/"
    return settings.SITE_URL.rstrip("/") + path


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail server refuses: every send raises SMTPServerDisconnected until ``.up()``."""

    class Switch:
        down = True

        def up(self):
            self.down = False

    switch = Switch()
    real = EmailBackend.send_messages

    def send_messages(self, messages):
        if switch.down:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return switch


def age(rows, seconds=3600):
    """Make rows look old (as if the broker had been down for a while)."""
    OutboundEmail.objects.filter(pk__in=[r.pk for r in rows]).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


# --- the outbox row shares the occurrence's transaction --------------------------------------


def test_row_is_written_in_the_callers_transaction_and_sent_on_commit(
    ticket, user, attendant, responsible_template, category, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        occ = Occurrence.objects.create(ticket=ticket, category=category, text="Any news?", author=user)
        [row] = email_queue_for_occurrence(occurrence=occ, notify_responsible=True)
        # Inside the transaction: the row is there, PENDING, and nothing was sent yet.
        assert OutboundEmail.objects.get(pk=row.pk).status == Status.PENDING
        assert mailoutbox == []
    # One enqueue for the one row.
    assert [c.__name__ for c in callbacks] == ["enqueue_after_commit"]
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert [m.to for m in mailoutbox] == [[attendant.email]]


def test_rolled_back_transaction_leaves_no_row_and_sends_nothing(
    ticket, user, attendant, responsible_template, category, django_capture_on_commit_callbacks, mailoutbox
):
    def view():
        with transaction.atomic():
            occ = Occurrence.objects.create(ticket=ticket, category=category, text="Any news?", author=user)
            email_queue_for_occurrence(occurrence=occ, notify_responsible=True)
            raise RuntimeError("the view failed after queueing")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        view()
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert not Occurrence.objects.filter(text="Any news?").exists()
    assert mailoutbox == []


def test_not_notifying_queues_nothing(
    ticket, user, attendant, responsible_template, requester_template, register, mailoutbox
):
    occ, rows = register(ticket, author=user, notify=False)
    assert rows == []
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []
    assert Occurrence.objects.filter(pk=occ.pk).exists()


# --- recipients --------------------------------------------------------------------------------


def test_before_capture_the_active_group_members_with_an_email_are_notified(
    ticket, user, attendant, service_desk, responsible_template, register, mailoutbox
):
    colleague = factories.UserFactory(username="bruno", is_staff=True, groups=[service_desk])
    factories.UserFactory(username="gone", is_active=False, groups=[service_desk])
    factories.UserFactory(username="nomail", email="", groups=[service_desk])
    factories.UserFactory(username="outsider", is_staff=True)
    assert ticket.responsible_id is None

    _occ, rows = register(ticket, author=user)

    assert sorted(r.recipient for r in rows) == sorted([attendant.email, colleague.email])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([attendant.email, colleague.email])
    assert all(r.template_id == responsible_template.pk for r in rows)


def test_after_capture_only_the_responsible_is_notified(
    ticket, user, attendant, service_desk, responsible_template, register, mailoutbox
):
    factories.UserFactory(username="bruno", is_staff=True, groups=[service_desk])
    ticket.responsible = attendant
    ticket.save(update_fields=["responsible"])

    _occ, rows = register(ticket, author=user)

    assert [r.recipient for r in rows] == [attendant.email]
    assert [m.to for m in mailoutbox] == [[attendant.email]]
    assert "Hello Ana Atendente," in mailoutbox[0].body


def test_requester_gets_template_251_when_set(
    ticket, user, attendant, responsible_template, requester_template, register, mailoutbox
):
    _occ, rows = register(ticket, author=user, text="Still broken")
    by_recipient = {r.recipient: r for r in rows}
    assert set(by_recipient) == {attendant.email, user.email}
    assert by_recipient[user.email].template_id == requester_template.pk
    assert by_recipient[attendant.email].template_id == responsible_template.pk
    mail = next(m for m in mailoutbox if m.to == [user.email])
    assert mail.subject == f"Your ticket {ticket.pk} has news"
    assert mail.body.startswith("Dear Maria Silva, a new occurrence: Still broken")


def test_without_251_the_requester_gets_nothing(
    ticket, user, attendant, responsible_template, register, mailoutbox
):
    _occ, rows = register(ticket, author=user)
    assert [r.recipient for r in rows] == [attendant.email]


@pytest.mark.parametrize("case", ["empty", "missing", "inactive"])
def test_unusable_253_sends_nothing_warns_and_keeps_the_occurrence(
    case, ticket, user, attendant, set_param, register, mailoutbox, caplog
):
    if case == "missing":
        set_param(253, 987654)
    elif case == "inactive":
        set_param(253, factories.EmailTemplateFactory(active=False).pk)

    with caplog.at_level(logging.WARNING, logger="outbox.services"):
        occ, rows = register(ticket, author=user, text="Saved anyway")

    assert rows == []
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []
    assert Occurrence.objects.filter(pk=occ.pk, text="Saved anyway").exists()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "253" in r.getMessage()]
    assert warnings, caplog.text


def test_invalid_251_warns_but_the_responsible_is_still_notified(
    ticket, user, attendant, responsible_template, set_param, register, mailoutbox, caplog
):
    set_param(251, 987654)
    with caplog.at_level(logging.WARNING, logger="outbox.services"):
        _occ, rows = register(ticket, author=user)
    assert [r.recipient for r in rows] == [attendant.email]
    assert any("251" in r.getMessage() for r in caplog.records)


def test_queueing_twice_for_the_same_occurrence_makes_one_row(
    ticket, user, attendant, responsible_template, register, django_capture_on_commit_callbacks, mailoutbox
):
    occ, [row] = register(ticket, author=user)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        [again] = email_queue_for_occurrence(occurrence=occ, notify_responsible=True)
    assert again.pk == row.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1
    assert row.idempotency_key == f"occurrence:{occ.pk}:{responsible_template.pk}:{attendant.pk}"


# --- the message -------------------------------------------------------------------------------


def test_multipart_text_and_html_with_placeholders_link_and_message_id(
    settings, ticket, user, attendant, responsible_template, register, mailoutbox
):
    settings.SITE_URL = "https://portal.example.com"
    _occ, [row] = register(ticket, author=user, text="Any news on this?")
    [mail] = mailoutbox
    link = expected_link(settings, ticket)
    assert link.startswith("https://portal.example.com/")

    assert mail.subject == f"Ticket {ticket.pk}: new occurrence"
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert f"Maria Silva wrote on ticket {ticket.pk}" in mail.body
    assert f"({ticket.title}, {ticket.service.name}, In Progress, due " in mail.body
    assert "[Customer follow-up]" in mail.body
    assert "Any news on this?" in mail.body
    assert link in mail.body
    assert "${" not in mail.body

    html = html_of(mail)
    assert f'href="{link}"' in html
    assert "Any news on this?" in html
    assert f"Ticket {ticket.pk}: new occurrence" in html

    row.refresh_from_db()
    assert mail.extra_headers["Message-ID"] == row.message_id
    assert mail.message()["Message-ID"] == row.message_id


def test_script_in_the_occurrence_is_escaped_in_the_html_part(
    ticket, user, attendant, responsible_template, register, mailoutbox
):
    register(ticket, author=user, text='<script>alert("x")</script> & <b>bold</b>')
    [mail] = mailoutbox
    html = html_of(mail)
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    # The plain-text part is plain text: the occurrence as written.
    assert '<script>alert("x")</script> & <b>bold</b>' in mail.body


def test_recipient_language_picks_the_translation(
    ticket, user, attendant, service_desk, responsible_template, register, mailoutbox
):
    factories.EmailTemplateTranslationFactory(template=responsible_template, language="pt-br")
    attendant.preferred_language = "pt-br"
    attendant.save(update_fields=["preferred_language"])
    english = factories.UserFactory(username="bruno", is_staff=True, groups=[service_desk])

    _occ, rows = register(ticket, author=user)

    assert {r.recipient: r.language for r in rows} == {attendant.email: "pt-br", english.email: "en"}
    pt = next(m for m in mailoutbox if m.to == [attendant.email])
    en = next(m for m in mailoutbox if m.to == [english.email])
    assert pt.subject == f"Chamado {ticket.pk}: nova ocorrência"
    assert pt.body.startswith("Olá , o chamado")  # no responsible yet: the name is blank
    assert 'lang="pt-br"' in html_of(pt)
    assert en.subject == f"Ticket {ticket.pk}: new occurrence"
    assert 'lang="en"' in html_of(en)


def test_unknown_placeholders_stay_visible():
    assert render_placeholders("${A} ${TYPO} ${B}", {"A": "1", "B": None}) == "1 ${TYPO} "


# --- the task: once, retries, failure ----------------------------------------------------------


def test_sending_the_same_id_twice_sends_once(
    ticket, user, attendant, responsible_template, register, mailoutbox
):
    _occ, [row] = register(ticket, author=user)
    assert len(mailoutbox) == 1
    assert email_send_task.delay(row.pk).get() == "skipped"
    assert email_send_task.delay(row.pk).get() == "skipped"
    row.refresh_from_db()
    assert len(mailoutbox) == 1
    assert row.status == Status.SENT
    assert row.attempts == 1


def test_a_row_in_flight_is_not_sent_again(
    ticket, user, attendant, responsible_template, register, mailoutbox
):
    _occ, [row] = register(ticket, author=user, execute=False)
    OutboundEmail.objects.filter(pk=row.pk).update(status=Status.SENDING)
    assert services.email_send(email_id=row.pk) is None
    assert mailoutbox == []


def test_smtp_failure_leaves_the_row_pending_and_a_later_run_sends_it(
    ticket, user, attendant, responsible_template, register, smtp_down, mailoutbox, settings
):
    _occ, [row] = register(ticket, author=user)
    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    assert mailoutbox == []

    # Fresh failures are left to the task's own retries; the dispatcher waits for them to go stale.
    assert email_dispatch_pending_task() == 0
    smtp_down.up()
    age([row])
    assert email_dispatch_pending_task() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert row.last_error == ""
    assert len(mailoutbox) == 1


def test_the_last_attempt_marks_the_row_failed(
    ticket, user, attendant, responsible_template, register, smtp_down, mailoutbox, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    _occ, [row] = register(ticket, author=user)
    with pytest.raises(SMTPServerDisconnected):
        services.email_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.attempts == 2
    # A FAILED row is not picked up again by the dispatcher.
    age([row])
    assert email_dispatch_pending_task() == 0


def test_task_retry_policy_is_bounded_with_backoff():
    from smtplib import SMTPException

    assert set(email_send_task.autoretry_for) >= {SMTPException, OSError}
    assert email_send_task.retry_backoff is True
    assert 0 < email_send_task.max_retries <= 20
    assert email_send_task.acks_late is True


def test_on_failure_marks_pending_row_failed(ticket, user, attendant, responsible_template, register):
    _occ, [row] = register(ticket, author=user, execute=False)
    email_send_task.on_failure(SMTPServerDisconnected("gone"), "task-id", (row.pk,), {}, None)
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert "gone" in row.last_error


def test_a_rendering_bug_fails_the_row_at_once(
    ticket, user, attendant, responsible_template, register, monkeypatch, mailoutbox
):
    _occ, [row] = register(ticket, author=user, execute=False)

    def boom(email, **kw):
        raise KeyError("bug")

    monkeypatch.setattr("outbox.services.render_email", boom)
    assert email_send_task.delay(row.pk).failed()
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert "KeyError" in row.last_error
    assert mailoutbox == []


# --- broker down, beat dispatcher ------------------------------------------------------------


def test_dead_broker_on_commit_is_only_logged_and_the_row_stays_pending(
    ticket, user, attendant, responsible_template, register, monkeypatch, mailoutbox, caplog
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(email_send_task, "apply_async", refuse)
    with caplog.at_level(logging.ERROR):
        occ, [row] = register(ticket, author=user)
    assert Occurrence.objects.filter(pk=occ.pk).exists()
    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert row.attempts == 0
    assert mailoutbox == []
    assert "Connection refused" in caplog.text

    # The broker is back: the beat task re-enqueues the stale row and it goes out once.
    monkeypatch.undo()
    age([row])
    assert email_dispatch_pending_task() == 1
    assert email_dispatch_pending_task() == 0
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert len(mailoutbox) == 1


def test_beat_reenqueues_only_stale_pending_rows(
    ticket, user, attendant, service_desk, responsible_template, register, mailoutbox, settings
):
    factories.UserFactory(username="bruno", is_staff=True, groups=[service_desk])
    _occ, rows = register(ticket, author=user, execute=False)
    stale, fresh = rows
    age([stale], seconds=settings.OUTBOX_STALE_AFTER_SECONDS + 5)

    assert email_dispatch_pending_task() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == Status.SENT
    assert fresh.status == Status.PENDING
    assert [m.to for m in mailoutbox] == [[stale.recipient]]


def test_beat_reclaims_rows_stuck_in_sending(
    ticket, user, attendant, responsible_template, register, mailoutbox, settings
):
    _occ, [row] = register(ticket, author=user, execute=False)
    OutboundEmail.objects.filter(pk=row.pk).update(status=Status.SENDING, attempts=1)
    age([row], seconds=60)  # in flight for a minute: not stuck yet
    assert email_dispatch_pending_task() == 0
    age([row], seconds=settings.OUTBOX_SENDING_STUCK_AFTER_SECONDS + 5)
    assert email_dispatch_pending_task() == 1
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert len(mailoutbox) == 1


def test_beat_task_is_scheduled(settings):
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "outbox.tasks.email_dispatch_pending_task" in entries
    assert email_dispatch_pending_task.name == "outbox.tasks.email_dispatch_pending_task"
    assert email_send_task.name == "outbox.tasks.email_send_task"


def test_the_former_task_names_are_still_accepted(
    ticket, user, attendant, responsible_template, register, mailoutbox
):
    """Messages queued before the outbox left notifications name the old tasks: for one release
    they still send (the aliases hand the row to the new task)."""
    from smartportal.celery import app

    _occ, [row] = register(ticket, author=user, execute=False)
    app.tasks["notifications.tasks.email_send_task"].delay(row.pk)
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert len(mailoutbox) == 1

    _occ, [stale] = register(ticket, author=user, text="Again", execute=False)
    age([stale])
    assert app.tasks["notifications.tasks.outbound_email_dispatch_pending"]() == 1
    stale.refresh_from_db()
    assert stale.status == Status.SENT


# --- admin -------------------------------------------------------------------------------------


def test_admin_send_again_requeues_failed_rows(
    ticket,
    user,
    attendant,
    responsible_template,
    register,
    admin_user,
    client,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    _occ, [row] = register(ticket, author=user, execute=False)
    OutboundEmail.objects.filter(pk=row.pk).update(status=Status.FAILED, attempts=10, last_error="boom")
    client.force_login(admin_user)

    r = client.get("/admin/outbox/outboundemail/?status__exact=failed")
    assert r.status_code == 200
    assert attendant.email.encode() in r.content
    assert client.get(f"/admin/outbox/outboundemail/{row.pk}/change/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/admin/outbox/outboundemail/",
            {"action": "send_again", "_selected_action": [row.pk]},
            follow=True,
        )
    assert r.status_code == 200
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert len(mailoutbox) == 1


def test_admin_template_pages_render(admin_user, client, responsible_template):
    factories.EmailTemplateTranslationFactory(template=responsible_template)
    client.force_login(admin_user)
    r = client.get(f"/admin/outbox/emailtemplate/{responsible_template.pk}/change/")
    assert r.status_code == 200
    assert b"${LINKSOLICITACAOSERVICO}" in r.content
    assert b"translations-0-language" in r.content
    assert client.get("/admin/outbox/emailtemplate/").status_code == 200


def test_outbox_dispatch_command_sends_stale_rows(
    ticket, user, attendant, responsible_template, register, mailoutbox
):
    from django.core.management import call_command

    _occ, [row] = register(ticket, author=user, execute=False)
    age([row])
    call_command("outbox_dispatch")
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert len(mailoutbox) == 1


def test_a_deactivated_template_stops_the_emails_at_once(
    ticket, user, attendant, responsible_template, category
):
    """Queueing reads the template's state each time: a deactivation applies to the next e-mail."""
    occ = Occurrence.objects.create(ticket=ticket, category=category, text="First", author=user)
    assert len(email_queue_for_occurrence(occurrence=occ, notify_responsible=True)) == 1
    responsible_template.active = False
    responsible_template.save()
    occ2 = Occurrence.objects.create(ticket=ticket, category=category, text="Second", author=user)
    assert email_queue_for_occurrence(occurrence=occ2, notify_responsible=True) == []
