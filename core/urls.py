"""Absolute addresses for places outside a request (e-mails, links handed to other systems)."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``SITE_URL`` (settings, already without a trailing slash) joined to a path from ``reverse()``
    or ``get_absolute_url()``: the one place that builds a link an e-mail carries."""
    return settings.SITE_URL + path
