"""gunicorn configuration of the web process (deploy/web.sh; docker-compose.yml, CI, make bench).

Overridable from the environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (sync
workers, default 2), GUNICORN_TIMEOUT (seconds, default 30).
"""

import os

from core.logging import logging_config

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Django logs one line per request (core.middleware.RequestLogMiddleware): no access log here.
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
