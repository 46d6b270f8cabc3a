"""The attendants' back office for tickets.

Superusers (and users given the ticket model permissions) see every ticket. Attendants — staff
members of a group that executes or approves some activity — need no model permission: they see
the tickets of their groups and those they are responsible for, and work them through the
transition buttons, which call the services in :mod:`tickets.services.transitions` (the only way a situation
changes). Any other ticket answers 404.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.ids import parse_id
from parameters.accessors import param_object
from parameters.registry import DEFAULT_CONTRACT
from questionnaires.models import answer_display

from .access import is_attendant, is_back_office_attendant, tickets_attended_by
from .admin_transitions import TRANSITIONS, TransitionForm, allowed_transitions
from .forms import MessageForm
from .models import (
    Attachment,
    Category,
    Message,
    Occurrence,
    Opinion,
    Origin,
    SlaStatus,
    SurveyAnswer,
    Ticket,
    TicketQuerySet,
)
from .policies import can_answer_messages, may_approve
from .poll import messages_poll_response
from .selectors import message_list
from .services.backoffice import staff_occurrence_register
from .services.messages import MessageRefused, message_send, messages_mark_read
from .services.opening import ticket_open
from .services.transitions import TransitionError

# --- list filters -----------------------------------------------------------------------------


class SlaStatusFilter(admin.SimpleListFilter):
    title = _("SLA status")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return SlaStatus.choices

    def queryset(self, request, queryset):
        if self.value() in SlaStatus.values:
            return queryset.filter(sla_status=self.value())
        return queryset


class AssignmentFilter(admin.SimpleListFilter):
    title = _("responsible")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Me")), ("none", _("Nobody (waiting for capture)"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(responsible=request.user)
        if self.value() == "none":
            return queryset.filter(responsible__isnull=True)
        return queryset


# --- forms ------------------------------------------------------------------------------------


class TicketAddForm(forms.ModelForm):
    """Registering a ticket from the back office (e.g. a phone call); saved through ``ticket_open``."""

    class Meta:
        model = Ticket
        fields = (
            "requester",
            "contract",
            "activity",
            "origin",
            "title",
            "description",
            "priority",
            "impact",
            "urgency",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].required = False
        self.fields["priority"].help_text = _("Leave empty to use the activity's default priority.")
        if not self.initial.get("contract"):
            contract = param_object(DEFAULT_CONTRACT)
            if contract is not None:
                self.initial["contract"] = contract.pk


class OccurrenceRegisterForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(active=True))
    origin = forms.ModelChoiceField(
        label=_("Origin"), queryset=Origin.objects.filter(active=True), required=False
    )
    text = forms.CharField(label=_("Occurrence"), widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    public = forms.BooleanField(label=_("Visible to the requester"), required=False, initial=True)
    notify_applicant = forms.BooleanField(
        label=_("Notify applicant"),
        required=False,
        help_text=_("E-mail the requester about this occurrence (template of parameter 251)."),
    )


# --- inline -----------------------------------------------------------------------------------


class OccurrenceInline(admin.TabularInline):
    """The ticket's history, newest first. Read-only: new entries come from "Register occurrence"."""

    model = Occurrence
    fields = ("created_at", "category", "origin", "text", "author", "public", "is_system")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    extra = 0
    can_delete = False
    verbose_name_plural = _("occurrences (newest first)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category", "origin", "author")

    # The page itself is guarded by TicketAdmin; whoever may see the ticket sees its history.
    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the ticket admin -------------------------------------------------------------------------

CHANGE_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "title",
                "description",
                "requester_contact",
                "people_in_copy",
                "type",
                "service",
                "activity",
                "contract",
                "origin",
                "attachment_links",
                "answers_list",
            )
        },
    ),
    (
        _("Situation"),
        {
            "fields": (
                "situation",
                "current_task",
                "current_group",
                "responsible",
                "priority",
                "impact",
                "urgency",
                "solution",
            )
        },
    ),
    (
        _("Times and SLA"),
        {
            "fields": (
                "sla_status_badge",
                "created_at",
                "time_limit",
                "sla_minutes",
                "captured_at",
                "suspended_at",
                "resolved_at",
                "closed_at",
                "canceled_at",
                "reopened_at",
                "updated_at",
            )
        },
    ),
)
# What stays editable on an existing ticket; everything else changes only through the services.
EDITABLE_ON_CHANGE = {"title", "description", "origin", "impact", "urgency"}

