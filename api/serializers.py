"""The API's representations. Output only: input is validated by the portal's own forms (the same
field names and messages as the pages), called from api/views.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.forms import PER_PAGE_CHOICES, SORT_CHOICES
from tickets.models import Situation


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    email = serializers.EmailField()
    language = serializers.SerializerMethodField()
    preferred_language = serializers.CharField()
    groups = serializers.SerializerMethodField()
    is_staff = serializers.BooleanField()

    def get_language(self, user) -> str:
        return self.context["language"]

    @extend_schema_field(NamedSerializer(many=True))
    def get_groups(self, user):
        return [{"id": g.pk, "name": g.name} for g in user.groups.all()]


def _named(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


class TicketSerializer(serializers.Serializer):
    """A row of My Requests."""

    number = serializers.IntegerField()
    type = serializers.CharField()
    type_display = serializers.CharField(source="get_type_display")
    title = serializers.CharField()
    service = serializers.SerializerMethodField()
    activity = serializers.SerializerMethodField()
    situation = serializers.ChoiceField(choices=Situation.choices)
    situation_display = serializers.CharField(source="get_situation_display")
    current_task = serializers.CharField()
    current_group = serializers.SerializerMethodField()
    priority = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    time_limit = serializers.DateTimeField(allow_null=True)
    sla_status = serializers.CharField()

    @extend_schema_field(NamedSerializer)
    def get_service(self, t):
        return _named(t.service)

    @extend_schema_field(NamedSerializer)
    def get_activity(self, t):
        return _named(t.activity)

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_current_group(self, t):
        return _named(t.current_group)


class TicketActionsSerializer(serializers.Serializer):
    """What the requester may do now (tickets/policies.py, the same functions as the buttons)."""

    register_occurrence = serializers.BooleanField()
    view_occurrences = serializers.BooleanField()
    message = serializers.BooleanField()
    change_attachments = serializers.BooleanField()
    cancel = serializers.BooleanField()
    reopen = serializers.BooleanField()


class TicketDetailSerializer(TicketSerializer):
    description = serializers.CharField()
    impact = serializers.IntegerField(allow_null=True)
    urgency = serializers.IntegerField(allow_null=True)
    solution = serializers.SerializerMethodField()
    responsible = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    canceled_at = serializers.DateTimeField(allow_null=True)
    actions = serializers.SerializerMethodField()

    def get_solution(self, t) -> str:
        return t.solution if self.context.get("show_solution") else ""

    def get_responsible(self, t) -> str | None:
        return t.responsible.display_name if t.responsible_id else None

    @extend_schema_field(TicketActionsSerializer)
    def get_actions(self, t):
        return self.context["actions"]


class TicketPageSerializer(serializers.Serializer):
    results = TicketSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text=_("The next page, or null on the last one."))


class OccurrenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField()
    text = serializers.CharField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    notify_responsible = serializers.BooleanField(source="notify")

    @extend_schema_field(NamedSerializer)
    def get_category(self, o):
        return _named(o.category)

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_origin(self, o):
        return _named(o.origin)

    def get_author(self, o) -> str | None:
        return o.author.display_name if o.author_id else None


class OccurrenceInputSerializer(serializers.Serializer):
    """For the schema only: the Occurrence Register form (occurrences/forms.py) validates."""

    category = serializers.IntegerField(help_text=_("Ignored when parameter 262 sets it."))
    origin = serializers.IntegerField(help_text=_("Ignored when parameter 263 sets it."))
    text = serializers.CharField(max_length=10_000)
    notify_responsible = serializers.BooleanField(required=False, default=False)


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    from_requester = serializers.SerializerMethodField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_author(self, m) -> str:
        return m.author.display_name

    def get_from_requester(self, m) -> bool:
        return m.author_id == self.context["requester_id"]


class MessageInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    uploaded_by = serializers.SerializerMethodField()
    uploaded_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_uploaded_by(self, a) -> str | None:
        return a.uploaded_by.display_name if a.uploaded_by_id else None

    def get_download(self, a) -> str:
        return self.context["download"](a)


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


LIST_FILTERS = {
    "search": _("Number, title, description, service…"),
    "situation": _("A situation, or all (the default of My Requests otherwise)."),
    "sort": ", ".join(key for key, _label in SORT_CHOICES),
    "order": "asc, desc",
    "per_page": ", ".join(str(n) for n in PER_PAGE_CHOICES),
    "cursor": _("The next page's cursor (from next)."),
}
