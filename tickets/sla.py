"""SLA of a ticket: deadline from the time of attendance on the contract's calendar."""

from __future__ import annotations

from datetime import datetime

from catalog.models import AttendanceTime
from catalog.sla import CalendarSpec, add_business_minutes, business_minutes_between

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
    """(time_limit, sla_warning_at) for ``total_minutes`` of SLA, ``remaining`` of them left at ``start``."""
    remaining = total_minutes if remaining is None else remaining
    used = total_minutes - remaining
    warn_after = max(total_minutes * WARNING_FRACTION - used, 0)
    return add_business_minutes(spec, start, remaining), add_business_minutes(spec, start, warn_after)


def remaining_minutes(*, spec: CalendarSpec, now: datetime, time_limit: datetime) -> float:
    return business_minutes_between(spec, now, time_limit)
