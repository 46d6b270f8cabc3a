from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from tickets.signals import ticket_entered_approval

        from .services import approval_open_for_signal

        ticket_entered_approval.connect(
            approval_open_for_signal, weak=False, dispatch_uid="approvals-open-on-entry"
        )
