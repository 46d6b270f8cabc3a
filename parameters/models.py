from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ParameterValue(models.Model):
    """The stored value of one declared parameter. No row => the registry's default."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    value = models.TextField(_("value"), blank=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["number"]

    def __str__(self) -> str:
        from .registry import REGISTRY

        p = REGISTRY.get(self.number)
        return f"{self.number} — {p.name}" if p else str(self.number)


class ParameterChange(models.Model):
    """History: who changed which parameter, when, from what to what. For a secret parameter the
    values are left empty: the row says only who changed it, how and when."""

    class Via(models.TextChoices):
        ADMIN = "admin", _("Administration")
        COMMAND = "command", _("Command line")
        SYSTEM = "system", _("System")

    number = models.PositiveIntegerField(_("number"), db_index=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    via = models.CharField(_("via"), max_length=10, choices=Via.choices, default=Via.ADMIN)
    changed_at = models.DateTimeField(_("changed on"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("parameter change")
        verbose_name_plural = _("parameter changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number}: {self.old_value!r} → {self.new_value!r}"
