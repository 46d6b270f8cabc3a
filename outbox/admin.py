"""The outbox in the admin: the administrators' e-mail templates (with their translations) and the
outbound e-mails, read-only, with "Send again" for the failed ones."""

from django.contrib import admin, messages
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyAdmin

from . import services
from .models import EmailTemplate, EmailTemplateTranslation, OutboundEmail

# The placeholders the help text of subject and body lists: those of the ticket and occurrence
# e-mails (tickets/emails.py), the ones most templates use. Only a text for administrators: the
# values come from the context each row stores.
PLACEHOLDERS = (
    "IDSERVICEREQUEST",
    "REQUESTERNAME",
    "REQUESTRESPONSIBLENAME",
    "SITUACAO",
    "DATAHORALIMITESTR",
    "LINKSOLICITACAOSERVICO",
    "OCCURRENCE",
    "CATEGORY",
    "AUTHOR",
    "TITLE",
    "SERVICE",
    "ANSWERS",
)


def _placeholder_help() -> str:
    return _(
        "Placeholders you can use in the subject and the body: %(names)s. "
        "A placeholder that is not in this list is sent as typed."
    ) % {"names": ", ".join(f"${{{n}}}" for n in PLACEHOLDERS)}


PLACEHOLDER_HELP = lazy(_placeholder_help, str)()


class PlaceholderHelpMixin:
    """Subject and body fields list the placeholders they accept."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if db_field.name in ("subject", "body") and field is not None:
            field.help_text = PLACEHOLDER_HELP
        return field


class EmailTemplateTranslationInline(PlaceholderHelpMixin, admin.StackedInline):
    model = EmailTemplateTranslation
    extra = 0
    fields = ("language", "subject", "body")


@admin.register(EmailTemplate)
class EmailTemplateAdmin(PlaceholderHelpMixin, admin.ModelAdmin):
    """Administrators' e-mail templates; the id is what parameters 251, 253 and 417 hold."""

    list_display = ("id", "name", "subject", "active", "languages")
    list_display_links = ("id", "name")
    list_filter = ("active",)
    search_fields = ("name", "subject")
    inlines = [EmailTemplateTranslationInline]
    fieldsets = ((None, {"fields": ("name", "subject", "body", "active"), "description": PLACEHOLDER_HELP}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=gettext_lazy("translations"))
    def languages(self, obj):
        return ", ".join(sorted(t.language for t in obj.translations.all())) or "—"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """The outbox, read-only: what was sent, to whom, and what failed. FAILED rows can be sent again."""

    list_display = (
        "id",
        "status",
        "recipient",
        "template",
        "attempts",
        "short_error",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("recipient", "idempotency_key")
    list_select_related = ("template",)
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = (
        "status",
        "recipient",
        "language",
        "template",
        "idempotency_key",
        "message_id",
        "context",
        "headers",
        "attempts",
        "last_error",
        "created_at",
        "updated_at",
        "sent_at",
    )
    readonly_fields = fields

    def has_resend_permission(self, request):
        return request.user.has_perm("outbox.change_outboundemail")

    @admin.display(description=gettext_lazy("last error"))
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.action(description=gettext_lazy("Send again (failed e-mails)"), permissions=["resend"])
    def send_again(self, request, queryset):
        ids = services.email_resend(emails=queryset.filter(status=OutboundEmail.Status.FAILED))
        skipped = queryset.count() - len(ids)
        if ids:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail will be sent again.",
                    "%(count)d e-mails will be sent again.",
                    len(ids),
                )
                % {"count": len(ids)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail was skipped: only failed e-mails can be sent again.",
                    "%(count)d e-mails were skipped: only failed e-mails can be sent again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
