from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccurrencesConfig(AppConfig):
    name = "occurrences"
    verbose_name = _("Occurrences")
