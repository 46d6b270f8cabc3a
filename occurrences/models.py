"""The occurrence vocabulary: the categories and origins of occurrences and tickets (reference data
the administrators maintain). Below tickets: the occurrences themselves are a ticket's history
(:class:`tickets.models.Occurrence`)."""

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
