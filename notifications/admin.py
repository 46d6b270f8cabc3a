"""Notifications in the admin: the notifications (saved through ``services.notification_upsert``) and
their readers, with the readers' CSV export."""

import itertools
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin
from core.csv_export import CsvExport
from core.forms import DATETIME_LOCAL_OVERRIDES

from . import services
from .models import Notification, NotificationReceipt


class PeriodFilter(admin.SimpleListFilter):
    title = gettext_lazy("publication")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            ("running", gettext_lazy("Running now")),
            ("scheduled", gettext_lazy("Starts later")),
            ("ended", gettext_lazy("Ended")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "running":
            return queryset.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        if self.value() == "scheduled":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "ended":
            return queryset.filter(ends_at__lte=now)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Administrators' notifications (the portal's bell). Saved through
    ``services.notification_upsert``, which also schedules the e-mails of Notify by e-mail.

    Targets: the groups in a plain labelled list, the users by id with the admin's lookup (a list of
    every user would be too long; the autocomplete widget's control has no label)."""

    formfield_overrides = DATETIME_LOCAL_OVERRIDES  # one labelled date-time control each (axe)

    list_display = (
        "title",
        "active",
        "starts_at",
        "ends_at",
        "requires_confirmation",
        "notify_by_email",
        "viewed_count",
        "confirmed_count",
    )
    list_filter = ("active", PeriodFilter, "requires_confirmation", "notify_by_email")
    search_fields = ("title", "short_description")
    date_hierarchy = "starts_at"
    raw_id_fields = ("target_users",)
    readonly_fields = ("readers", "emails_pending", "created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "short_description", "description")}),
        (
            gettext_lazy("Publication"),
            {"fields": ("active", "starts_at", "ends_at", "requires_confirmation", "readers")},
        ),
        (
            gettext_lazy("Targets"),
            {
                "fields": ("target_users", "target_groups"),
                "description": gettext_lazy(
                    "Without target users or groups the notification is for every user."
                ),
            },
        ),
        (gettext_lazy("E-mail"), {"fields": ("notify_by_email", "email_template", "emails_pending")}),
        (gettext_lazy("History"), {"fields": ("created_by", "created_at", "updated_by", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_viewed=Count("receipts", filter=Q(receipts__viewed_at__isnull=False)),
                n_confirmed=Count("receipts", filter=Q(receipts__confirmed_at__isnull=False)),
            )
        )

    def get_changeform_initial_data(self, request):
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        initial.setdefault("email_template", services.notification_default_email_template().pk)
        return initial

    @admin.display(description=gettext_lazy("viewed"), ordering="n_viewed")
    def viewed_count(self, obj):
        return obj.n_viewed

    @admin.display(description=gettext_lazy("confirmed"), ordering="n_confirmed")
    def confirmed_count(self, obj):
        return obj.n_confirmed

    @admin.display(description=gettext_lazy("readers"))
    def readers(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        readers_url = reverse("admin:notifications_notificationreceipt_changelist")
        query = f"?notification__id__exact={obj.pk}"
        return format_html(
            '{} · <a href="{}">{}</a> · <a href="{}">{}</a>',
            _("%(viewed)d viewed, %(confirmed)d confirmed")
            % {"viewed": getattr(obj, "n_viewed", 0), "confirmed": getattr(obj, "n_confirmed", 0)},
            readers_url + query,
            _("See the readers"),
            reverse("admin:notifications_notificationreceipt_export") + query,
            _("Export CSV"),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.notification_upsert(
            notification=obj,
            actor=request.user,
            title=data["title"],
            short_description=data["short_description"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            requires_confirmation=data.get("requires_confirmation", False),
            notify_by_email=data.get("notify_by_email", False),
            email_template=data.get("email_template"),
            active=data.get("active", False),
            target_users=data.get("target_users", []),
            target_groups=data.get("target_groups", []),
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The targets were saved by the service (save_model), with the e-mails they cause.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ReaderStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("viewed", gettext_lazy("Viewed")),
            ("confirmed", gettext_lazy("Confirmed")),
            ("unconfirmed", gettext_lazy("Viewed, not confirmed")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "viewed":
            return queryset.filter(viewed_at__isnull=False)
        if self.value() == "confirmed":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "unconfirmed":
            return queryset.filter(viewed_at__isnull=False, confirmed_at__isnull=True)
        return queryset


READERS_CSV = CsvExport("notifications.readers")


@admin.register(NotificationReceipt)
class NotificationReceiptAdmin(ReadOnlyAdmin):
    """The readers of notifications: who viewed and who confirmed each, and when. Read-only; the
    current filter and search can be exported as CSV."""

    list_display = ("notification", "user", "user_name", "viewed_at", "confirmed_at")
    list_filter = (ReaderStateFilter, ("viewed_at", admin.DateFieldListFilter), "notification")
    search_fields = ("user__username", "user__first_name", "user__last_name", "notification__title")
    list_select_related = ("notification", "user")
    actions = None
    fields = ("notification", "user", "viewed_at", "confirmed_at", "dialog_closed_at")
    readonly_fields = fields
    change_list_template = "admin/notifications/notificationreceipt/change_list.html"

    @admin.display(description=gettext_lazy("name"), ordering="user__first_name")
    def user_name(self, obj):
        return obj.user.get_full_name()

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_csv)
        return [
            path("export/", export, name="notifications_notificationreceipt_export"),
            *super().get_urls(),
        ]

    def export_csv(self, request):
        """The readers the changelist shows (same filters and search), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = (
            changelist.get_queryset(request)
            .select_related("notification", "user")
            .order_by("notification", "pk")
        )
        header = [_("notification"), _("user"), _("name"), _("e-mail"), _("viewed on"), _("confirmed on")]
        lines = (
            [
                r.notification.title,
                r.user.get_username(),
                r.user.get_full_name(),
                r.user.email,
                r.viewed_at.isoformat() if r.viewed_at else "",
                r.confirmed_at.isoformat() if r.confirmed_at else "",
            ]
            for r in rows.iterator(chunk_size=2000)
        )
        return READERS_CSV.response(itertools.chain([header], lines), filename="notification-readers.csv")
