"""The API's representations. Output only: input is validated by the portal's own forms (the same
field names and messages as the pages), called from api/views.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from campaigns.models import Campaign
from questionnaires.models import NO, RATING_VALUES, YES, Question, answer_display
from tickets.forms import ALL_SITUATIONS, PER_PAGE_CHOICES, SCOPE_MINE, SCOPE_SHARED, SORT_CHOICES
from tickets.models import Situation
from tickets.selectors import ASC, DESC


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
    requester = serializers.CharField(
        source="requester.display_name", help_text=_("Whose request it is (yours, or who shared it).")
    )
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


class TicketAnswerSerializer(serializers.Serializer):
    """One answer to the activity's questionnaire, as kept with the ticket (issue 27)."""

    question = serializers.IntegerField(help_text=_("The question's id (field q<id> of the request form)."))
    text = serializers.CharField(help_text=_("The question as it was asked."))
    kind = serializers.CharField(
        help_text=_("short_text, long_text, single_choice, multiple_choice, number, date, rating or yes_no.")
    )
    value = serializers.JSONField(
        help_text=_(
            "A text; a list of texts (multiple choice); a number as text; a date (YYYY-MM-DD); 1 to 5 "
            "(rating); yes or no."
        )
    )
    display = serializers.SerializerMethodField(help_text=_("The answer as a person reads it."))

    def get_display(self, record) -> str:
        return answer_display(record)


class TicketDetailSerializer(TicketSerializer):
    description = serializers.CharField()
    answers = TicketAnswerSerializer(many=True, help_text=_("The answers to the request form's questions."))
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


class _Strict(serializers.Field):
    """A JSON body's value of exactly the declared type (DRF would turn 0 into "0" or "1" into 1)."""

    json_types: tuple[type, ...] = ()

    def to_internal_value(self, data):
        if not isinstance(data, self.json_types) or isinstance(data, bool) != (bool in self.json_types):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(_Strict, serializers.CharField):
    json_types = (str,)


class StrictIntegerField(_Strict, serializers.IntegerField):
    json_types = (int,)


class StrictBooleanField(_Strict, serializers.BooleanField):
    json_types = (bool,)


class OccurrenceInputSerializer(serializers.Serializer):
    """For the schema only: the Occurrence Register form (occurrences/forms.py) validates."""

    category = StrictIntegerField(required=False, help_text=_("Required unless parameter 262 sets it."))
    origin = StrictIntegerField(required=False, help_text=_("Required unless parameter 263 sets it."))
    text = StrictCharField(max_length=10_000, allow_blank=True)
    notify_responsible = StrictBooleanField(required=False, default=False)


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
    text = StrictCharField(allow_blank=True)


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
    reason = StrictCharField(required=False, allow_blank=True)


def list_parameters() -> list[OpenApiParameter]:
    """The query string of My Requests (tickets/forms.py ``MyRequestsFilterForm``; an unknown value
    falls back to the default there, as on the page)."""
    return [
        OpenApiParameter("search", str, description=str(_("Number, title, description, service…"))),
        OpenApiParameter(
            "scope",
            str,
            enum=[SCOPE_MINE, SCOPE_SHARED],
            description=str(_("My requests, or those shared with me (My Requests' Show).")),
        ),
        OpenApiParameter(
            "situation",
            str,
            enum=[ALL_SITUATIONS, *Situation.values],
            description=str(_("One situation, or all; the page's default (parameter 264) when absent.")),
        ),
        OpenApiParameter("sort", str, enum=[key for key, _label in SORT_CHOICES]),
        OpenApiParameter("order", str, enum=[ASC, DESC]),
        OpenApiParameter("per_page", int, enum=list(PER_PAGE_CHOICES)),
        OpenApiParameter(
            "cursor",
            str,
            description=str(_("Where the page starts: the cursor of the previous answer's next.")),
        ),
    ]


class PortfolioSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    type = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    portfolio = serializers.IntegerField(source="portfolio_id")
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    rating_avg = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.IntegerField(source="service_id")
    name = serializers.CharField(source="display_name")
    description = serializers.CharField(source="display_description")
    type = serializers.CharField()


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    short_description = serializers.CharField()
    description = serializers.CharField(help_text=_("Plain text or Markdown."))
    requires_confirmation = serializers.BooleanField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    viewed_at = serializers.DateTimeField(source="my_viewed_at", allow_null=True)
    confirmed_at = serializers.DateTimeField(source="my_confirmed_at", allow_null=True)


