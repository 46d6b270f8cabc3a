from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Logging in and who is logged in: django-allauth's flows in the portal's look, with the
    portal's parameters, the outbox for their e-mails, login events and session rules."""

    name = "identity"
    verbose_name = _("Identity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  connects the receivers
