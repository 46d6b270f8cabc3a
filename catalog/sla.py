"""Business-time arithmetic on a contract's calendar.

Times are aware datetimes; the calendar's hours are read in the project's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

MAX_DAYS_SCANNED = 3660  # a calendar without working periods would loop forever


@dataclass(frozen=True)
class CalendarSpec:
    periods: dict[int, list[tuple[time, time]]]  # weekday -> [(start, end)]
    holidays: frozenset[date]

    @classmethod
    def from_calendar(cls, calendar) -> CalendarSpec:
        periods: dict[int, list[tuple[time, time]]] = {}
        for p in calendar.periods.all():
            periods.setdefault(p.weekday, []).append((p.start, p.end))
        for v in periods.values():
            v.sort()
        holidays = frozenset(calendar.holidays.values_list("date", flat=True))
        return cls(periods=periods, holidays=holidays)

    def day_periods(self, day: date, tz) -> list[tuple[datetime, datetime]]:
        if day in self.holidays:
            return []
        return [
            (
                timezone.make_aware(datetime.combine(day, s), tz),
                timezone.make_aware(datetime.combine(day, e), tz),
            )
            for s, e in self.periods.get(day.weekday(), [])
        ]


class CalendarError(ValueError):
    pass


def add_business_minutes(spec: CalendarSpec, start: datetime, minutes: float) -> datetime:
    """The instant ``minutes`` of business time after ``start`` (before it, when negative)."""
    if not spec.periods:
        raise CalendarError("calendar has no working periods")
    if minutes < 0:
        return subtract_business_minutes(spec, start, -minutes)
    tz = timezone.get_current_timezone()
    local = timezone.localtime(start, tz)
    remaining = timedelta(minutes=minutes)
    day = local.date()
    for _ in range(MAX_DAYS_SCANNED):
        for p_start, p_end in spec.day_periods(day, tz):
            begin = max(p_start, local)
            if begin >= p_end:
                continue
            available = p_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
    raise CalendarError("no working time found within ten years")


def subtract_business_minutes(spec: CalendarSpec, end: datetime, minutes: float) -> datetime:
    """The instant ``minutes`` of business time before ``end``.

    A suspended ticket that was already late keeps a negative balance; when it is reactivated
    its time limit must be that much business time in the past, not the next working minute.
    """
    if not spec.periods:
        raise CalendarError("calendar has no working periods")
    tz = timezone.get_current_timezone()
    local = timezone.localtime(end, tz)
    remaining = timedelta(minutes=minutes)
    day = local.date()
    for _ in range(MAX_DAYS_SCANNED):
        for p_start, p_end in reversed(spec.day_periods(day, tz)):
            finish = min(p_end, local)
            if finish <= p_start:
                continue
            available = finish - p_start
            if remaining <= available:
                return finish - remaining
            remaining -= available
        day -= timedelta(days=1)
    raise CalendarError("no working time found within ten years")


def business_minutes_between(spec: CalendarSpec, start: datetime, end: datetime) -> float:
    """Business minutes from ``start`` to ``end`` (negative when ``end`` is before ``start``)."""
    if end < start:
        return -business_minutes_between(spec, end, start)
    tz = timezone.get_current_timezone()
    s, e = timezone.localtime(start, tz), timezone.localtime(end, tz)
    total = timedelta()
    day = s.date()
    while day <= e.date():
        for p_start, p_end in spec.day_periods(day, tz):
            lo, hi = max(p_start, s), min(p_end, e)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 60
