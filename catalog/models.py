from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.icons import validate_icon_name
from questionnaires.models import Questionnaire

if TYPE_CHECKING:
    from accounts.models import User

PRIORITY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Calendar(models.Model):
    """A business calendar: working periods per weekday, and holidays."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkingPeriod(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="periods"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        ordering = ["calendar", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="workingperiod_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Holiday(models.Model):
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_unique_per_calendar")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class TimeOfAttendance(models.Model):
    """An SLA definition: per priority, a capture time and a resolution time (business minutes)."""

    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("time of attendance")
        verbose_name_plural = _("times of attendance")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AttendanceTime(models.Model):
    time_of_attendance = models.ForeignKey(
        TimeOfAttendance, verbose_name=_("time of attendance"), on_delete=models.CASCADE, related_name="times"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), validators=PRIORITY_VALIDATORS)
    capture_minutes = models.PositiveIntegerField(_("capture time (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution time (minutes)"))

    class Meta:
        verbose_name = _("time per priority")
        verbose_name_plural = _("times per priority")
        ordering = ["time_of_attendance", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["time_of_attendance", "priority"], name="attendancetime_unique_priority"
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="attendancetime_priority_1_5"
            ),
            models.CheckConstraint(
                condition=Q(resolution_minutes__gt=0), name="attendancetime_resolution_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.time_of_attendance} P{self.priority}"


class Contract(models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    customer = models.CharField(_("customer"), max_length=200, blank=True)
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="contracts"
    )
    time_of_attendance = models.ForeignKey(
        TimeOfAttendance,
        verbose_name=_("time of attendance"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"


class PortalVisibleQuerySet(models.QuerySet):
    def available_in_portal(self):
        return self.filter(available_in_portal=True)

    def visible_to_groups(self, user: "User"):
        """Items without groups are for everyone; items with groups only for their members.

        ``Exists`` subqueries rather than a join, so rows are never repeated (no DISTINCT needed).
        """
        return self.filter(groups_visible_q(self.model, user))


def units_visible_q(model, user: "User", prefix: str = "") -> Q:
    """Q for "``model`` (reached through ``prefix``) has no units, or one of them is ``user``'s unit
    or above it". The user's unit path is read in the subquery (``accounts.Unit.path``, the chain of
    ids from the root), so it costs no query of its own."""
    through = model.units.through
    fk = f"{model._meta.model_name}_id"
    outer = OuterRef(f"{prefix}pk" if prefix else "pk")
    has_units = Exists(through.objects.filter(**{fk: outer}))
    unit_id = getattr(user, "unit_id", None)  # an anonymous visitor has none
    if unit_id is None:
        return ~Q(has_units)
    # The restriction's unit is the user's unit or one of its ancestors: its path starts the user's.
    above_user = Exists(Unit.objects.filter(pk=unit_id, path__startswith=OuterRef("unit__path")))
    member = Exists(through.objects.filter(**{fk: outer}).filter(above_user))
    return ~Q(has_units) | Q(member)


def groups_visible_q(model, user: "User", prefix: str = "") -> Q:
    """Q for "``model`` (reached through ``prefix``, e.g. ``"service__"``) has no groups, or one of
    ``user``'s groups". Used by catalog/selectors.py for the whole portfolio → service → activity chain."""
    through = model.groups.through
    fk = f"{model._meta.model_name}_id"
    outer = OuterRef(f"{prefix}pk" if prefix else "pk")
    has_groups = Exists(through.objects.filter(**{fk: outer}))
    member = Exists(through.objects.filter(**{fk: outer, "group__user": user}))
    return ~has_groups | member


# Languages a catalog item can be written in, besides the default text (name / description).
# Current language (translation.get_language()) -> field suffix.
CATALOG_LANGUAGE_SUFFIXES = {"pt-br": "pt_br", "es": "es"}


def catalog_language_suffix(language: str | None = None) -> str | None:
    """Field suffix of the current (or given) language, or None when the default text is used."""
    lang = (language or translation.get_language() or "").lower()
    return CATALOG_LANGUAGE_SUFFIXES.get(lang) or CATALOG_LANGUAGE_SUFFIXES.get(lang.split("-")[0])


class TranslatedCatalogItem(models.Model):
    """Name and description per language; ``display_*`` fall back to the default text."""

    name_pt_br = models.CharField(_("name (Portuguese)"), max_length=150, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=150, blank=True)
    description_pt_br = models.TextField(_("description (Portuguese)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    class Meta:
        abstract = True

    def _translated(self, field: str) -> str:
        suffix = catalog_language_suffix()
        if suffix:
            value = getattr(self, f"{field}_{suffix}", "")
            if value:
                return value
        return getattr(self, field)

    @property
    def display_name(self) -> str:
        return self._translated("name")

    @property
    def display_description(self) -> str:
        return self._translated("description")


class Portfolio(TranslatedCatalogItem):
    class Type(models.TextChoices):
        BUSINESS = "business", _("Business")
        TECHNICAL = "technical", _("Technical")

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.BUSINESS)
    icon = models.CharField(
        _("icon"),
        max_length=60,
        blank=True,
        validators=[validate_icon_name],
        help_text=_("A Bootstrap Icons name, shown beside the name (for example: people, laptop, building)."),
    )
    available_in_portal = models.BooleanField(_("available in portal"), default=True)
    available_via_chat = models.BooleanField(
        _("available via chat"), default=False, help_text=_("Offered on the Chat page (parameter 316).")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Only members of these units (or of units below them) see it; none: everyone."),
    )

    objects = PortalVisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["type", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Service(TranslatedCatalogItem):
    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    available_in_portal = models.BooleanField(_("available in portal"), default=True)
    available_via_chat = models.BooleanField(
        _("available via chat"), default=False, help_text=_("Offered on the Chat page (parameter 316).")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Only members of these units (or of units below them) see it; none: everyone."),
    )

    objects = PortalVisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(TranslatedCatalogItem):
    class Type(models.TextChoices):
        REQUEST = "request", _("Request")
        INCIDENT = "incident", _("Incident")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.REQUEST)
    executor_group = models.ForeignKey(
        Group, verbose_name=_("executor group"), on_delete=models.PROTECT, related_name="executed_activities"
    )
    approver_group = models.ForeignKey(
        Group,
        verbose_name=_("approver group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_activities",
    )
    default_priority = models.PositiveSmallIntegerField(
        _("default priority"), default=3, validators=PRIORITY_VALIDATORS
    )
    asks_impact_urgency = models.BooleanField(_("asks impact and urgency"), default=False)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("Its questions are asked in the request form; the answers are kept with the request."),
    )
    time_of_attendance = models.ForeignKey(
        TimeOfAttendance,
        verbose_name=_("time of attendance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("Leave empty to use the contract's."),
    )
    available_in_portal = models.BooleanField(_("available in portal"), default=True)
    available_via_chat = models.BooleanField(
        _("available via chat"), default=False, help_text=_("Offered on the Chat page (parameter 316).")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Only members of these units (or of units below them) see it; none: everyone."),
    )

    objects = PortalVisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_priority__gte=1, default_priority__lte=5), name="activity_priority_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceEvaluation(models.Model):
    """A user's evaluation of a service (stars and an optional review); one per user and service."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="evaluations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="service_evaluations",
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=PRIORITY_VALIDATORS)
    review = models.TextField(_("review"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("service evaluation")
        verbose_name_plural = _("service evaluations")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["service", "-updated_at", "-id"], name="evaluation_service_recent")]
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="evaluation_one_per_user"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="evaluation_stars_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.stars}/5"
