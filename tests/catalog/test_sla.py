"""Business-time arithmetic on a calendar (catalog/sla.py).

The calendar is the usual one: Monday to Friday, 08:00-12:00 and 13:00-18:00 (9 hours a day),
read in settings.TIME_ZONE (America/Sao_Paulo). 2025-03-14 is a Friday.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from catalog.models import Holiday
from catalog.sla import (
    CalendarError,
    CalendarSpec,
    add_business_minutes,
    business_minutes_between,
    subtract_business_minutes,
)
from tests.factories import CalendarFactory

TZ = ZoneInfo(settings.TIME_ZONE)
WEEK = {d: [(time(8), time(12)), (time(13), time(18))] for d in range(5)}


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=TZ)


def spec(*holidays: date) -> CalendarSpec:
    return CalendarSpec(periods=WEEK, holidays=frozenset(holidays))


def test_time_zone_is_sao_paulo():
    assert settings.TIME_ZONE == "America/Sao_Paulo"


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (at(10, 9), 60, at(10, 10)),  # inside one period
        (at(10, 11), 120, at(10, 14)),  # lunch break 12-13 does not count
        (at(10, 12, 30), 30, at(10, 13, 30)),  # starting during lunch counts from 13:00
        (at(10, 6), 30, at(10, 8, 30)),  # starting before the day counts from 08:00
        (at(10, 17), 120, at(11, 9)),  # across a night
        (at(14, 16), 240, at(17, 10)),  # P1 (4 h) opened Friday 16:00: 2 h Friday + 2 h Monday
        (at(15, 10), 60, at(17, 9)),  # opened on Saturday: counts from Monday 08:00
        (at(10, 8), 9 * 60, at(10, 18)),  # a whole day ends at 18:00, not next morning
        (at(10, 8), 5 * 9 * 60, at(14, 18)),  # a whole week
        (at(14, 16), 16 * 60, at(18, 14)),  # P3 (16 h): Fri 2 h + Mon 9 h + Tue 4 h + 1 h after lunch
    ],
)
def test_add_business_minutes(start, minutes, expected):
    assert add_business_minutes(spec(), start, minutes) == expected


def test_holiday_is_skipped():
    # Monday 2025-03-17 a holiday: Friday 16:00 + 4 h ends Tuesday 10:00.
    assert add_business_minutes(spec(date(2025, 3, 17)), at(14, 16), 240) == at(18, 10)


def test_consecutive_holidays_and_weekend():
    # Carnival 2025: Monday 3 and Tuesday 4 March.
    s = spec(date(2025, 3, 3), date(2025, 3, 4))
    assert add_business_minutes(s, at(28, 17, month=2), 120) == at(5, 9)


def test_start_given_in_utc_is_read_in_the_calendar_time_zone():
    utc = datetime(2025, 3, 14, 19, 0, tzinfo=ZoneInfo("UTC"))  # = Friday 16:00 in São Paulo
    result = add_business_minutes(spec(), utc, 240)
    assert result == at(17, 10)
    assert result.tzinfo is not None


def test_business_minutes_between_skips_nights_lunch_and_weekends():
    s = spec()
    assert business_minutes_between(s, at(14, 16), at(17, 10)) == 240
    assert business_minutes_between(s, at(10, 11), at(10, 14)) == 120
    assert business_minutes_between(s, at(10, 12, 10), at(10, 12, 50)) == 0
    assert business_minutes_between(s, at(15, 9), at(16, 17)) == 0  # a weekend
    assert business_minutes_between(s, at(17, 10), at(14, 16)) == -240


def test_business_minutes_between_skips_holidays():
    assert business_minutes_between(spec(date(2025, 3, 17)), at(14, 16), at(18, 10)) == 240


@pytest.mark.parametrize(
    ("end", "minutes", "expected"),
    [
        (at(17, 10), 240, at(14, 16)),
        (at(10, 14), 120, at(10, 11)),
        (at(17, 7), 60, at(14, 17)),  # before Monday's start: counts back from Friday 18:00
        (at(10, 18), 9 * 60, at(10, 8)),
    ],
)
def test_subtract_business_minutes(end, minutes, expected):
    assert subtract_business_minutes(spec(), end, minutes) == expected


def test_negative_minutes_go_back_in_business_time():
    assert add_business_minutes(spec(), at(17, 10), -240) == at(14, 16)


@pytest.mark.parametrize("minutes", [1, 59, 240, 541, 2000])
def test_add_then_measure_round_trips(minutes):
    s = spec(date(2025, 3, 19))
    for start in (at(10, 8), at(12, 12, 30), at(14, 17, 45), at(15, 11)):
        end = add_business_minutes(s, start, minutes)
        assert business_minutes_between(s, start, end) == pytest.approx(minutes)


def test_calendar_without_working_periods_is_an_error():
    empty = CalendarSpec(periods={}, holidays=frozenset())
    with pytest.raises(CalendarError):
        add_business_minutes(empty, at(10, 9), 60)
    with pytest.raises(CalendarError):
        subtract_business_minutes(empty, at(10, 9), 60)


def test_spec_is_read_from_the_database(db):
    calendar = CalendarFactory()
    Holiday.objects.create(calendar=calendar, date=date(2025, 3, 17), name="Holiday")
    s = CalendarSpec.from_calendar(calendar)
    assert s.periods == WEEK
    assert s.holidays == frozenset({date(2025, 3, 17)})
    assert add_business_minutes(s, at(14, 16), 240) == at(18, 10)


def test_one_day_of_a_calendar():
    s = spec(date(2025, 3, 11))
    assert s.day_periods(date(2025, 3, 15), TZ) == []  # Saturday
    assert s.day_periods(date(2025, 3, 11), TZ) == []  # holiday
    assert s.day_periods(date(2025, 3, 10), TZ) == [(at(10, 8), at(10, 12)), (at(10, 13), at(10, 18))]
