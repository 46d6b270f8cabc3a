"""The inbound log in the admin, read-only: what was read, what it caused, and why a message was
rejected (it is in the mailbox's Rejected folder too)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = (
        "received_at",
        "outcome",
        "action",
        "sender",
        "subject",
        "ticket",
        "reason",
        "auto_replied",
    )
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
        "auto_reply",
    )
    readonly_fields = fields

    @admin.display(boolean=True, description=_("auto-replied"))
    def auto_replied(self, obj: InboundEmail) -> bool:
        return obj.auto_reply_id is not None
