"""factory_boy factories, one per model. Tickets are opened through the real service."""

from datetime import time, timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from catalog.models import (
    Activity,
    AttendanceTime,
    Calendar,
    Contract,
    Portfolio,
    Service,
    ServiceEvaluation,
    TimeOfAttendance,
    WorkingPeriod,
)
from outbox.models import EmailTemplate, EmailTemplateTranslation
from tickets.models import Category, Origin


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Group {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)
        if create:
            self.save()


class CalendarFactory(factory.django.DjangoModelFactory):
    """Monday to Friday, 08:00-12:00 and 13:00-18:00 (9 business hours a day)."""

    class Meta:
        model = Calendar
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Business hours {n}")

    @factory.post_generation
    def periods(self, create, extracted, **kwargs):
        if not create:
            return
        spec = (
            extracted
            if extracted is not None
            else [(d, time(8), time(12)) for d in range(5)] + [(d, time(13), time(18)) for d in range(5)]
        )
        WorkingPeriod.objects.bulk_create(
            [WorkingPeriod(calendar=self, weekday=d, start=s, end=e) for d, s, e in spec]
        )


class TimeOfAttendanceFactory(factory.django.DjangoModelFactory):
    """Resolution: P1 4h, P2 8h, P3 16h, P4 24h, P5 40h (business time)."""

    class Meta:
        model = TimeOfAttendance
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Standard SLA {n}")

    @factory.post_generation
    def times(self, create, extracted, **kwargs):
        if not create:
            return
        hours = extracted or {1: 4, 2: 8, 3: 16, 4: 24, 5: 40}
        AttendanceTime.objects.bulk_create(
            [
                AttendanceTime(
                    time_of_attendance=self,
                    priority=p,
                    capture_minutes=max(h * 15, 15),
                    resolution_minutes=h * 60,
                )
                for p, h in hours.items()
            ]
        )


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"CT-{n:04d}")
    name = factory.Sequence(lambda n: f"Contract {n}")
    calendar = factory.SubFactory(CalendarFactory)
    time_of_attendance = factory.SubFactory(TimeOfAttendanceFactory)


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    name = factory.Sequence(lambda n: f"Portfolio {n}")
    description = "Services of the portfolio"
    type = Portfolio.Type.BUSINESS


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    portfolio = factory.SubFactory(PortfolioFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A service"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Activity {n}")
    description = "An activity"
    type = Activity.Type.REQUEST
    executor_group = factory.SubFactory(GroupFactory, name="Service desk")
    default_priority = 3


class ServiceEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceEvaluation

    service = factory.SubFactory(ServiceFactory)
    user = factory.SubFactory(UserFactory)
    stars = 4
    review = "Quick and friendly."


class SmartboxItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "portal.SmartboxItem"

    user = factory.SubFactory(UserFactory)
    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"Smartbox request {n}")
    description = "Please help."


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


class OriginFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Origin
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Origin {n}")


class EmailTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    subject = "Ticket ${IDSERVICEREQUEST}: new occurrence"
    body = (
        "Hello ${REQUESTRESPONSIBLENAME}, ticket ${IDSERVICEREQUEST} has a new occurrence. "
        "${LINKSOLICITACAOSERVICO}"
    )


def open_ticket(
    *,
    requester,
    activity=None,
    contract=None,
    title="Printer is broken",
    description="The printer on floor 2 does not print.",
    priority=None,
    now=None,
):
    """A ticket opened through the real service (situation, SLA and audit occurrence included)."""
    from tickets.services.opening import ticket_open

    activity = activity or ActivityFactory()
    contract = contract or ContractFactory()
    return ticket_open(
        requester=requester,
        activity=activity,
        contract=contract,
        title=title,
        description=description,
        priority=priority,
        now=now,
    )


class EmailTemplateTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailTemplateTranslation

    template = factory.SubFactory(EmailTemplateFactory)
    language = "pt-br"
    subject = "Chamado ${IDSERVICEREQUEST}: nova ocorrência"
    body = (
        "Olá ${REQUESTRESPONSIBLENAME}, o chamado ${IDSERVICEREQUEST} tem uma nova ocorrência. "
        "${LINKSOLICITACAOSERVICO}"
    )


def build_catalog(*, portfolios: int, services: int, activities: int, executor_group=None, groups=()):
    """A catalog of the given size (for query-count tests): every item available in the portal."""
    executor_group = executor_group or GroupFactory(name="Service desk")
    made = []
    for p in range(portfolios):
        portfolio = PortfolioFactory(type=Portfolio.Type.BUSINESS if p % 2 else Portfolio.Type.TECHNICAL)
        if groups:
            portfolio.groups.add(*groups)
        for _s in range(services):
            service = ServiceFactory(portfolio=portfolio, description="A findable service")
            if groups:
                service.groups.add(*groups)
            for a in range(activities):
                activity = ActivityFactory(
                    service=service,
                    executor_group=executor_group,
                    type=Activity.Type.INCIDENT if a % 2 else Activity.Type.REQUEST,
                    description="A findable activity",
                )
                if groups:
                    activity.groups.add(*groups)
                ServiceEvaluationFactory(service=service)
                made.append(activity)
    return made


class KnowledgeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.KnowledgeCategory"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Knowledge category {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (published an hour ago) without related services: visible to everyone.

    ``services=[...]`` relates it to services."""

    class Meta:
        model = "knowledge.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "A short answer."
    body = "First paragraph.\n\nSecond paragraph."
    category = factory.SubFactory(KnowledgeCategoryFactory)
    published = True
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.add(*extracted)


def make_notification(**kwargs):
    """A notification saved through the real service (running since an hour ago, for everyone,
    no e-mail unless ``notify_by_email=True``). Any field of ``notification_upsert`` can be given."""
    from notifications.services import notification_upsert

    defaults = {
        "title": "Scheduled maintenance",
        "short_description": "The e-mail service stops on Saturday night.",
        "description": "The **e-mail** service is unavailable from 22:00 to 23:00.",
        "starts_at": timezone.now() - timedelta(hours=1),
    }
    defaults.update(kwargs)
    return notification_upsert(**defaults)


class NewsCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.NewsCategory"
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"News category {n}")


class NewsFactory(factory.django.DjangoModelFactory):
    """An active news item published an hour ago in an active category."""

    class Meta:
        model = "news.News"

    title = factory.Sequence(lambda n: f"News {n}")
    category = factory.SubFactory(NewsCategoryFactory)
    description = "First paragraph.\n\nSecond paragraph."
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


# --- units and shared requests (issue 27) ---------------------------------------------------------


def sharing_roles(requester, tickets=()) -> dict:
    """The roles of shared requests around ``requester``: units Finance > Payroll team, the requester
    and a ``colleague`` in Payroll team, a ``unit_manager`` of Finance, and a ``person_in_copy`` (in no
    unit) of each of ``tickets``. Request sharing itself (parameter 2701) is the caller's choice."""
    from accounts.models import Unit
    from tickets.models import TicketCopy

    finance = Unit.objects.create(name="Finance")
    payroll = Unit.objects.create(name="Payroll team", parent=finance)
    requester.unit = payroll
    requester.save(update_fields=["unit"])
    roles = {
        "colleague": UserFactory(username="colleague", first_name="Carlos", last_name="Lima", unit=payroll),
        "unit_manager": UserFactory(
            username="manager", first_name="Marta", last_name="Reis", unit=finance, is_unit_manager=True
        ),
        "person_in_copy": UserFactory(username="copied", first_name="Paula", last_name="Costa"),
    }
    for ticket in tickets:
        TicketCopy.objects.create(ticket=ticket, user=roles["person_in_copy"], added_by=requester)
    return roles
