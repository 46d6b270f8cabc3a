"""The events process's ASGI application (deploy/events.sh: uvicorn): the chat's event streams
(chat.stream). Django is set up first; no Django request handling runs here."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartportal.settings.production")
django.setup()

from chat.stream import application  # noqa: E402

__all__ = ["application"]
