from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (``make bench``): the ``seed_bench`` command. Installed only by
    ``bench.settings``, never by the product's settings."""

    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"
