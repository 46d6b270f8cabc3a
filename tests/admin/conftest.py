"""Fixtures for the back-office tests."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from outbox.models import EmailTemplateTranslation, OutboundEmail
from parameters.registry import SMARTBOX
from parameters.services import parameter_set
from tests import factories


@pytest.fixture
def admin_client_as(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def other_desk(db):
    """Another executor group, with its own activity, attendant and ticket."""
    return factories.GroupFactory(name="Network team")


@pytest.fixture
def other_attendant(db, other_desk):
    return factories.UserFactory(username="netops", is_staff=True, groups=[other_desk])


@pytest.fixture
def other_ticket(other_user, other_desk, contract):
    activity = factories.ActivityFactory(executor_group=other_desk)
    return factories.open_ticket(
        requester=other_user, activity=activity, contract=contract, title="Switch is down"
    )


@pytest.fixture
def approver_group(db):
    return factories.GroupFactory(name="Approvers")


@pytest.fixture
def approver(db, approver_group):
    return factories.UserFactory(username="boss", is_staff=True, groups=[approver_group])


@pytest.fixture
def ticket_to_approve(user, service_desk, approver_group, contract):
    activity = factories.ActivityFactory(executor_group=service_desk, approver_group=approver_group)
    return factories.open_ticket(requester=user, activity=activity, contract=contract, title="New laptop")


@pytest.fixture
def expired_ticket(user, activity, contract):
    """Opened 30 days ago: its time limit has passed."""
    return factories.open_ticket(
        requester=user,
        activity=activity,
        contract=contract,
        title="Old and late",
        now=timezone.now() - timedelta(days=30),
    )


@pytest.fixture
def admin_dataset(db, admin_user, attendant, ticket, contract):
    """At least one record of every model the admin registers, so every change page can be opened."""
    calendar = contract.calendar
    calendar.holidays.create(date=date(2030, 12, 25), name="Christmas")
    factories.OriginFactory(name="Phone")
    factories.CategoryFactory(name="Memo")
    template = factories.EmailTemplateFactory()
    EmailTemplateTranslation.objects.create(
        template=template, language="pt-br", subject="Assunto", body="Corpo"
    )
    OutboundEmail.objects.create(idempotency_key="test-1", recipient="maria@example.com", template=template)
    from push.models import PushMessage, PushSubscription

    device = PushSubscription.objects.create(
        user=ticket.requester, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="k", auth="a"
    )
    PushMessage.objects.create(
        idempotency_key="t:1", event="t", subscription=device, title="Request 1", url="/"
    )
    parameter_set(p=SMARTBOX, value=True, actor=admin_user)
    # The row actions' records (tickets app).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.models import Message, Opinion, SurveyAnswer
    from tickets.services.attachments import attachment_add

    attachment_add(
        ticket=ticket, file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 test"), actor=ticket.requester
    )
    Opinion.objects.create(ticket=ticket, author=ticket.requester, kind=Opinion.Kind.COMPLIMENT, text="Great")
    SurveyAnswer.objects.create(
        ticket=ticket, author=ticket.requester, evaluation=SurveyAnswer.Evaluation.GOOD, comment="Fast"
    )
    Message.objects.create(ticket=ticket, author=ticket.requester, text="Any news?")
    # Units (accounts app, issue 27).
    from accounts.models import Unit

    Unit.objects.create(name="Finance")
    # The portal's records (catalog app).
    factories.ServiceEvaluationFactory(service=ticket.service, user=ticket.requester)
    # The knowledge base (knowledge app).
    article = factories.ArticleFactory(
        title="How to reset your password",
        services=[ticket.service],
        category=factories.KnowledgeCategoryFactory(name="Accounts"),
        author=admin_user,
    )
    from knowledge import services as knowledge

    knowledge.article_version_save(article=article, user=admin_user)
    knowledge.rating_save(article=article, user=ticket.requester, helpful=True, comment="Clear")
    knowledge.favourite_add(article=article, user=ticket.requester)
    knowledge.comment_add(article=article, user=ticket.requester, text="Works on the phone too.")
    knowledge.deflection_record(article=article, service=ticket.service, user=ticket.requester)
    knowledge.search_log_record(text="Password", results=1, user=ticket.requester)
    # Active Campaigns (campaigns app).
    from tests.campaigns.factories import CampaignFactory, every_kind_questionnaire

    CampaignFactory(questionnaire=every_kind_questionnaire()[0])
    # Approvals (approvals app): a justification, a decided approval, an absence.
    from approvals.models import Absence, Approval, Decision, Justification

    reason = Justification.objects.create(name="No budget")
    approval = Approval.objects.create(
        ticket=ticket, group=attendant.groups.first(), status=Approval.Status.NOT_APPROVED
    )
    Decision.objects.create(
        approval=approval,
        ticket=ticket,
        result=Decision.Result.NOT_APPROVED,
        decided_by=admin_user,
        justification=reason,
        justification_complement="Next year.",
    )
    now = timezone.now()
    Absence.objects.create(
        user=admin_user, substitute=attendant, starts_at=now, ends_at=now + timedelta(days=1)
    )
    # The chat app.
    from chat.models import Chat

    Chat.objects.create(ticket=ticket)
    # Notifications and their readers (notifications app), news (news app).
    from notifications.services import notification_mark_viewed

    notification = factories.make_notification(target_users=[ticket.requester], actor=admin_user)
    notification_mark_viewed(notification=notification, user=ticket.requester)
    factories.NewsFactory(title="New printers", category=factories.NewsCategoryFactory(title="System"))
    # A person of the directory (directory app, LDAP).
    from directory.models import DirectoryAccount

    DirectoryAccount.objects.create(
        user=factories.UserFactory(username="ldap_person"),
        dn="uid=ldap_person,ou=people,dc=example,dc=org",
        unit="Finance",
        synced_at=timezone.now(),
    )
    # The inbound log (inbound app): a rejected message.
    from inbound.models import InboundEmail

    InboundEmail.objects.create(
        message_id="<forged@example.org>", sender="x@example.org", outcome="rejected", reason="Forged."
    )
    # Identity (identity app, django-allauth): an address, an authenticator, a session, a login event.
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.usersessions.models import UserSession

    from identity.models import LoginEvent

    EmailAddress.objects.create(
        user=ticket.requester, email=ticket.requester.email, verified=True, primary=True
    )
    TOTP.activate(ticket.requester, generate_totp_secret())
    UserSession.objects.create(user=ticket.requester, session_key="k" * 32, ip="127.0.0.1", user_agent="Test")
    LoginEvent.objects.create(user=ticket.requester, username="req", method="password", success=True)
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="kc", name="Keycloak", client_id="sp"
    )
    account = SocialAccount.objects.create(user=ticket.requester, provider="kc", uid="sub-1")
    SocialToken.objects.create(app=app, account=account, token="t")
    # A personal access token (api app).
    from api.services import api_token_create

    api_token_create(user=ticket.requester, name="Script", days=30)
    # A webhook subscription and a delivery (webhooks app).
    from webhooks.models import Delivery, Subscription

    hook = Subscription.objects.create(
        name="ERP", url="https://hooks.example.org/", events=["ticket.message"]
    )
    Delivery.objects.create(
        subscription=hook, idempotency_key="test-1", event_type="ticket.message", body="{}"
    )
    return {"ticket": ticket, "template": template}
