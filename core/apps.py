from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from .converters import IdConverter


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Once, before any URLconf is imported (URLconfs load lazily, after every app is ready):
        # ``<id:pk>`` in every urls.py and admin get_urls() (core/converters.py).
        register_converter(IdConverter, "id")