SLA_COLORS = {
    SlaStatus.ON_TIME: "#2e7d32",
    SlaStatus.TO_EXPIRE: "#ed6c02",
    SlaStatus.EXPIRED: "#c62828",
    SlaStatus.SUSPENDED: "#616161",
}


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "requester",
        "service",
        "activity",
        "situation",
        "priority",
        "current_group",
        "responsible",
        "created_at",
        "time_limit",
        "sla_status_badge",
    )
    list_display_links = ("number", "title")
    list_filter = (
        "situation",
        "priority",
        "type",
        ("current_group", admin.RelatedOnlyFieldListFilter),
        SlaStatusFilter,
        AssignmentFilter,
    )
    search_fields = ("=id", "title", "description", "requester__username", "answers")
    search_help_text = _(
        "A ticket number (123 or #123), or words of the title, the description, the answers to the "
        "request form or the requester's user name."
    )
    list_select_related = ("requester", "service", "activity", "current_group", "responsible")
    date_hierarchy = "created_at"
    show_full_result_count = False
    change_form_template = "admin/tickets/ticket/change_form.html"
    autocomplete_fields = ("requester", "activity")

    # --- access ---------------------------------------------------------------------------------
    def sees_all(self, request) -> bool:
        """Superusers and holders of the ticket model permissions see every ticket."""
        return super().has_view_permission(request)

    def attends(self, request, obj: Ticket | None) -> bool:
        """A back-office attendant, and of ``obj`` when given (:mod:`tickets.access`)."""
        user = request.user
        return is_back_office_attendant(user) and (obj is None or is_attendant(user, obj))

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_back_office_attendant(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.attends(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.attends(request, obj)

    def get_queryset(self, request):
        qs = cast(TicketQuerySet, super().get_queryset(request)).with_sla_status()
        if self.sees_all(request):
            return qs
        if is_back_office_attendant(request.user):
            return tickets_attended_by(request.user, qs)
        return qs.none()

    def ticket_or_404(self, request, object_id) -> Ticket:
        obj = self.get_object(request, unquote(str(object_id)))
        if obj is None:
            raise Http404(gettext("No such ticket."))
        return obj

    # --- list -----------------------------------------------------------------------------------
    @admin.display(description=_("number"), ordering="id")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("SLA status"), ordering="sla_rank")
    def sla_status_badge(self, obj):
        value = getattr(obj, "sla_status", None)
        if value not in SlaStatus.values:
            return "—"
        status = SlaStatus(value)
        return format_html('<strong style="color: {}">{}</strong>', SLA_COLORS[status], status.label)

    @admin.display(description=_("requester"))
    def requester_contact(self, obj):
        user = obj.requester
        if user.email:
            return format_html('{} (<a href="mailto:{}">{}</a>)', user.display_name, user.email, user.email)
        return user.display_name

    @admin.display(description=_("people in copy"))
    def people_in_copy(self, obj):
        """Who follows the ticket and gets its e-mails (issue 27); only the requester changes them,
        from the portal."""
        names = [c.user.display_name for c in obj.copies.select_related("user").order_by("id")]
        return ", ".join(names) or "—"

    @admin.display(description=_("answers to the request form"))
    def answers_list(self, obj):
        """The activity's questionnaire as the requester filled it (issue 27), question by question."""
        if not obj.answers:
            return "—"
        return format_html(
            '<dl class="ticket-answers">{}</dl>',
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((r.get("text", ""), answer_display(r)) for r in obj.answers)
            ),
        )

    @admin.display(description=_("attachments"))
    def attachment_links(self, obj):
        """The ticket's files, downloaded through the access-checked view (never MEDIA_URL)."""
        items = [
            format_html(
                '<li><a href="{}" download>{}</a> ({})</li>',
                reverse("tickets:attachment-download", args=[obj.pk, a.pk]),
                a.original_name,
                filesizeformat(a.size),
            )
            for a in obj.attachments.order_by("uploaded_at", "id")
        ]
        if not items:
            return "—"
        return format_html(
            '<ul class="ticket-attachments">{}</ul>', format_html_join("", "{}", ((i,) for i in items))
        )

    def get_search_results(self, request, queryset, search_term):
        # A number ("123" or "#123") finds that ticket only, not every text containing the digits.
        term = search_term.strip().removeprefix("#")
        number = parse_id(term)
        if number:
            return queryset.filter(pk=number), False
        return super().get_search_results(request, queryset, search_term)

    # --- forms ----------------------------------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TicketAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": TicketAddForm.Meta.fields}),)
        return CHANGE_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return tuple(f for fs in CHANGE_FIELDSETS for f in fs[1]["fields"] if f not in EDITABLE_ON_CHANGE)

    def get_inlines(self, request, obj):
        return [OccurrenceInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        ticket = ticket_open(
            requester=data["requester"],
            activity=data["activity"],
            contract=data["contract"],
            title=data["title"],
            description=data["description"],
            priority=data.get("priority"),
            origin=data.get("origin"),
            impact=data.get("impact"),
            urgency=data.get("urgency"),
        )
        # The admin goes on with ``obj`` (its log entry, the redirect): it becomes the saved ticket.
        obj.pk = ticket.pk
        obj.refresh_from_db()

    # --- pages ----------------------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.ticket_or_404(request, object_id)
        info = self.opts.app_label, self.opts.model_name
        context = {
            "transitions": [
                {
                    "action": t.action,
                    "label": t.label,
                    "url": reverse("admin:{}_{}_transition".format(*info), args=[ticket.pk, t.action]),
                }
                for t in allowed_transitions(request.user, ticket)
            ],
            # An approver decides in the portal's form (approvals.services.approval_decide).
            "approval_url": reverse("approvals:decide", args=[ticket.pk])
            if may_approve(request.user, ticket)
            else "",
            "occurrence_url": reverse("admin:{}_{}_occurrence".format(*info), args=[ticket.pk])
            if self.has_change_permission(request, ticket)
            else "",
            "messages_url": reverse("admin:{}_{}_messages".format(*info), args=[ticket.pk])
            if self.has_change_permission(request, ticket)
            else "",
            "unread_messages": ticket.messages.filter(
                author_id=ticket.requester_id, read_at__isnull=True
            ).count(),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def history_view(self, request, object_id, extra_context=None):
        self.ticket_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<slug:action>/",
                view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            path(
                "<path:object_id>/occurrence/",
                view(self.occurrence_view),
                name="{}_{}_occurrence".format(*info),
            ),
            path("<path:object_id>/messages/", view(self.messages_view), name="{}_{}_messages".format(*info)),
            path(
                "<path:object_id>/messages/poll/",
                view(self.messages_poll_view),
                name="{}_{}_messages_poll".format(*info),
            ),
            *super().get_urls(),
        ]

    def _page(self, request, ticket: Ticket, template: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": ticket,
            "change_url": reverse("admin:tickets_ticket_change", args=[ticket.pk]),
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    def _after_action(self, request, ticket: Ticket):
        """Back to the ticket, or to the list when the action moved it out of the user's reach."""
        if self.get_queryset(request).filter(pk=ticket.pk).exists():
            return HttpResponseRedirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
        return HttpResponseRedirect(reverse("admin:tickets_ticket_changelist"))

    def transition_view(self, request, object_id, action):
        transition = TRANSITIONS.get(action)
        if transition is None:
            raise Http404
        ticket = self.ticket_or_404(request, object_id)
        if not self.has_view_permission(request, ticket):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = TransitionForm(data, transition=transition)
        if request.method == "POST" and form.is_valid():
            kwargs = {transition.text_arg: form.cleaned_data["text"]} if transition.text_arg else {}
            try:
                # The service re-checks the move under a row lock and writes the audit occurrence.
                transition.service(ticket=ticket, actor=request.user, **kwargs)
            except TransitionError as exc:
                messages.error(request, exc.message)
                ticket.refresh_from_db()
            else:
                self.log_change(request, ticket, [{"changed": {"fields": [str(transition.label)]}}])
                messages.success(request, transition.done % {"number": ticket.number})
                return self._after_action(request, ticket)
        return self._page(
            request,
            ticket,
            "admin/tickets/ticket/transition_form.html",
            title=gettext("%(action)s ticket %(number)s")
            % {"action": transition.label, "number": ticket.number},
            transition=transition,
            form=form,
        )

    def occurrence_view(self, request, object_id):
        ticket = self.ticket_or_404(request, object_id)
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        form = OccurrenceRegisterForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                staff_occurrence_register(ticket=ticket, actor=request.user, **form.cleaned_data)
            except TransitionError as exc:
                raise PermissionDenied(exc.message) from exc
            messages.success(
                request, gettext("Occurrence registered on ticket %(number)s.") % {"number": ticket.number}
            )
            return HttpResponseRedirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
        return self._page(
            request,
            ticket,
            "admin/tickets/ticket/occurrence_form.html",
            title=gettext("Register occurrence on ticket %(number)s") % {"number": ticket.number},
            form=form,
        )

    def messages_view(self, request, object_id):
        """The ticket's conversation with the requester; the attendant answers here (parameter 299)."""
        ticket = self.ticket_or_404(request, object_id)
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        may_answer = can_answer_messages(request.user, ticket)
        form = MessageForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    message_send(ticket=ticket, author=request.user, text=form.cleaned_data["text"])
                except MessageRefused as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, gettext("Message sent to the requester."))
                    return HttpResponseRedirect(reverse("admin:tickets_ticket_messages", args=[ticket.pk]))
        else:
            messages_mark_read(ticket=ticket, reader=request.user)
        conversation = list(message_list(ticket=ticket))
        return self._page(
            request,
            ticket,
            "admin/tickets/ticket/messages.html",
            title=gettext("Messages of ticket %(number)s") % {"number": ticket.number},
            form=form,
            may_answer=may_answer,
            conversation=conversation,
            poll_url=reverse("admin:tickets_ticket_messages_poll", args=[ticket.pk]),
            last_id=conversation[-1].pk if conversation else 0,
        )

    def messages_poll_view(self, request, object_id):
        """JSON: the messages after ``?after=<id>`` (same access as the Messages page)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        ticket = self.ticket_or_404(request, object_id)
        if not self.has_change_permission(request, ticket):
            raise PermissionDenied
        return messages_poll_response(request, ticket)


# --- records of the row actions (superusers / model permissions; writes go through the services) ---


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Created only through the portal's services (validation, e-mails); viewable and deletable here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(_ReadOnlyAdmin):
    list_display = ("original_name", "ticket", "size", "content_type", "uploaded_by", "uploaded_at")
    list_select_related = ("ticket", "uploaded_by")
    search_fields = ("original_name", "=ticket__id", "uploaded_by__username")
    list_filter = ("content_type", "uploaded_at")
    fields = ("ticket", "download", "size", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("tickets:attachment-download", args=[obj.ticket_id, obj.pk])
        return format_html('<a href="{}" download>{}</a>', url, obj.original_name)


@admin.register(Opinion)
class OpinionAdmin(_ReadOnlyAdmin):
    list_display = ("ticket", "kind", "author", "created_at", "updated_at")
    list_select_related = ("ticket", "author")
    search_fields = ("text", "=ticket__id", "author__username")
    list_filter = ("kind", "created_at")


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(_ReadOnlyAdmin):
    list_display = ("ticket", "evaluation", "author", "answered_at")
    list_select_related = ("ticket", "author")
    search_fields = ("comment", "=ticket__id", "author__username")
    list_filter = ("evaluation", "answered_at")


@admin.register(Message)
class MessageAdmin(_ReadOnlyAdmin):
    list_display = ("ticket", "author", "short_text", "created_at", "read_at")
    list_select_related = ("ticket", "author")
    search_fields = ("text", "=ticket__id", "author__username")
    list_filter = ("created_at", ("read_at", admin.EmptyFieldListFilter))

    @admin.display(description=_("message"))
    def short_text(self, obj):
        return obj.text[:80]


@admin.register(Occurrence)
class OccurrenceAdmin(_ReadOnlyAdmin):
    """The audit trail of every ticket. Entries are registered from the ticket's page; here they are
    only consulted (an occurrence is never rewritten): the portal's Occurrence Register and the ticket
    page's "Register occurrence" are the only writers, so nothing is added or changed here."""

    list_display = ("created_at", "ticket", "category", "origin", "author", "public", "is_system", "notify")
    list_filter = (
        "is_system",
        "public",
        "emails_pending",
        "category",
        "origin",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("=ticket__id", "text", "author__username", "ticket__title")
    list_select_related = ("ticket", "category", "origin", "author")
    date_hierarchy = "created_at"
    raw_id_fields = ("ticket",)
    fields = (
        "ticket",
        "category",
        "origin",
        "text",
        "public",
        "notify",
        "emails_pending",
        "author",
        "is_system",
        "created_at",
    )
    readonly_fields = fields


# --- the occurrence vocabulary (reference data) -------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active")
    list_filter = ("active", "code")
    search_fields = ("name",)
    list_editable = ("active",)


@admin.register(Origin)
class OriginAdmin(admin.ModelAdmin):
    list_display = ("name", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    list_editable = ("active",)
