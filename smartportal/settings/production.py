"""Production: no default for secrets, secure transport, hashed compressed static files, JSON logs.

``DJANGO_SETTINGS_MODULE=smartportal.settings.production SECRET_KEY=… manage.py check --deploy``
reports no issue (``make check``).
"""

from core.logging import logging_config

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

SECRET_KEY = env("SECRET_KEY")  # refuses to start without it
DEBUG = env.bool("DEBUG", default=False)

# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The health check answers on plain HTTP too (load balancers, docker compose).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One line per event on stdout (JSON): requests (core.middleware.RequestLogMiddleware), Celery
# worker and beat events (Celery keeps Django's logging instead of installing its own).
MIDDLEWARE = ["core.middleware.RequestLogMiddleware", *MIDDLEWARE]
LOGGING = logging_config(env("LOG_LEVEL", default="INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS = False
