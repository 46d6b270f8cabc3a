"""Approvals in the back office: justifications (edited), approvals and decisions (read only: a
decision is written once, by the portal or its e-mail link), absences (seen and ended)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from core.admin import ReadOnlyAdmin
from core.forms import DATETIME_LOCAL_OVERRIDES

from .models import Absence, Approval, Decision, Justification
from .services import absence_end


@admin.register(Justification)
class JustificationAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "order")
    list_editable = ("active", "order")
    list_filter = ("active",)
    search_fields = ("name",)


class DecisionInline(admin.StackedInline):
    model = Decision
    fk_name = "approval"
    extra = 0
    can_delete = False
    readonly_fields = (
        "result",
        "decided_by",
        "on_behalf_of",
        "observations",
        "justification",
        "justification_complement",
        "via",
        "decided_at",
    )
    exclude = ("ticket",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "group", "status", "created_at", "closed_at")
    list_filter = ("status", "group")
    list_select_related = ("ticket", "group")
    search_fields = ("=ticket__id", "ticket__title")
    date_hierarchy = "created_at"
    inlines = [DecisionInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "result", "decided_by", "on_behalf_of", "justification", "via", "decided_at")
    list_filter = ("result", "via", "justification")
    list_select_related = ("ticket", "decided_by", "on_behalf_of", "justification")
    search_fields = ("=ticket__id", "decided_by__username", "on_behalf_of__username")
    date_hierarchy = "decided_at"


class AbsenceState(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("Under way")), ("coming", _("Coming")), ("over", _("Over or ended"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(pk__in=Absence.objects.active(now).values("pk"))
        if self.value() == "coming":
            return queryset.filter(starts_at__gt=now, ended_at__isnull=True)
        if self.value() == "over":
            return queryset.exclude(pk__in=Absence.objects.active(now).values("pk")).exclude(
                starts_at__gt=now, ended_at__isnull=True
            )
        return queryset


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ("user", "substitute", "starts_at", "ends_at", "ended_at")
    list_filter = (AbsenceState,)
    list_select_related = ("user", "substitute")
    search_fields = ("user__username", "user__first_name", "substitute__username", "substitute__first_name")
    # Labelled controls (axe): the users by id with the admin's lookup, native date-time inputs.
    raw_id_fields = ("user", "substitute")
    formfield_overrides = DATETIME_LOCAL_OVERRIDES
    readonly_fields = ("ended_at", "created_at")
    actions = ["end_now"]

    @admin.action(description=_("End the selected absences now"))
    def end_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        ended = 0
        for absence in queryset:
            before = absence.ended_at
            absence_end(absence=absence, actor=cast(User, request.user))  # the admin admits staff only
            ended += absence.ended_at != before
        self.message_user(
            request,
            ngettext("%(n)d absence ended.", "%(n)d absences ended.", ended) % {"n": ended},
            messages.SUCCESS,
        )
