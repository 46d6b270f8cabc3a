from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryAccount(models.Model):
    """A portal user who logs in through the directory (directory/backends.py), with what the
    directory said of them at their last login: their entry and their unit (the attribute of setting
    LDAP_UNIT_ATTRIBUTE). Name and e-mail are the user's own fields."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="directory_account",
        verbose_name=_("user"),
    )
    dn = models.CharField(_("directory entry (DN)"), max_length=1000)
    unit = models.CharField(_("unit"), max_length=200, blank=True, db_index=True)
    synced_at = models.DateTimeField(_("last directory login"))

    class Meta:
        verbose_name = _("directory account")
        verbose_name_plural = _("directory accounts")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.dn
