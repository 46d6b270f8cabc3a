from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questionnaires.models import answers_field

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SmartboxItem(models.Model):
    """A filled-in request waiting in the user's Smartbox (shopping cart, parameter 292) until the
    checked items are submitted together. Attachments are not kept here: they go with "Add and Finish"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="smartbox_items",
    )
    activity = models.ForeignKey(
        "catalog.Activity", verbose_name=_("Incident/Request"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    answers = answers_field()  # the activity's questionnaire, kept per item until it is submitted
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)

    class Meta:
        verbose_name = _("Smartbox item")
        verbose_name_plural = _("Smartbox items")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "created_at", "id"], name="smartbox_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5))
                & (Q(urgency__isnull=True) | Q(urgency__gte=1, urgency__lte=5)),
                name="smartbox_levels_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title
