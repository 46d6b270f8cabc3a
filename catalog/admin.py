from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import (
    Activity,
    AttendanceTime,
    Calendar,
    Contract,
    Holiday,
    Portfolio,
    Service,
    ServiceEvaluation,
    TimeOfAttendance,
    WorkingPeriod,
)


class WorkingPeriodFormSet(BaseInlineFormSet):
    """A calendar needs working time: an SLA deadline is counted in it (catalog/sla.py)."""

    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("A calendar needs at least one working period."))


class WorkingPeriodInline(admin.TabularInline):
    model = WorkingPeriod
    formset = WorkingPeriodFormSet
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "period_count", "holiday_count")
    search_fields = ("name",)
    inlines = [WorkingPeriodInline, HolidayInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .annotate(n_periods=Count("periods", distinct=True), n_holidays=Count("holidays", distinct=True))
        )

    @admin.display(description=_("working periods"), ordering="n_periods")
    def period_count(self, obj):
        return obj.n_periods

    @admin.display(description=_("holidays"), ordering="n_holidays")
    def holiday_count(self, obj):
        return obj.n_holidays


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(admin.ModelAdmin):
    list_display = ("calendar", "weekday", "start", "end")
    list_filter = ("calendar", "weekday")
    search_fields = ("calendar__name",)
    list_select_related = ("calendar",)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "calendar")
    list_filter = ("calendar",)
    search_fields = ("name", "calendar__name")
    list_select_related = ("calendar",)
    date_hierarchy = "date"


class AttendanceTimeInline(admin.TabularInline):
    model = AttendanceTime
    extra = 0
    max_num = 5


@admin.register(TimeOfAttendance)
class TimeOfAttendanceAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    inlines = [AttendanceTimeInline]


@admin.register(AttendanceTime)
class AttendanceTimeAdmin(admin.ModelAdmin):
    list_display = ("time_of_attendance", "priority", "capture_minutes", "resolution_minutes")
    list_filter = ("time_of_attendance", "priority")
    search_fields = ("time_of_attendance__name",)
    list_select_related = ("time_of_attendance",)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "name",
        "customer",
        "calendar",
        "time_of_attendance",
        "start_date",
        "end_date",
        "active",
    )
    list_filter = ("active", "calendar", "time_of_attendance")
    search_fields = ("number", "name", "customer")
    list_select_related = ("calendar", "time_of_attendance")


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ("name", "available_in_portal", "order")
    extra = 0
    show_change_link = True


def _translations_fieldset():
    """Name and description in each portal language; empty ones fall back to the default text."""
    return (
        _("Translations"),
        {
            "fields": (("name_pt_br", "name_es"), "description_pt_br", "description_es"),
            "description": _("Leave empty to show the default name and description in that language."),
        },
    )


TRANSLATED_SEARCH = ("name", "description", "name_pt_br", "name_es")


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "available_in_portal", "order")
    list_filter = ("type", "available_in_portal", "available_via_chat", "groups")
    search_fields = TRANSLATED_SEARCH
    fieldsets = (
        (None, {"fields": ("name", "description", "type", "icon")}),
        _translations_fieldset(),
        (_("Portal"), {"fields": ("available_in_portal", "available_via_chat", "order", "groups", "units")}),
    )
    list_editable = ("available_in_portal", "order")
    filter_horizontal = ("groups", "units")
    inlines = [ServiceInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = (
        "name",
        "type",
        "executor_group",
        "approver_group",
        "default_priority",
        "available_in_portal",
        "order",
    )
    extra = 0
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "portfolio", "available_in_portal", "order")
    list_filter = ("portfolio__type", "portfolio", "available_in_portal", "available_via_chat", "groups")
    search_fields = (*TRANSLATED_SEARCH, "portfolio__name")
    list_select_related = ("portfolio",)
    filter_horizontal = ("groups", "units")
    inlines = [ActivityInline]
    fieldsets = (
        (None, {"fields": ("portfolio", "name", "description")}),
        _translations_fieldset(),
        (_("Portal"), {"fields": ("available_in_portal", "available_via_chat", "order", "groups", "units")}),
    )


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "service",
        "type",
        "executor_group",
        "approver_group",
        "default_priority",
        "time_of_attendance",
        "available_in_portal",
        "questionnaire",
        "order",
    )
    list_filter = (
        "type",
        "available_in_portal",
        "available_via_chat",
        "service__portfolio",
        "executor_group",
        "approver_group",
        "default_priority",
    )
    search_fields = (*TRANSLATED_SEARCH, "service__name", "service__portfolio__name")
    list_select_related = (
        "service",
        "service__portfolio",
        "executor_group",
        "approver_group",
        "time_of_attendance",
        "questionnaire",
    )
    filter_horizontal = ("groups", "units")
    fieldsets = (
        (None, {"fields": ("service", "name", "description", "type")}),
        _translations_fieldset(),
        (
            _("Attendance"),
            {
                "fields": (
                    "executor_group",
                    "approver_group",
                    "default_priority",
                    "asks_impact_urgency",
                    "time_of_attendance",
                )
            },
        ),
        (_("Portal"), {"fields": ("available_in_portal", "available_via_chat", "order", "groups", "units")}),
        # Issue 27: the questions asked in the request form, built under Questionnaires.
        (_("Request form"), {"fields": ("questionnaire",)}),
    )
    autocomplete_fields = ("questionnaire",)


@admin.register(ServiceEvaluation)
class ServiceEvaluationAdmin(admin.ModelAdmin):
    list_display = ("service", "user", "stars", "updated_at")
    list_filter = ("stars", "service__portfolio")
    search_fields = ("service__name", "user__username", "review")
    list_select_related = ("service", "user")
    raw_id_fields = ("service", "user")
