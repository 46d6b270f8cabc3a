from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class ColorMode(models.TextChoices):
    """The portal's colours (Bootstrap's colour modes): Auto follows the device's setting
    (``prefers-color-scheme``, static/js/color-mode.js)."""

    AUTO = "auto", _("Auto")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class User(AbstractUser):
    """The portal's user. Service-desk groups are Django groups (``user.groups``)."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    color_mode = models.CharField(
        _("colour mode"), max_length=5, choices=ColorMode.choices, default=ColorMode.AUTO
    )

    class Meta(AbstractUser.Meta):
        # django-stubs types the inherited Meta's names as str; Django takes lazy strings.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
