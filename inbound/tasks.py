"""The beat task that reads the mailbox while parameter 200 is Y (read live: the registry)."""

from __future__ import annotations

import logging

from celery import shared_task

from parameters import registry as r
from parameters.accessors import param

logger = logging.getLogger(__name__)


@shared_task(name="inbound.tasks.mail_read_task", ignore_result=True)
def mail_read_task() -> int:
    """One pass; 0 when parameter 200 is N or inbound is not configured. A server that cannot be
    reached is logged: the next run reads what is waiting."""
    from .reader import READ_ERRORS, inbound_configured, mail_read

    if not param(r.INBOUND_READING) or not inbound_configured():
        return 0
    try:
        return mail_read().read
    except READ_ERRORS as exc:
        logger.warning(
            "inbound: the mailbox could not be read (%s: %s); next run retries", type(exc).__name__, exc
        )
        return 0
