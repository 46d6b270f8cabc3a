from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Login belongs to accounts, a lower layer: Django's own login event lets the after-login
        # dialog of notifications.shell arm itself without accounts knowing about notifications.
        from django.contrib.auth.signals import user_logged_in

        from .shell import login_prompt_arm

        user_logged_in.connect(login_prompt_arm, dispatch_uid="notifications_login_prompt_arm")
