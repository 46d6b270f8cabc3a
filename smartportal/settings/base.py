"""Every setting, read once from the environment, with embedded defaults.

The contract (README, "Configuration"): SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL,
EMAIL_URL, DEFAULT_FROM_EMAIL, SITE_URL. With nothing set the portal runs on SQLite under
``var/``, runs tasks in-process and writes mail as files under ``var/mail/``.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # embedded default storage: SQLite, mail files, uploads
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
# An optional .env file; the process environment wins over it.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"), overwrite=False)

# https://docs.djangoproject.com/en/5.2/ref/settings/#secret-key
SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-default-only-for-local-development")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form templates, for FORM_RENDERER (core.forms.PortalFormRenderer)
    "bootstrap",
    "core",
    "accounts",
    "parameters",
    "outbox",
    "push",
    "webhooks",
    "directory",
    "questionnaires",
    "catalog",
    "tickets",
    "occurrences",
    "notifications",
    "knowledge",
    "campaigns",
    "approvals",
    "chat",
    "news",
    "inbound",
    "portal",
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parameters.middleware.ParameterSnapshotMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartportal.urls"
WSGI_APPLICATION = "smartportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# Requests are not atomic (Django's default): the services own their transactions
# (``@transaction.atomic``), and a page that only reads runs in autocommit (docs/architecture.md,
# "Request flow").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse: a PostgreSQL restart needs no web restart.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The planner's cost of reading a random page: PostgreSQL's default (4) is a spinning disk's; 1.1
    # is the usual value on SSD or a database held in memory. With 4, a search in a short list (the
    # pending approvals of a group) is planned as bitmap scans of the whole table's trigram indexes,
    # 13 ms at 1,000,000 tickets, instead of a walk of the list's own index, 1 ms (docs/performance.md).
    # Set per connection, so it holds on any server; ``options`` in DATABASE_URL takes precedence.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent users on the embedded default (https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes):
    # write-ahead log (readers and the writer do not block each other), writers wait their turn
    # (``timeout`` seconds) instead of failing with "database is locked": every atomic block (a
    # service's) takes the write lock when it begins (``BEGIN IMMEDIATE``), so it never reads first
    # and then fails to upgrade; reads run in autocommit and never take it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_TIMEOUT", default=20.0),
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Login throttling (django-axes, https://django-axes.readthedocs.io/en/latest/4_configuration.html):
# after AXES_FAILURE_LIMIT failures for one user name from one address, that pair is locked out for
# AXES_COOLOFF_TIME hours; the login page then says so (identity.security.lockout_response).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "identity.security.lockout_response"
# The client's address behind reverse proxies (core/clientip.py): how many proxies in front of the
# portal append to X-Forwarded-For (1 behind docker-compose's or deploy/'s HAProxy); 0 trusts none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_VERBOSE = False
# Unlock with ``manage.py axes_reset_username <name>`` / ``axes_reset`` (no admin screens).
AXES_ENABLE_ADMIN = False
# LDAP / Active Directory (directory/; README, "Logging in with your directory or identity provider"):
# only with LDAP_URL, after ModelBackend (local accounts first); parameter 22 switches it on.
from directory.conf import ldap_settings  # noqa: E402

_ldap = ldap_settings(env)  # lower case: not a setting itself
vars().update(_ldap)
if _ldap:
    AUTHENTICATION_BACKENDS.append("directory.backends.DirectoryBackend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Portuguese (Brazil), English, Spanish.
LANGUAGE_CODE = "en"
LANGUAGES = [("pt-br", _("Portuguese")), ("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Sao_Paulo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is set (shared by every process), else local memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # django-redis: https://github.com/jazzband/django-redis#memcached-exceptions-behavior
    # Redis down = an empty cache (IGNORE_EXCEPTIONS, as memcached behaves), so pages and
    # occurrences keep working meanwhile; /health/ reports Redis as unavailable.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions: server-side rows read through the cache (Django's cached_db, write-through), so a request
# costs a cache GET instead of a query, and logout or a flush deletes both. On Redis every process
# shares them; on the embedded default (local memory) there is one web process. Redis down = read
# from the database. Cached copies live 5 minutes at most (core/sessions.py): a logout during a Redis
# outage cannot delete the copy, which could otherwise live again when Redis is back.
# https://docs.djangoproject.com/en/5.2/topics/http/sessions/#using-cached-sessions
SESSION_ENGINE = "core.sessions"

# Celery: https://docs.celeryq.dev/en/stable/userguide/configuration.html
# No broker configured => tasks run in-process (embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or env("CELERY_BROKER_URL", default=""))
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A dead broker must not hang a request: fail fast, the outbox keeps the row PENDING.
# The socket timeouts also cover a broker that accepts connections but never answers.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    "socket_keepalive": True,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "outbound-email-dispatch-pending": {
        "task": "outbox.tasks.email_dispatch_pending_task",
        "schedule": env.float("OUTBOX_DISPATCH_EVERY", default=30.0),
    },
    "occurrence-emails-dispatch-pending": {
        "task": "occurrences.tasks.occurrence_emails_dispatch_stale_task",
        "schedule": env.float("OUTBOX_DISPATCH_EVERY", default=30.0),
    },
    # Absences that have begun: their substitutes get copies of the pending approval requests.
    "approvals-absence-copies-due": {
        "task": "approvals.tasks.absence_copies_due",
        "schedule": env.float("OUTBOX_DISPATCH_EVERY", default=30.0),
    },
    # Notifications with "Notify by e-mail" whose publication starts later (or whose task was lost).
    "notification-emails-dispatch-due": {
        "task": "notifications.tasks.notification_emails_dispatch_due",
        "schedule": env.float("OUTBOX_DISPATCH_EVERY", default=30.0),
    },
}
# The Knowledge Portal's review warnings (parameter 78) and search log purge (parameter 359); both are
# idempotent, so running them hourly only makes a missed night harmless.
CELERY_BEAT_SCHEDULE["knowledge-review-warnings"] = {
    "task": "knowledge.tasks.review_warnings_task",
    "schedule": env.float("KNOWLEDGE_DAILY_EVERY", default=3600.0),
}
CELERY_BEAT_SCHEDULE["knowledge-search-log-purge"] = {
    "task": "knowledge.tasks.search_log_purge_task",
    "schedule": env.float("KNOWLEDGE_DAILY_EVERY", default=3600.0),
}
# Webhooks (webhooks/services.py): deliveries whose attempt is overdue (lost task) are enqueued again.
CELERY_BEAT_SCHEDULE["webhook-deliveries-dispatch-pending"] = {
    "task": "webhooks.tasks.webhook_dispatch_pending_task",
    "schedule": env.float("OUTBOX_DISPATCH_EVERY", default=30.0),
}
# Only https:// targets (set False only for development against a local receiver); loopback is
# refused everywhere but in the tests (smartportal/settings/worker_test.py and the settings fixture).
WEBHOOKS_HTTPS_ONLY = env.bool("WEBHOOKS_HTTPS_ONLY", default=True)
WEBHOOKS_ALLOW_LOOPBACK = False
WEBHOOKS_CONNECT_TIMEOUT = env.float("WEBHOOKS_CONNECT_TIMEOUT", default=3.0)
WEBHOOKS_READ_TIMEOUT = env.float("WEBHOOKS_READ_TIMEOUT", default=10.0)
# Attempts per delivery (backoff doubling from the base up to the cap) before FAILED; "Resend" in the admin.
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=15)
WEBHOOKS_RETRY_BACKOFF_BASE = env.float("WEBHOOKS_RETRY_BACKOFF_BASE", default=10.0)
WEBHOOKS_RETRY_BACKOFF_MAX = env.float("WEBHOOKS_RETRY_BACKOFF_MAX", default=3600.0)
WEBHOOKS_SENDING_STUCK_AFTER_SECONDS = env.int("WEBHOOKS_SENDING_STUCK_AFTER_SECONDS", default=600)
# Rows PENDING for longer than this are re-enqueued by the beat task.
OUTBOX_STALE_AFTER_SECONDS = env.int("OUTBOX_STALE_AFTER_SECONDS", default=60)
# Attempts per e-mail (backoff 1 s, 2 s, 4 s … capped) before it is FAILED; "Send again" in the admin.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BACKOFF_MAX = env.int("OUTBOX_RETRY_BACKOFF_MAX", default=300)
# Rows SENDING for longer than this (worker killed mid-send) return to PENDING. Well above
# CELERY_TASK_TIME_LIMIT, so a send in progress is never taken back.
OUTBOX_SENDING_STUCK_AFTER_SECONDS = env.int("OUTBOX_SENDING_STUCK_AFTER_SECONDS", default=600)
# After a failed publish the web side stops publishing for this long (rows wait PENDING for the
# beat task), so a dead broker costs one request one timeout, not every request every e-mail.
OUTBOX_BROKER_RETRY_AFTER_SECONDS = env.int("OUTBOX_BROKER_RETRY_AFTER_SECONDS", default=15)

# Web Push (push/, README "Push notifications"): off unless the three VAPID values are set. Generate
# the keys with `manage.py push_vapid_keys`; VAPID_SUBJECT is a mailto: or https: address the push
# services may contact. https://datatracker.ietf.org/doc/html/rfc8292
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default="")
# Seconds to wait for a push service; how long it keeps a push for a device that is offline (TTL).
PUSH_TIMEOUT = env.int("PUSH_TIMEOUT", default=10)
PUSH_TTL = env.int("PUSH_TTL", default=86400)
# The push services a subscription may point at (the host or a subdomain of it): Chromium-based
# browsers (FCM), Firefox, Safari, Edge. The worker posts nowhere else.
PUSH_ENDPOINT_HOSTS = env.list(
    "PUSH_ENDPOINT_HOSTS",
    default=[
        "fcm.googleapis.com",
        "android.googleapis.com",
        "push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)
# Devices per user; the oldest is removed when one more turns push on.
PUSH_MAX_DEVICES = env.int("PUSH_MAX_DEVICES", default=10)
# Pushes left PENDING (broker down, retry lost) or stuck SENDING: the same sweep as the e-mails'.
CELERY_BEAT_SCHEDULE["push-dispatch-pending"] = {
    "task": "push.tasks.push_dispatch_pending_task",
    "schedule": env.float("OUTBOX_DISPATCH_EVERY", default=30.0),
}

# Lifetime of the personal approval link e-mailed to approvers when parameter 370 = Y
# (approvals/services.py); a used or expired link explains itself and decides nothing.
APPROVAL_LINK_MINUTES = env.int("APPROVAL_LINK_MINUTES", default=50)

# Mail: EMAIL_URL (smtp://user:pass@host:port) or files under var/mail/.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Smart Portal <no-reply@smartportal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Receiving e-mail (inbound/, README "Receiving e-mail"): off unless both INBOUND_IMAP_URL
# (imaps://user:password@host:993/INBOX; imap:// only on loopback) and INBOUND_ADDRESS are set.
INBOUND_IMAP_URL = env("INBOUND_IMAP_URL", default="")
INBOUND_ADDRESS = env("INBOUND_ADDRESS", default="")
INBOUND_PROCESSED_FOLDER = env("INBOUND_PROCESSED_FOLDER", default="Processed")
INBOUND_REJECTED_FOLDER = env("INBOUND_REJECTED_FOLDER", default="Rejected")
INBOUND_THROTTLE_PER_MINUTE = env.int("INBOUND_THROTTLE_PER_MINUTE", default=20)
INBOUND_BATCH = env.int("INBOUND_BATCH", default=100)
INBOUND_TIMEOUT = env.int("INBOUND_TIMEOUT", default=30)
# OAuth2 (INBOUND_IMAP_URL with ?auth=xoauth2 or ?auth=oauthbearer): where the access token comes from
# (inbound/oauth.py): a token endpoint the portal asks itself, or a token set by other tooling.
INBOUND_OAUTH2_TOKEN_URL = env("INBOUND_OAUTH2_TOKEN_URL", default="")
INBOUND_OAUTH2_CLIENT_ID = env("INBOUND_OAUTH2_CLIENT_ID", default="")
INBOUND_OAUTH2_CLIENT_SECRET = env("INBOUND_OAUTH2_CLIENT_SECRET", default="")
INBOUND_OAUTH2_SCOPE = env("INBOUND_OAUTH2_SCOPE", default="")
INBOUND_OAUTH2_REFRESH_TOKEN = env("INBOUND_OAUTH2_REFRESH_TOKEN", default="")
INBOUND_OAUTH2_ACCESS_TOKEN = env("INBOUND_OAUTH2_ACCESS_TOKEN", default="")
# The auto-reply to unknown senders (parameter 205): at most one per sender in this many hours.
INBOUND_AUTO_REPLY_HOURS = env.int("INBOUND_AUTO_REPLY_HOURS", default=24)
CELERY_BEAT_SCHEDULE["inbound-mail-read"] = {
    "task": "inbound.tasks.mail_read_task",
    "schedule": env.float("INBOUND_READ_EVERY", default=60.0),
}

# Content-Security-Policy (django-csp 4, https://django-csp.readthedocs.io/en/latest/configuration.html):
# scripts only from our own static files, never inline. Inline styles stay allowed (a few admin
# screens use <style> blocks; style cannot run code).
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Chat (chat/): the browser-facing address of the events process (deploy/events.sh, uvicorn serving
# chat.stream over Redis pub/sub), e.g. http://localhost:8001. Empty: chat pages poll the web
# process instead (the embedded default). Its origin is allowed in connect-src, and the events
# process answers the portal's origin (SITE_URL) with CORS credentials.
CHAT_EVENTS_URL = env("CHAT_EVENTS_URL", default="").rstrip("/")
if CHAT_EVENTS_URL:
    from urllib.parse import urlsplit

    _events = urlsplit(CHAT_EVENTS_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(f"{_events.scheme}://{_events.netloc}")

# One way to draw a form field: templates/includes/_field.html (docs/architecture.md, "Presentation").
FORM_RENDERER = "core.forms.PortalFormRenderer"

# Flash messages travel in a signed cookie (falling back to the session when too big): a POST
# that confirms with a message ("Occurrence registered.") then writes no session row.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Link of the "Docs" element of the portal shell (docs/domain.md, element 3).
DOCS_URL = env("DOCS_URL", default="/docs/")

# Public campaigns (no login): answers accepted per client address, per campaign and clock hour,
# besides the signed cookie that marks a browser as having answered (docs/campaigns.md).
CAMPAIGN_PUBLIC_ANSWERS_PER_HOUR = env.int("CAMPAIGN_PUBLIC_ANSWERS_PER_HOUR", default=20)

# The REST API (api/, README "API"): the same services as the pages, personal tokens stored hashed
# (api.authentication), one error shape (api.exceptions), keyset pages (api.pagination).
# https://www.django-rest-framework.org/api-guide/settings/
API_THROTTLE_RATE = env("API_THROTTLE_RATE", default="120/min")
API_PAGE_SIZE_MAX = 100
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserOrTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html: Swagger UI and Redoc from the
# sidecar's static files (no CDN); the Swagger UI's settings come from a script URL, not inline (CSP).
SPECTACULAR_SETTINGS = {
    "TITLE": "Smart Portal API",
    "DESCRIPTION": 'The portal\'s services for requesters, approvers and integrations (README, "API").',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # ``<id:…>`` (core/converters.py): a positive 64-bit integer
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Identity (identity/, docs/identity.md): django-allauth's login, password reset, sign-up,
# multi-factor (TOTP, recovery codes, passkeys) and user sessions, in the portal's look. The URL name
# "login" stays the portal's login page (allauth's LoginView, accounts/urls.py); django-axes still
# counts every password check (allauth authenticates through django.contrib.auth.authenticate).
# https://docs.allauth.org/en/latest/account/configuration.html
INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "identity",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "allauth.account.middleware.AccountMiddleware"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "identity.middleware.SessionPolicyMiddleware"
)
# allauth logs a user in without a password (a passkey, a verified e-mail) through its own backend.
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "identity.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "identity.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
# Accounts are not unique per address: two people with one address at two identity providers are
# two accounts (each keyed by its provider's ``sub``), never linked by e-mail.
ACCOUNT_UNIQUE_EMAIL = False
# Mandatory for the accounts that signed up (identity.stages: an account an administrator created has
# no allauth e-mail address row and logs in as before).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 2
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset asked for an unknown address e-mails no one
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Smart Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Throttles per address and per account (allauth's rate limits, on the cache).
ACCOUNT_RATE_LIMITS = {
    "reset_password": "10/m/ip,3/h/key",  # the key is the address typed
    "reset_password_from_key": "20/m/ip",
    "signup": "10/h/ip",
    "confirm_email": "1/180s/key",
    "login_failed": False,  # django-axes is the one login throttle (AXES_FAILURE_LIMIT)
    # allauth's default (30 logins a minute per address) would lock out a whole office behind one
    # NAT address at nine o'clock; failures are what is throttled, by django-axes, per name and address.
    "login": False,
}
# A reset link works once (the token hashes the password) and for this many seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Smart Portal"
MFA_ADAPTER = "identity.adapter.MFAAdapter"
# Passkeys need a secure origin; http://localhost counts as one for browsers (make run, the tests).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not SITE_URL.startswith("https")
USERSESSIONS_TRACK_ACTIVITY = False  # the session row is written at login, not on every request
# The longest a session lives after its login, whatever the activity (the idle timeout is parameter 449).
SESSION_ABSOLUTE_HOURS = env.float("SESSION_ABSOLUTE_HOURS", default=12.0)
# OpenID Connect (allauth's openid_connect provider; "Log in with <OIDC_NAME>" when parameter 403 = Y):
# authorization code with PKCE and state (allauth), a nonce sent and checked (identity/oidc.py); users
# keyed by the provider's sub; logging out ends the provider's session where it offers one.
# https://docs.allauth.org/en/latest/socialaccount/providers/openid_connect.html
SOCIALACCOUNT_ADAPTER = "identity.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never log into an existing account by its address
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider vouches for its users
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button posts (CSRF)
SOCIALACCOUNT_STORE_TOKENS = False
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_GROUP_MAP = env("OIDC_GROUP_MAP", default="")  # "claim value=portal group name;…"
SOCIALACCOUNT_PROVIDERS: dict = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}
if OIDC_ISSUER:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": "oidc",
            "name": env("OIDC_NAME", default="OpenID Connect"),
            "client_id": env("OIDC_CLIENT_ID", default=""),
            "secret": env("OIDC_CLIENT_SECRET", default=""),
            "settings": {
                "server_url": OIDC_ISSUER,
                "oauth_pkce_enabled": True,
                "groups_claim": OIDC_GROUPS_CLAIM,
                "group_map": OIDC_GROUP_MAP,
            },
        }
    )

# SAML 2.0 (allauth's saml provider, python3-saml): "Log in with <SAML_NAME>" when parameter 403 = Y.
# The IdP from its metadata, at a URL (SAML_IDP_METADATA_URL) or in a file (SAML_IDP_METADATA_FILE);
# assertions must be signed by the IdP's certificate (wantAssertionsSigned), an IdP-initiated login is
# refused (no matching request), and the user is keyed by the NameID (or subject-id). docs/identity.md
# https://docs.allauth.org/en/latest/socialaccount/providers/saml.html
SAML_IDP_METADATA_URL = env("SAML_IDP_METADATA_URL", default="")
SAML_IDP_METADATA_FILE = env("SAML_IDP_METADATA_FILE", default="")
SAML_GROUPS_ATTRIBUTE = env("SAML_GROUPS_ATTRIBUTE", default="groups")
SAML_GROUP_MAP = env("SAML_GROUP_MAP", default="")  # "attribute value=portal group name;…"
SOCIALACCOUNT_PROVIDERS["saml"] = {"APPS": []}
if SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE:
    from identity.saml import saml_app_settings

    SOCIALACCOUNT_PROVIDERS["saml"]["APPS"].append(
        {
            "name": env("SAML_NAME", default="SAML"),
            "client_id": "idp",  # the URL's slug: /accounts/saml/idp/acs/, …/metadata/
            "settings": saml_app_settings(
                metadata_url=SAML_IDP_METADATA_URL,
                metadata_file=SAML_IDP_METADATA_FILE,
                sp_entity_id=env(
                    "SAML_SP_ENTITY_ID", default=f"{SITE_URL.rstrip('/')}/accounts/saml/idp/metadata/"
                ),
                groups_attribute=SAML_GROUPS_ATTRIBUTE,
                group_map=SAML_GROUP_MAP,
            ),
        }
    )
