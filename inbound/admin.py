"""The inbound log in the admin, read-only: what was read, what it caused, and why a message was
rejected (it is in the mailbox's Rejected folder too)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "outcome", "action", "sender", "subject", "ticket", "reason")
    list_filter = ("outcome", "action", ("received_at", admin.DateFieldListFilter))
    search_fields = ("sender", "subject", "message_id")
    list_select_related = ("ticket",)
    date_hierarchy = "received_at"
    fields = (
        "outcome",
        "action",
        "reason",
        "sender",
        "user",
        "subject",
        "ticket",
        "message_id",
        "folder",
        "uidvalidity",
        "uid",
        "received_at",
        "moved_at",
    )
    readonly_fields = fields
