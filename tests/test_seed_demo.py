"""``manage.py seed_demo`` (README, "Demo accounts")."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from catalog.models import Activity, Contract, Portfolio
from inbound.autoreply import AUTO_REPLY_TEMPLATE_NAME
from knowledge.email_templates import REVIEW_TEMPLATE_NAME
from news.selectors import news_list_published
from notifications.selectors import notification_counts
from notifications.services import NOTIFICATION_TEMPLATE_NAME
from outbox.models import EmailTemplate
from parameters import registry as r
from parameters.accessors import param, param_object
from parameters.models import ParameterChange
from tickets.models import Category, Origin, Situation, SlaStatus, SystemCategory, Ticket
from tickets.policies import reopen_deadline

CLASSIC_CATEGORIES = {
    "Request registration",
    "Customer follow-up",
    "Status update",
    "Diagnosis",
    "Investigation",
    "Memo",
    "Information request",
    "Customer feedback",
    "Workaround",
    "Execution record",
    "SLA change",
    "Reclassification",
    "Scheduling",
    "Suspension",
    "Reactivation",
    "Closing",
    "Reopening",
    "Escalation",
    "Approval",
}


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def seeded(db, debug):
    seed()


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not User.objects.exists()
    assert not Ticket.objects.exists()


def test_force_seeds_even_when_debug_is_off(db, settings):
    settings.DEBUG = False
    seed("--force")
    assert Ticket.objects.exists()


def test_running_twice_creates_no_duplicates_and_changes_nothing(seeded):
    before = counts()
    tickets = list(Ticket.objects.order_by("pk").values())
    params = dict(ParameterChange.objects.values_list("number", "new_value"))
    seed()
    assert counts() == before
    assert list(Ticket.objects.order_by("pk").values()) == tickets
    assert dict(ParameterChange.objects.values_list("number", "new_value")) == params


def test_once_seeds_an_empty_database_then_does_nothing(db, debug):
    seed("--once")
    assert Ticket.objects.exists()
    before = counts()
    out = seed("--once")
    assert "already" in out
    assert counts() == before


def test_accounts(seeded):
    users = {u.username: u for u in User.objects.all()}
    assert {"admin", "attendant", "maria", "joao"} <= set(users)
    for name in ("admin", "attendant", "maria", "joao"):
        assert users[name].check_password(name)
        assert users[name].email
    assert users["admin"].is_superuser and users["admin"].is_staff  # noqa: PT018
    attendant = users["attendant"]
    assert attendant.is_staff and not attendant.is_superuser  # noqa: PT018
    assert attendant.email == "attendant@example.com"
    assert list(attendant.groups.values_list("name", flat=True)) == ["Service desk"]
    assert not users["maria"].is_staff
    assert users["maria"].preferred_language == ""
    assert list(users["joao"].groups.values_list("name", flat=True)) == ["Approvers"]


def test_catalog(seeded):
    for ptype in Portfolio.Type.values:
        portfolios = Portfolio.objects.filter(type=ptype)
        assert portfolios.count() >= 2
        for p in portfolios:
            assert p.icon and p.description  # noqa: PT018
            assert p.services.exists()
    assert set(Activity.objects.values_list("type", flat=True)) == set(Activity.Type.values)
    assert set(Activity.objects.values_list("executor_group__name", flat=True)) == {"Service desk"}
    assert Activity.objects.filter(approver_group__name="Approvers").exists()


def test_contract_calendar_and_times_of_attendance(seeded):
    contract = param_object(r.DEFAULT_CONTRACT)
    assert contract is not None
    assert contract == Contract.objects.get()
    assert contract.calendar.periods.count() == 10
    assert contract.calendar.holidays.count() >= 2
    assert sorted(contract.time_of_attendance.times.values_list("priority", flat=True)) == [1, 2, 3, 4, 5]


def test_occurrence_categories_and_origins(seeded):
    labels = {c.label for c in Category.objects.all()}
    assert labels >= CLASSIC_CATEGORIES
    codes = set(Category.objects.exclude(code=None).values_list("code", flat=True))
    assert codes == set(SystemCategory.values)
    assert set(Origin.objects.values_list("name", flat=True)) >= {
        "E-mail",
        "Phone/Fax",
        "Voice mail",
        "In person",
        "Other",
        "Portal",
    }


def test_parameters_make_every_portal_feature_visible(seeded):
    assert param(r.REGISTER_OCCURRENCE_PER_PORTAL) is True
    for p in (r.SHOW_OCCURRENCES, r.MESSAGES, r.SHOW_TITLE, r.PORTAL_CANCEL, r.SMARTBOX, r.SHOW_SOLUTION):
        assert param(p) is True, p.number
    assert param(r.PRESELECT_IN_PROGRESS) is False
    assert param(r.REOPEN_DAYS) == 7
    assert param_object(r.DEFAULT_ORIGIN).name == "Portal"
    assert "portal" in param_object(r.OCCURRENCE_EMAIL_TEMPLATE).name.lower()
    assert "requester" in param_object(r.REQUESTER_OCCURRENCE_TEMPLATE).name.lower()
    assert "message" in param_object(r.MESSAGE_EMAIL_TEMPLATE).name.lower()
    assert set(ParameterChange.objects.values_list("via", flat=True)) == {ParameterChange.Via.SYSTEM}


def test_email_templates_have_placeholders_and_translations(seeded):
    # The tickets' templates (the notifications' default template, the inbound auto-reply's and the
    # knowledge review's, created by migrations, have their own placeholders).
    templates = EmailTemplate.objects.exclude(
        name__in=[NOTIFICATION_TEMPLATE_NAME, AUTO_REPLY_TEMPLATE_NAME, REVIEW_TEMPLATE_NAME]
    )
    templates = templates.prefetch_related("translations")
    assert templates.count() >= 3
    for t in templates:
        assert "${IDSERVICEREQUEST}" in t.subject + t.body
        assert "${LINKSOLICITACAOSERVICO}" in t.body
        assert {tr.language for tr in t.translations.all()} == {"pt-br", "es"}
        assert t.texts_for("pt-br") != t.texts_for("en")
        assert t.texts_for("es") != t.texts_for("pt-br")


def test_maria_has_tickets_in_every_situation(seeded):
    maria = User.objects.get(username="maria")
    tickets = Ticket.objects.filter(requester=maria).with_sla_status()
    assert 20 <= tickets.count() <= 30
    assert set(tickets.values_list("situation", flat=True)) == set(Situation.values)
    # Some late, some on time, one about to expire, some suspended.
    assert set(tickets.values_list("sla_status", flat=True)) == set(SlaStatus.values)
    # In progress: waiting for capture and captured by the attendant.
    in_progress = tickets.filter(situation=Situation.IN_PROGRESS)
    assert in_progress.filter(responsible=None).exists()
    assert in_progress.filter(responsible__username="attendant").exists()
    assert tickets.filter(situation=Situation.REGISTERED, current_group__name="Approvers").exists()


def test_closed_tickets_recent_and_long_ago(seeded):
    now = timezone.now()
    closed = list(Ticket.objects.filter(requester__username="maria", situation=Situation.CLOSED))
    assert any(reopen_deadline(t) >= now for t in closed)  # reopenable
    assert any(reopen_deadline(t) < now for t in closed)  # too old to reopen


def test_tickets_went_through_the_transitions(seeded):
    for t in Ticket.objects.prefetch_related("occurrences__category"):
        audit = sorted((o for o in t.occurrences.all() if o.is_system), key=lambda o: (o.created_at, o.pk))
        assert audit[0].category.code == SystemCategory.REQUEST_REGISTRATION
        assert audit[0].created_at == t.created_at
        assert all(o.created_at <= timezone.now() for o in t.occurrences.all())
        codes = {o.category.code for o in audit}
        if t.captured_at:
            assert SystemCategory.CAPTURE in codes
        if t.situation == Situation.SUSPENDED:
            assert SystemCategory.SUSPENSION in codes
        if t.situation == Situation.REOPENED:
            assert SystemCategory.REOPENING in codes
        if t.situation == Situation.CANCELED:
            assert SystemCategory.CANCELLATION in codes
    # A few occurrences written by people, visible to the requester.
    by_people = Ticket.objects.filter(occurrences__is_system=False, occurrences__public=True).distinct()
    assert by_people.count() >= 3


def test_joao_has_tickets(seeded):
    assert Ticket.objects.filter(requester__username="joao").count() >= 2


def test_demo_portal_pages_render(seeded, client):
    client.force_login(User.objects.get(username="maria"))
    assert client.get("/").status_code == 200


def test_news_in_two_categories_and_notifications_for_everyone_and_the_approvers(seeded):
    news = list(news_list_published())
    assert len(news) >= 3
    assert len({n.category_id for n in news}) == 2
    assert all(n.title_pt_br and n.title_es for n in news)
    # maria: the one for everyone requires confirmation; joao (approver group) also has the approvers' one.
    assert notification_counts(user=User.objects.get(username="maria")).pending == 1
    assert notification_counts(user=User.objects.get(username="joao")).pending == 2
    seed()  # idempotent
    assert notification_counts(user=User.objects.get(username="joao")).pending == 2


def test_maria_manages_joaos_unit_and_he_is_in_copy_of_one_of_her_requests(seeded):
    """Issue 27: maria and joao in one unit, maria its manager (request sharing: unit managers), joao in
    copy of her PDF editor request, which he reads, and maria sees joao's requests as shared."""
    from tickets import access

    maria, joao = User.objects.get(username="maria"), User.objects.get(username="joao")
    assert maria.unit_id is not None
    assert maria.unit_id == joao.unit_id
    assert maria.is_unit_manager
    assert not joao.is_unit_manager
    copied = Ticket.objects.get(requester=maria, copies__user=joao)
    assert access.ticket_get_for_reader(joao, copied.pk) == copied
    assert set(access.tickets_shared_with(maria)) == set(Ticket.objects.filter(requester=joao))
