from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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

    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE,
                                 related_name="periods")
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
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Holiday(models.Model):
    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE,
                                 related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="holiday_unique_per_calendar")]

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
    time_of_attendance = models.ForeignKey(TimeOfAttendance, verbose_name=_("time of attendance"),
                                           on_delete=models.CASCADE, related_name="times")
    priority = models.PositiveSmallIntegerField(_("priority"), validators=PRIORITY_VALIDATORS)
    capture_minutes = models.PositiveIntegerField(_("capture time (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution time (minutes)"))

    class Meta:
        verbose_name = _("time per priority")
        verbose_name_plural = _("times per priority")
        ordering = ["time_of_attendance", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["time_of_attendance", "priority"], name="attendancetime_unique_priority"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name="attendancetime_priority_1_5"),
            models.CheckConstraint(condition=Q(resolution_minutes__gt=0), name="attendancetime_resolution_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.time_of_attendance} P{self.priority}"


class Contract(models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    customer = models.CharField(_("customer"), max_length=200, blank=True)
    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT,
                                 related_name="contracts")
    time_of_attendance = models.ForeignKey(TimeOfAttendance, verbose_name=_("time of attendance"),
                                           on_delete=models.PROTECT, related_name="contracts")
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

    def visible_to_groups(self, user):
        """Items without groups are for everyone; items with groups only for their members."""
        return self.filter(Q(groups__isnull=True) | Q(groups__in=user.groups.all())).distinct()


class Portfolio(models.Model):
    class Type(models.TextChoices):
        BUSINESS = "business", _("Business")
        TECHNICAL = "technical", _("Technical")

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.BUSINESS)
    icon = models.CharField(_("icon"), max_length=60, blank=True, help_text=_("A short symbol or emoji."))
    available_in_portal = models.BooleanField(_("available in portal"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")

    objects = PortalVisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["type", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    portfolio = models.ForeignKey(Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT,
                                  related_name="services")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    available_in_portal = models.BooleanField(_("available in portal"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")

    objects = PortalVisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Type(models.TextChoices):
        REQUEST = "request", _("Request")
        INCIDENT = "incident", _("Incident")

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="activities")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.REQUEST)
    executor_group = models.ForeignKey(Group, verbose_name=_("executor group"), on_delete=models.PROTECT,
                                       related_name="executed_activities")
    approver_group = models.ForeignKey(Group, verbose_name=_("approver group"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="approved_activities")
    default_priority = models.PositiveSmallIntegerField(_("default priority"), default=3,
                                                        validators=PRIORITY_VALIDATORS)
    asks_impact_urgency = models.BooleanField(_("asks impact and urgency"), default=False)
    time_of_attendance = models.ForeignKey(
        TimeOfAttendance, verbose_name=_("time of attendance"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="activities", help_text=_("Leave empty to use the contract's."),
    )
    available_in_portal = models.BooleanField(_("available in portal"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), blank=True, related_name="+")

    objects = PortalVisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(default_priority__gte=1, default_priority__lte=5),
                                   name="activity_priority_1_5"),
        ]

    def __str__(self) -> str:
        return self.name