class NotificationPageSerializer(serializers.Serializer):
    results = NotificationSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class NewsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    description = serializers.CharField(source="display_description", help_text=_("Plain text or Markdown."))
    category = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_category(self, n):
        return None if n.category is None else {"id": n.category.pk, "name": n.category.display_title}


class NewsPageSerializer(serializers.Serializer):
    results = NewsSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class ApprovalSerializer(TicketSerializer):
    """A ticket awaiting my decision (Approvals)."""

    requester = serializers.CharField(source="requester.display_name")
    may_decide = serializers.SerializerMethodField(
        help_text=_("False for my own request, which waits for another approver (parameter 372).")
    )

    def get_may_decide(self, t) -> bool:
        return not self.context["barred"](t)


class ApprovalPageSerializer(serializers.Serializer):
    results = ApprovalSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class DecisionInputSerializer(serializers.Serializer):
    """For the schema and the JSON types; the Approve form (approvals/forms.py) validates."""

    decision = serializers.ChoiceField(choices=["approved", "not_approved"])
    observations = StrictCharField(required=False, allow_blank=True)
    justification = StrictIntegerField(required=False, help_text=_("Required when not approved."))
    justification_complement = StrictCharField(
        required=False, allow_blank=True, help_text=_("Required when not approved.")
    )


class DecisionSerializer(serializers.Serializer):
    ticket = serializers.IntegerField(source="ticket_id")
    result = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="display_title")
    summary = serializers.CharField(source="display_summary")
    category = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_category(self, a):
        return None if a.category is None else {"id": a.category.pk, "name": a.category.display_name}


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(
        source="display_body", help_text=_("Plain text; blank lines separate paragraphs.")
    )


class ArticlePageSerializer(serializers.Serializer):
    results = ArticleSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class RequestInputSerializer(serializers.Serializer):
    """For the schema: the request form (tickets/forms.py ``RequestForm``) validates. An activity with
    a questionnaire also takes one field ``q<id>`` per question (repeated for a multiple choice);
    a required question that its condition shows must be answered."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    impact = serializers.IntegerField(required=False, help_text=_("When the activity asks for it."))
    urgency = serializers.IntegerField(required=False, help_text=_("When the activity asks for it."))
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class OpinionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["compliment", "complaint"])
    text = StrictCharField(allow_blank=True)


class OpinionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SurveyInputSerializer(serializers.Serializer):
    evaluation = StrictCharField(
        help_text=_("excellent, good, regular, poor; not_attended with parameter 295.")
    )
    comment = StrictCharField(required=False, allow_blank=True)
    reopen = StrictBooleanField(required=False, help_text=_('With "not_attended" (parameter 295).'))


class SurveyAnswerSerializer(serializers.Serializer):
    evaluation = serializers.CharField()
    comment = serializers.CharField()
    answered_at = serializers.DateTimeField()


class CampaignSerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text=_("The campaign's link key (its page in the portal answers it)."))
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    answered = serializers.BooleanField()


class CampaignPageSerializer(serializers.Serializer):
    results = CampaignSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class QuestionSerializer(serializers.Serializer):
    """A question of a campaign's questionnaire; ``field`` is its name in the answer's body."""

    id = serializers.IntegerField()
    field = serializers.SerializerMethodField(
        help_text=_("The answer's field: q<id>; null for an information text.")
    )
    group = serializers.CharField(source="group.title")
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.SerializerMethodField(
        help_text=_("The values accepted, for choices, ratings and yes/no.")
    )

    def get_field(self, q) -> str | None:
        return f"q{q.pk}" if q.is_question else None

    def get_choices(self, q) -> list[str]:
        K = Question.Kind
        if q.kind in (K.SINGLE_CHOICE, K.MULTIPLE_CHOICE):
            return q.choice_list
        if q.kind == K.RATING:
            return [str(v) for v in RATING_VALUES]
        if q.kind == K.YES_NO:
            return [YES, NO]
        return []


class CampaignDetailSerializer(CampaignSerializer):
    state = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=Campaign.State.choices))
    def get_state(self, c) -> str:
        return str(self.context["state"])

    def get_answered(self, c) -> bool:
        return self.context["answered"]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, c):
        return QuestionSerializer(self.context["questions"], many=True).data


# The answer's body: an object of ``q<id>`` fields (the campaign's questions say which): a text for
# each question, a list of texts for a multiple choice; dates as YYYY-MM-DD.
CAMPAIGN_ANSWER_SCHEMA = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    "example": {"q12": "Finance", "q13": "4", "q14": ["Speed", "Quality"]},
}


class CampaignAnswerSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    answered = serializers.BooleanField()
