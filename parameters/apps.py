from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParametersConfig(AppConfig):
    name = "parameters"
    verbose_name = _("Parameters")

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .task_scope import connect_task_scopes

        connect_task_scopes()
