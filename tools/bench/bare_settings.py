"""The bare Django baseline of ``make bench``: one view, one primary-key query, no middleware.

Same database (``DATABASE_URL``), same persistent connection settings and the same gunicorn
configuration as the portal, so the ratio portal/bare measures what the portal itself costs.
"""

import environ

env = environ.Env()
SECRET_KEY = env("SECRET_KEY", default="bench-bare-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tools.bench.bare_urls"
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
