"""Configuration defaults (README, "Configuration").

Each case imports the settings module in a fresh interpreter with a controlled environment, so
what is checked is what a process started with that environment really gets: no mocks.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

DUMP = """
import json, sys
import importlib
s = importlib.import_module(sys.argv[1])
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "DB_ENGINE": db["ENGINE"], "DB_NAME": str(db["NAME"]), "ATOMIC_REQUESTS": db.get("ATOMIC_REQUESTS"),
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS", False), "DB_OPTIONS": db.get("OPTIONS", {}),
    "MIDDLEWARE": s.MIDDLEWARE,
    "VAR_DIR": str(s.VAR_DIR),
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER, "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "CACHE_BACKEND": s.CACHES["default"]["BACKEND"], "CACHE_LOCATION": s.CACHES["default"].get("LOCATION"),
    "EMAIL_BACKEND": s.EMAIL_BACKEND, "EMAIL_FILE_PATH": str(getattr(s, "EMAIL_FILE_PATH", "")),
    "EMAIL_HOST": getattr(s, "EMAIL_HOST", None), "EMAIL_PORT": getattr(s, "EMAIL_PORT", None),
    "EMAIL_HOST_USER": getattr(s, "EMAIL_HOST_USER", None),
    "SECRET_KEY_SET": bool(s.SECRET_KEY), "SITE_URL": s.SITE_URL,
    "LANGUAGES": [code for code, _name in s.LANGUAGES], "TIME_ZONE": s.TIME_ZONE,
    "SESSION_ENGINE": getattr(s, "SESSION_ENGINE", "django.contrib.sessions.backends.db"),
}))
"""


@pytest.fixture(autouse=True)
def _no_dotenv():
    # base.py reads an optional .env; a developer's file would change the defaults under test.
    if (BASE_DIR / ".env").exists():
        pytest.skip("a .env file is present; the defaults cannot be checked")


def clean_env(**extra: str) -> dict[str, str]:
    """Only what a process needs to start Python, plus ``extra``: none of the runner's settings."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    env.update(extra)
    return env


def load(module: str = "smartportal.settings.base", **env: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", DUMP, module],
        cwd=BASE_DIR,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_defaults_need_no_environment_sqlite_under_var_tasks_in_process_mail_to_files():
    s = load()
    var = BASE_DIR / "var"
    assert s["VAR_DIR"] == str(var)
    # Django's own SQLite backend; requests are not atomic: the services own their transactions,
    # and each of those takes SQLite's write lock when it begins (transaction_mode IMMEDIATE).
    assert s["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert Path(s["DB_NAME"]).parent == var
    assert not s["ATOMIC_REQUESTS"]
    assert s["DB_OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20.0,
    }
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["CELERY_BROKER_URL"] == "memory://"
    assert s["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert s["EMAIL_FILE_PATH"] == str(var / "mail")
    assert s["SECRET_KEY_SET"] is True
    assert s["DEBUG"] is False
    assert s["LANGUAGES"] == ["pt-br", "en", "es"]
    assert s["TIME_ZONE"] == "America/Sao_Paulo"
    assert s["SESSION_ENGINE"] == "core.sessions"  # cached_db over local memory: one process


def test_dev_settings_keep_debug_off_unless_asked():
    # manage.py and make run: nobody reaching a developer's portal gets a debug page by default.
    assert load("smartportal.settings.dev")["DEBUG"] is False
    assert load("smartportal.settings.dev", DEBUG="1")["DEBUG"] is True


def test_redis_url_makes_tasks_go_through_the_broker_and_the_cache_shared():
    url = "redis://redis.internal:6379/0"
    s = load(REDIS_URL=url)
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["CELERY_BROKER_URL"] == url
    assert s["CACHE_BACKEND"] == "django_redis.cache.RedisCache"  # IGNORE_EXCEPTIONS: survives Redis down
    assert s["CACHE_LOCATION"] == url
    # Sessions are read through Redis (cached_db); a logout during a Redis outage cannot drop the
    # cached copy, so copies live 5 minutes at most (core/sessions.py).
    assert s["SESSION_ENGINE"] == "core.sessions"


def test_email_url_selects_smtp():
    s = load(EMAIL_URL="smtp://mailer:s3cret@mail.example.com:2525")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["EMAIL_HOST"] == "mail.example.com"
    assert s["EMAIL_PORT"] == 2525
    assert s["EMAIL_HOST_USER"] == "mailer"


def test_database_url_selects_postgresql_with_health_checks():
    s = load(DATABASE_URL="postgres://portal:pw@db.internal:5432/portal")
    assert s["DB_ENGINE"] == "django.db.backends.postgresql"
    assert s["DB_NAME"] == "portal"
    assert not s["ATOMIC_REQUESTS"]
    assert s["CONN_HEALTH_CHECKS"] is True
    assert s["DB_OPTIONS"]["options"] == "-c random_page_cost=1.1"


def test_the_planner_cost_of_a_random_read_can_be_set_or_left_to_the_url():
    assert load(DATABASE_URL="postgres://db/portal", DATABASE_RANDOM_PAGE_COST="2")["DB_OPTIONS"] == {
        "options": "-c random_page_cost=2.0"
    }
    own = load(DATABASE_URL="postgres://db/portal?options=-c%20work_mem%3D64MB")["DB_OPTIONS"]
    assert own["options"] == "-c work_mem=64MB"


def test_site_url_is_read_without_trailing_slash():
    assert load(SITE_URL="https://portal.example.com/")["SITE_URL"] == "https://portal.example.com"


def test_production_refuses_to_start_without_secret_key():
    proc = subprocess.run(
        [sys.executable, "-c", DUMP, "smartportal.settings.production"],
        cwd=BASE_DIR,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "SECRET_KEY" in proc.stderr
    assert "ImproperlyConfigured" in proc.stderr


def test_production_starts_with_secret_key():
    s = load("smartportal.settings.production", SECRET_KEY="x" * 60)
    assert s["DEBUG"] is False
    assert s["SECRET_KEY_SET"] is True


def test_production_passes_check_deploy():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="smartportal.settings.production",
        SECRET_KEY="a-long-random-looking-secret-key-for-the-deploy-check-0123456789abcdef",
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
