"""Webhooks in the admin: subscriptions (the secret shown read-only, to give to the receiver) and
the delivery log, read-only, with "Resend" for the failed ones."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyAdmin

from . import services
from .forms import SubscriptionForm
from .models import Delivery, Event, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("name", "url", "event_names", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "url")
    readonly_fields = ("secret", "created_at", "updated_at")
    fields = ("name", "url", "events", "active", "secret", "created_at", "updated_at")

    @admin.display(description=gettext_lazy("events"))
    def event_names(self, obj):
        labels = dict(Event.choices)
        return ", ".join(str(labels.get(e, e)) for e in obj.events or []) or "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.subscriptions_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.subscriptions_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.subscriptions_changed()


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: attempts, last status code and error. Failed deliveries can be resent."""

    list_display = (
        "id",
        "event_type",
        "subscription",
        "status",
        "attempts",
        "status_code",
        "short_error",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event_type", "subscription")
    search_fields = ("event_id", "idempotency_key")
    list_select_related = ("subscription",)
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = (
        "subscription",
        "event_type",
        "event_id",
        "idempotency_key",
        "status",
        "attempts",
        "status_code",
        "last_error",
        "next_attempt_at",
        "created_at",
        "updated_at",
        "delivered_at",
        "body",
    )
    readonly_fields = fields

    def has_resend_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description=gettext_lazy("Resend (failed deliveries)"), permissions=["resend"])
    def resend(self, request, queryset):
        ids = services.deliveries_resend(queryset)
        skipped = queryset.count() - len(ids)
        if ids:
            self.message_user(
                request,
                ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", len(ids))
                % {"n": len(ids)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Only failed deliveries are resent; delivered ones are never sent again."),
                messages.WARNING,
            )
