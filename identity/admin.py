from django.contrib import admin

from .models import LoginEvent


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """Who logged in (or tried), when, how and from where: read-only, for the administrators."""

    list_display = ("at", "username", "user", "method", "success", "ip")
    list_filter = ("success", "method", "at")
    search_fields = ("username", "ip")
    list_select_related = ("user",)
    date_hierarchy = "at"
    readonly_fields = ("at", "user", "username", "method", "ip", "user_agent", "success")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
