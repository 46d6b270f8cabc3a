from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import EmailTemplate
        from .services import template_cache_drop

        def template_changed(sender, instance, **kwargs):
            template_cache_drop(instance.pk)

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(template_changed, sender=EmailTemplate, weak=False,
                           dispatch_uid=f"notifications-template-cache-{name}")
