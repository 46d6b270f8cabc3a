from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        verbose_name = _("occurrence origin")
        verbose_name_plural = _("occurrence origins")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Occurrence(models.Model):
    # No index of its own: ``occurrence_ticket_created`` starts with ``ticket`` and also serves the
    # "newest first" order, so the planner cannot pick a plain ticket index and sort.
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        db_index=False,
        related_name="occurrences",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="occurrences"
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
