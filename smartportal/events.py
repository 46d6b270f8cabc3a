"""The events process's ASGI application (deploy/events.sh: uvicorn): the chat's event streams
(chat.stream). Django is set up first; no Django request handling runs here."""

import contextlib
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartportal.settings.production")
django.setup()

# Imported before the first connection: the hub (redis.asyncio, in the event loop) and the first
# cache access (django-redis, in the loop's thread pool) would otherwise import redis at the same
# time, and one of them fail on the half-initialised module (seen as a dropped first stream).
import redis.asyncio  # noqa: E402, F401
from django.core.cache import cache  # noqa: E402

from chat.stream import application  # noqa: E402

with contextlib.suppress(Exception):  # Redis down at start: the streams retry on their own
    cache.get("smartportal:events:warm-up")  # django-redis' client and its imports, once, here


__all__ = ["application"]
