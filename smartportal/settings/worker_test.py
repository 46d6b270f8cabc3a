"""Settings of the Celery worker the integration tests start (tests/integration).

Everything comes from the environment as in production (DATABASE_URL = pytest-django's test
database, REDIS_URL = a dedicated Redis DB, EMAIL_URL = the loopback SMTP server of the test);
only what keeps the test database droppable and the run short is changed here.
"""

from .base import *  # noqa: F403
from .base import DATABASES, env

# No persistent connections: the test run drops its database right after the worker stops.
DATABASES["default"]["CONN_MAX_AGE"] = 0
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=5)
# The webhook test's receiver is on loopback (tests/integration/test_webhooks_worker.py); plain
# HTTP there comes from WEBHOOKS_HTTPS_ONLY=false in the worker's environment.
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=False)
