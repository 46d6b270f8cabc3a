from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (``make bench``): the ``seed_bench`` command. Installed only by
    ``tools.bench.settings``, never by the product's settings."""

    name = "tools.bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
