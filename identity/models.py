"""Login events: who tried to log in, when, how, from where, and whether it worked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoginEvent(models.Model):
    """One login attempt, kept for the administrators (read-only in the admin)."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        MFA = "mfa", _("Two-factor authentication")
        PASSKEY = "passkey", _("Passkey")
        EMAIL = "email", _("E-mail verification")
        PROVIDER = "provider", _("Identity provider")
        OTHER = "other", _("Other")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
    )
    username = models.CharField(_("user name typed"), max_length=255, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    success = models.BooleanField(_("success"))

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="loginevent_user_at")]

    def __str__(self) -> str:
        return f"{self.username or self.user_id} {self.at:%Y-%m-%d %H:%M} {self.method}"
