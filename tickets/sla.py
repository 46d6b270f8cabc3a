"""SLA of a ticket: deadline from the time of attendance on the contract's calendar."""

from __future__ import annotations

import logging
from datetime import datetime

from catalog.models import AttendanceTime
from catalog.sla import CalendarError, CalendarSpec, add_business_minutes, business_minutes_between

logger = logging.getLogger(__name__)

WARNING_FRACTION = 0.8  # "To expire" when less than 20% of the allowed time is left (docs/domain.md)


def resolution_minutes(*, activity, contract, priority: int) -> int | None:
    toa_id = activity.time_of_attendance_id or contract.time_of_attendance_id
    return (
        AttendanceTime.objects.filter(time_of_attendance_id=toa_id, priority=priority)
        .values_list("resolution_minutes", flat=True)
        .first()
    )


def calendar_spec(contract) -> CalendarSpec:
    return CalendarSpec.from_calendar(contract.calendar)


def deadline(*, spec: CalendarSpec, start: datetime, total_minutes: float, remaining: float | None = None):
    """(time_limit, sla_warning_at) for ``total_minutes`` of SLA, ``remaining`` of them left at ``start``;
    (None, None) when the contract's calendar has no working time (the admin refuses such a calendar,
    catalog/admin.py; one saved before that, or emptied by a bulk change, must not stop a request
    from opening: the ticket runs without a deadline, as one without an SLA, and the error is logged)."""
    remaining = total_minutes if remaining is None else remaining
    used = total_minutes - remaining
    warn_after = max(total_minutes * WARNING_FRACTION - used, 0)
    try:
        return add_business_minutes(spec, start, remaining), add_business_minutes(spec, start, warn_after)
    except CalendarError:
        logger.error("SLA deadline not set: the contract's calendar has no working time")
        return None, None


def remaining_minutes(*, spec: CalendarSpec, now: datetime, time_limit: datetime) -> float | None:
    """The business minutes left until ``time_limit``; None without working time (:func:`deadline`)."""
    try:
        return business_minutes_between(spec, now, time_limit)
    except CalendarError:
        logger.error("SLA remaining time unknown: the contract's calendar has no working time")
        return None
