from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccurrencesConfig(AppConfig):
    name = "occurrences"
    verbose_name = _("Occurrences")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Category, Origin
        from .selectors import choices_cache_drop

        def choices_changed(sender, **kwargs):
            choices_cache_drop()

        for name, signal in (("save", post_save), ("delete", post_delete)):
            for model in (Category, Origin):
                signal.connect(
                    choices_changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"occurrences-choices-cache-{name}-{model._meta.model_name}",
                )
