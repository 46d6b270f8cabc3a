"""The Celery application. Settings come from Django's settings (``CELERY_*``).

With no ``REDIS_URL`` the settings make tasks run in-process (``task_always_eager``),
so the embedded default needs no broker and no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartportal.settings.dev")

app = Celery("smartportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
