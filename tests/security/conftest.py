"""Fixtures of the security tests: the portal served by ``make run`` (tests/security/helpers.py)."""

from __future__ import annotations

import pytest

from .helpers import PortalServer


@pytest.fixture(scope="module")
def embedded_portal(tmp_path_factory):
    """``make run`` with its embedded defaults (SQLite, no Redis, no DEBUG) on a fresh database file."""
    tmp = tmp_path_factory.mktemp("make-run")
    db = tmp / "db.sqlite3"
    server = PortalServer(tmp, DATABASE_URL=f"sqlite:///{db}")
    server.db_path = db
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def portal_on_postgresql(require_postgres, transactional_db, settings, tmp_path):
    """``make run`` on pytest-django's PostgreSQL database (migrated already; make run seeds it;
    ``transactional_db`` empties it after the test)."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    server = PortalServer(tmp_path, DATABASE_URL=url, CONN_MAX_AGE="0")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def url_world(
    db, settings, tmp_path, set_param, portal_ready, catalog, service_desk, user, other_user, attendant
):
    """One of each thing a URL of the project names, and one user per role of
    tests/security/urlconf.py ``ROLES``: what the URL-wide matrix and the id test request."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from approvals.email_templates import email_templates_ensure
    from approvals.models import Absence
    from chat.services import chat_start
    from tests import factories
    from tests.campaigns.factories import CampaignFactory, QuestionFactory
    from tests.webpush import vapid_settings
    from tickets.services.attachments import attachment_add
    from tickets.services.transitions import ticket_capture, ticket_close, ticket_resolve

    settings.MEDIA_ROOT = tmp_path / "media"
    vapid_settings(settings)  # push on: its pages answer (push/)
    email_templates_ensure()
    for number in (298, 252, 302, 299, 292):  # occurrences, register, cancel, messages, Smartbox
        set_param(number, True)
    origin = factories.OriginFactory(name="Chat")
    for item in (catalog["technical"], catalog["printing"], catalog["toner"]):
        item.available_via_chat = True
        item.save(update_fields=["available_via_chat"])
    set_param(316, True)
    set_param(315, origin.pk)
    set_param(317, catalog["toner"].pk)

    approvers = factories.GroupFactory(name="Approvers")
    far_desk = factories.GroupFactory(name="Network team")
    factories.ActivityFactory(executor_group=far_desk)
    approver = other_user  # joao
    approver.groups.add(approvers)
    users = {
        "requester": user,
        "other_user": factories.UserFactory(username="pedro"),
        "approver": approver,
        "substitute": factories.UserFactory(username="carla"),
        "group_attendant": attendant,
        "far_attendant": factories.UserFactory(username="netops", is_staff=True, groups=[far_desk]),
        "staff": factories.UserFactory(username="clerk", is_staff=True),
        "superuser": factories.UserFactory(username="admin", is_staff=True, is_superuser=True),
    }
    now = timezone.now()
    absence = Absence.objects.create(
        user=approver,
        substitute=users["substitute"],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )

    activity, contract = catalog["payslip"], portal_ready["contract"]
    captured = factories.open_ticket(requester=user, activity=activity, contract=contract, title="Open one")
    ticket_capture(ticket=captured, actor=attendant)
    closed = factories.open_ticket(requester=user, activity=activity, contract=contract, title="Closed one")
    ticket_capture(ticket=closed, actor=attendant)
    ticket_resolve(ticket=closed, actor=attendant, solution="Done")
    ticket_close(ticket=closed, actor=attendant)
    approval_activity = factories.ActivityFactory(
        name="VPN access", service=catalog["payroll"], executor_group=service_desk, approver_group=approvers
    )
    awaiting = factories.open_ticket(
        requester=user, activity=approval_activity, contract=contract, title="VPN"
    )
    chat = chat_start(user=user, activity=catalog["toner"], text="My toner is empty")

    question = QuestionFactory()
    campaign = CampaignFactory(questionnaire=question.group.questionnaire)
    campaign.target_users.set([user])
    campaign.interested_users.set([user])

    set_param(2701, "COLLEAGUES")  # request sharing (issue 27)
    users |= factories.sharing_roles(user, [captured, closed])
    return {
        "users": users,
        "tickets": {"open": captured, "closed": closed, "awaiting": awaiting, "chat": chat.ticket},
        "attachments": {
            "open": attachment_add(
                ticket=captured, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), actor=user
            ),
            "awaiting": attachment_add(
                ticket=awaiting, file=SimpleUploadedFile("q.pdf", b"%PDF-1.4 q"), actor=user
            ),
        },
        "absence": absence,
        "campaign": campaign,
        "question": question,
        "questionnaire": question.group.questionnaire,
        "notification": factories.make_notification(target_users=[user]),
        "news": factories.NewsFactory(),
        "article": factories.ArticleFactory(),
        "portfolio": catalog["business"],
        "service": catalog["payroll"],
        "activity": activity,
        "smartbox_item": factories.SmartboxItemFactory(user=user, activity=activity),
    }
