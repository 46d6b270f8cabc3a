from django.contrib import admin

from .models import DirectoryAccount


@admin.register(DirectoryAccount)
class DirectoryAccountAdmin(admin.ModelAdmin):
    """Who logs in through the directory, with their entry and unit as of their last login: read
    only, the directory is where they change (directory/services.py)."""

    list_display = ("user", "unit", "dn", "synced_at")
    list_filter = ("unit",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit")
    list_select_related = ("user",)
    fields = ("user", "dn", "unit", "synced_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
