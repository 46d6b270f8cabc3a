from django.contrib import admin

from .models import Chat


@admin.register(Chat)
class ChatAdmin(admin.ModelAdmin):
    """Read-only: chats are started in the portal and worked in the Chat console."""

    list_display = ("ticket", "started_at", "closed_at", "direct")
    list_filter = ("direct", ("closed_at", admin.EmptyFieldListFilter))
    search_fields = ("ticket__id", "ticket__requester__username", "ticket__title")
    list_select_related = ("ticket",)
    date_hierarchy = "started_at"
    readonly_fields = ("ticket", "direct", "started_at", "closed_at", "closed_by", "away_email_at")

    def has_add_permission(self, request):
        return False
