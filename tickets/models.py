import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import PRIORITY_VALIDATORS
from core.models import SingleUseToken
from questionnaires.models import answers_field


class Situation(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In Progress")
    SUSPENDED = "suspended", _("Suspended")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    CANCELED = "canceled", _("Canceled")


FINAL_SITUATIONS = frozenset({Situation.RESOLVED, Situation.CLOSED, Situation.CANCELED})


class Task(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    CAPTURE = "capture", _("Capture")
    EXECUTION = "execution", _("Execution")
    VALIDATION = "validation", _("Validation")
    NONE = "", _("—")


class SlaStatus(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    TO_EXPIRE = "to_expire", _("To expire")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")


# --- The occurrence vocabulary ----------------------------------------------------------------
# The categories and origins of a ticket and of its history entries (reference data the administrators
# maintain). With the tickets that use them; the Occurrence Register (the portal's form and page) is
# the occurrences app, above tickets.


class SystemCategory(models.TextChoices):
    """Categories the system uses for lifecycle occurrences (``Category.code``)."""

    REQUEST_REGISTRATION = "request_registration", _("Request registration")
    APPROVAL = "approval", _("Approval")
    CAPTURE = "capture", _("Capture")
    EXECUTION_RECORD = "execution_record", _("Execution record")
    SUSPENSION = "suspension", _("Suspension")
    REACTIVATION = "reactivation", _("Reactivation")
    RESOLUTION = "resolution", _("Resolution")
    CLOSING = "closing", _("Closing")
    REOPENING = "reopening", _("Reopening")
    CANCELLATION = "cancellation", _("Cancellation")
    RECLASSIFICATION = "reclassification", _("Reclassification")


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("system code"),
        max_length=40,
        choices=SystemCategory.choices,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Set on the categories the system uses for lifecycle entries."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        # Moved from the occurrences app (migration tickets 0006): the table keeps its name.
        db_table = "occurrences_category"
        verbose_name = _("occurrence category")
        verbose_name_plural = _("occurrence categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The system categories' names follow the reader's language."""
        return str(SystemCategory(self.code).label) if self.code else self.name

    @classmethod
    def system(cls, code: SystemCategory) -> "Category":
        obj, _created = cls.objects.get_or_create(code=code, defaults={"name": str(code.label)})
        return obj


class Origin(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "occurrences_origin"
        verbose_name = _("occurrence origin")
        verbose_name_plural = _("occurrence origins")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(situation__in=FINAL_SITUATIONS)

    def with_sla_status(self, now=None):
        """Annotate ``sla_status`` (a :class:`SlaStatus` value) and ``sla_rank`` (sortable), in SQL.

        The reference instant is when the ticket stopped counting (resolved, closed, canceled) or now.
        """
        now = now or timezone.now()
        ref = Coalesce("resolved_at", "closed_at", "canceled_at", Value(now))
        return self.annotate(
            sla_status=Case(
                When(situation=Situation.SUSPENDED, then=Value(SlaStatus.SUSPENDED.value)),
                When(time_limit__isnull=True, then=Value(SlaStatus.ON_TIME.value)),
                When(time_limit__lt=ref, then=Value(SlaStatus.EXPIRED.value)),
                # A finished ticket is either on time or late; "To expire" is for open ones only.
                When(situation__in=FINAL_SITUATIONS, then=Value(SlaStatus.ON_TIME.value)),
                When(sla_warning_at__lte=ref, then=Value(SlaStatus.TO_EXPIRE.value)),
                default=Value(SlaStatus.ON_TIME.value),
                output_field=models.CharField(),
            ),
            sla_rank=Case(
                When(situation=Situation.SUSPENDED, then=Value(3)),
                When(time_limit__isnull=True, then=Value(0)),
                When(time_limit__lt=ref, then=Value(2)),
                When(situation__in=FINAL_SITUATIONS, then=Value(0)),
                When(sla_warning_at__lte=ref, then=Value(1)),
                default=Value(0),
                output_field=models.IntegerField(),
            ),
        )


class Ticket(models.Model):
    class Type(models.TextChoices):
        REQUEST = "request", _("Request")
        INCIDENT = "incident", _("Incident")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    contract = models.ForeignKey(
        "catalog.Contract", verbose_name=_("contract"), on_delete=models.PROTECT, related_name="tickets"
    )
    service = models.ForeignKey(
        "catalog.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="tickets"
    )
    activity = models.ForeignKey(
        "catalog.Activity",
        verbose_name=_("Incident/Request"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    origin = models.ForeignKey(
        Origin,
        verbose_name=_("origin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    # The activity's questionnaire as the requester filled it (issue 27), for every page and e-mail.
    answers = answers_field()
    situation = models.CharField(
        _("situation"), max_length=12, choices=Situation.choices, default=Situation.REGISTERED
    )
    priority = models.PositiveSmallIntegerField(_("priority"), validators=PRIORITY_VALIDATORS, default=3)
    impact = models.PositiveSmallIntegerField(
        _("impact"), null=True, blank=True, validators=PRIORITY_VALIDATORS
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), null=True, blank=True, validators=PRIORITY_VALIDATORS
    )
    current_task = models.CharField(_("task"), max_length=12, choices=Task.choices, blank=True, default="")
    current_group = models.ForeignKey(
        Group,
        verbose_name=_("current group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_tickets",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_tickets",
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    # SLA: resolution time (business minutes) for the priority, deadline, and the instant when the
    # ticket enters "To expire" (80% of the allowed business time used).
    sla_minutes = models.PositiveIntegerField(_("SLA (minutes)"), null=True, blank=True)
    time_limit = models.DateTimeField(_("time limit"), null=True, blank=True)
    sla_warning_at = models.DateTimeField(_("SLA warning at"), null=True, blank=True)
    sla_remaining_minutes = models.FloatField(_("SLA minutes left when suspended"), null=True, blank=True)
    captured_at = models.DateTimeField(_("captured on"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspended on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    canceled_at = models.DateTimeField(_("canceled on"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened on"), null=True, blank=True)
    solution = models.TextField(_("solution"), blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            # My Requests: the requester's list, each filter and sort. Each ends with the ``id``
            # tie-breaker of the list's ORDER BY, so a page (even a deep one) is read in index order
            # instead of sorting all the requester's tickets (scanned backwards for descending).
            models.Index(fields=["requester", "-created_at", "-id"], name="ticket_req_created"),
            models.Index(
                fields=["requester", "situation", "-created_at", "-id"], name="ticket_req_sit_created"
            ),
            models.Index(fields=["requester", "time_limit", "id"], name="ticket_req_time_limit"),
            models.Index(fields=["requester", "priority", "id"], name="ticket_req_priority"),
            models.Index(fields=["requester", "type", "id"], name="ticket_req_type"),
            # Attendants' queue.
            models.Index(fields=["current_group", "situation"], name="ticket_group_situation"),
            models.Index(fields=["responsible", "situation"], name="ticket_resp_situation"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name="ticket_priority_1_5"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("created_at")),
                name="ticket_closed_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def number(self) -> int | None:
        """The ticket number users see and search for."""
        return self.pk

    @property
    def is_final(self) -> bool:
        return self.situation in FINAL_SITUATIONS


# --- row actions of My Requests: attachments, opinions, surveys, messages -------------------------


def attachment_upload_to(instance, filename: str) -> str:
    """A random name under ``attachments/``: the uploaded name is kept only in ``original_name``, so
    nothing a user chooses reaches the file system (no path tricks, no executable extensions)."""
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="ticket_attachments",
    )
    uploaded_at = models.DateTimeField(_("uploaded on"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["ticket", "uploaded_at", "id"], name="attachment_ticket_uploaded")]

    def __str__(self) -> str:
        return self.original_name


class Opinion(models.Model):
    class Kind(models.TextChoices):
        COMPLIMENT = "compliment", _("Compliment")
        COMPLAINT = "complaint", _("Complaint")

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="opinion"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="ticket_opinions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("opinion"))
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.get_kind_display()}"


class SurveyAnswer(models.Model):
    class Evaluation(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        REGULAR = "regular", _("Regular")
        POOR = "poor", _("Poor")
        NOT_ATTENDED = "not_attended", _("Not attended")  # only offered when parameter 295 = Y

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="survey_answer"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="survey_answers",
    )
    evaluation = models.CharField(_("evaluation"), max_length=12, choices=Evaluation.choices)
    comment = models.TextField(_("Comment/Suggestion of improvement"), blank=True)
    answered_at = models.DateTimeField(_("answered on"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction survey answer")
        verbose_name_plural = _("satisfaction survey answers")
        ordering = ["-answered_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.get_evaluation_display()}"


class SurveyToken(SingleUseToken):
    """A single-use, expiring link to a ticket's survey, sent with the resolution e-mail."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="survey_tokens"
    )

    class Meta(SingleUseToken.Meta):
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.expires_at:%Y-%m-%d}"


class Message(models.Model):
    """A message between the requester and the attendants of a ticket (parameter 299)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="ticket_messages",
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["ticket", "id"], name="message_ticket_id")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.text[:40]}"

    @property
    def from_requester(self) -> bool:
        return self.author_id == self.ticket.requester_id


# --- the ticket's history -------------------------------------------------------------------------


class Occurrence(models.Model):
    """An entry of a ticket's history: registered by the requester or an attendant, or written by
    the system for each transition (``is_system``)."""

    # No index of its own: ``occurrence_ticket_created`` starts with ``ticket`` and also serves the
    # "newest first" order, so the planner cannot pick a plain ticket index and sort.
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        db_index=False,
        related_name="occurrences",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="occurrences",
    )
    origin = models.ForeignKey(
        Origin,
        verbose_name=_("origin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    text = models.TextField(_("occurrence"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    notify = models.BooleanField(_("notify responsible"), default=False)
    # The occurrence is its own outbox entry for the e-mails it causes: set in the transaction that
    # saves it (Notify Responsible ticked), cleared by the worker in the transaction that writes one
    # OutboundEmail per recipient (occurrences.services.occurrence_emails_queue).
    emails_pending = models.BooleanField(
        _("e-mails pending"),
        default=False,
        help_text=_("Its e-mails are still to be written to the outbox (done by the worker within seconds)."),
    )
    public = models.BooleanField(_("visible to the requester"), default=True)
    is_system = models.BooleanField(_("system entry"), default=False)

    class Meta:
        # Moved from the occurrences app (migration tickets 0005): the table keeps its name.
        db_table = "occurrences_occurrence"
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["ticket", "-created_at", "-id"], name="occurrence_ticket_created"),
            # The dispatcher's sweep: a handful of rows at most, whatever the table's size.
            models.Index(
                fields=["created_at"],
                condition=models.Q(emails_pending=True),
                name="occurrence_emails_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.category}: {self.text[:40]}"


class TicketCopy(models.Model):
    """A person in copy of a ticket (issue 27): added by its requester, they see the ticket and its
    public history and get its e-mails (tickets/access.py, tickets/emails.py) until removed."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="copies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("person in copy")
        verbose_name_plural = _("people in copy")
        ordering = ["ticket", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="ticketcopy_unique_user")]
        # "Shared with me": the tickets a user is in copy of.
        indexes = [models.Index(fields=["user", "ticket"], name="ticketcopy_user_ticket")]

    def __str__(self) -> str:
        return str(self.user)
