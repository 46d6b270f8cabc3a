"""WSGI entry of the bare baseline (``WSGI_APP=tools.bench.bare_wsgi:application deploy/web.sh``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "tools.bench.bare_settings"
application = get_wsgi_application()
