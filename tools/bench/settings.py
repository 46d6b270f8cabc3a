"""The portal as ``make bench`` serves it: production settings, but plain HTTP on loopback.

Everything else (DEBUG off, WhiteNoise manifest storage, persistent checked connections, the
middleware stack with CSP and axes, one log line per request) is exactly production's.
"""

from smartportal.settings.production import *  # noqa: F403
from smartportal.settings.production import INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "tools.bench"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Plain HTTP on 127.0.0.1: no TLS redirect, cookies without the Secure flag, no HSTS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
ROOT_URLCONF = "tools.bench.urls"
# The REST API rows load one token far beyond a person's rate: the throttle (api/throttling.py) would
# answer 429 after 120 requests, so it is lifted here; it is measured by tests/api, not here.
API_THROTTLE_RATE = "100000000/min"
