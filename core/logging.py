"""One line per event on stdout: a JSON object per log record (production settings).

Every record carries ``ts``, ``level``, ``logger``, ``event`` (the message) and ``pid``; the ``extra`` a call
passes (``logger.info("request", extra={"path": …})``) becomes more keys, and a traceback is kept
in ``exc`` as one escaped string, so a log line is always one line.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            "pid": record.process,  # which gunicorn or Celery worker process wrote it
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in line:
                line[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def logging_config(level: str = "INFO") -> dict:
    """The ``LOGGING`` of production: JSON lines on stdout for Django, gunicorn and Celery."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # Our request line replaces Django's own warnings for 4xx (one line per request).
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
            "gunicorn.error": {"handlers": ["stdout"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": [], "level": "ERROR", "propagate": False},
        },
    }
