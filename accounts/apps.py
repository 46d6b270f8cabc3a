from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from .models import User
        from .signals import groups_changed

        m2m_changed.connect(
            groups_changed, sender=User.groups.through, dispatch_uid="accounts.groups_changed"
        )
