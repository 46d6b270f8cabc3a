"""Developer settings (``manage.py``, ``make run``): base, with DEBUG still off unless asked for
(``DEBUG=1``), so nobody reaching a developer's portal sees a debug page; static files are served
from the apps and ``static/`` by WhiteNoise without ``collectstatic``."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_USE_FINDERS (on by itself with DEBUG)
WHITENOISE_USE_FINDERS = True
