"""Push in the admin: the devices (removable) and the push outbox, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdmin

from .models import PushMessage, PushSubscription


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "user_agent", "created_at", "last_success_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "user_agent")
    readonly_fields = ("user", "endpoint", "p256dh", "auth", "user_agent", "created_at", "last_success_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None):
        return False  # only a browser can create a subscription


@admin.register(PushMessage)
class PushMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "status",
        "event",
        "subscription",
        "attempts",
        "short_error",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("idempotency_key", "event")
    list_select_related = ("subscription",)
    date_hierarchy = "created_at"
    fields = (
        "status",
        "event",
        "idempotency_key",
        "subscription",
        "title",
        "body",
        "url",
        "attempts",
        "last_error",
        "created_at",
        "updated_at",
        "sent_at",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error
