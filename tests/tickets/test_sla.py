"""A ticket's SLA: time limit on the contract's calendar, paused while suspended, and the SLA
status computed in the database so lists can filter and sort by it.

Calendar: Monday to Friday 08:00-12:00 and 13:00-18:00; resolution P1 4 h, P2 8 h, P3 16 h,
P4 24 h, P5 40 h (tests/factories.py). 2025-03-14 is a Friday; times in America/Sao_Paulo.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from catalog.models import Holiday
from catalog.sla import CalendarSpec, add_business_minutes, business_minutes_between
from tests import factories
from tickets.models import Situation, SlaStatus, Ticket
from tickets.services import transitions as ts

TZ = ZoneInfo(settings.TIME_ZONE)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def open_at(user, activity, contract):
    def _open(when, priority=1, **kw):
        return factories.open_ticket(
            requester=user, activity=activity, contract=contract, priority=priority, now=when, **kw
        )

    return _open


def sla_of(ticket, now):
    return Ticket.objects.with_sla_status(now=now).get(pk=ticket.pk).sla_status


# --- time limit -------------------------------------------------------------------------------


def test_p1_opened_friday_afternoon_is_due_monday_morning(open_at):
    t = open_at(at(14, 16), priority=1)
    assert t.sla_minutes == 240
    assert t.time_limit == at(17, 10)  # Friday 16-18 (2 h) + Monday 08-10 (2 h)
    assert t.sla_warning_at == at(17, 9, 12)  # 80 % of 240 min = 192 min used


def test_time_limit_skips_lunch(open_at):
    assert open_at(at(10, 11), priority=1).time_limit == at(10, 16)  # 11-12, 13-16


def test_time_limit_skips_holidays(open_at, contract):
    Holiday.objects.create(calendar=contract.calendar, date=date(2025, 3, 17), name="Holiday")
    assert open_at(at(14, 16), priority=1).time_limit == at(18, 10)


@pytest.mark.parametrize(
    ("priority", "expected"),
    [
        (1, at(17, 10)),
        (2, at(17, 15)),
        (3, at(18, 14)),
        (4, at(19, 12)),
        (5, at(21, 10)),
    ],
)
def test_each_priority_has_its_resolution_time(open_at, priority, expected):
    assert open_at(at(14, 16), priority=priority).time_limit == expected


def test_activity_time_of_attendance_overrides_the_contracts(user, contract, service_desk):
    fast = factories.TimeOfAttendanceFactory(times={1: 1})
    activity = factories.ActivityFactory(executor_group=service_desk, time_of_attendance=fast)
    t = factories.open_ticket(
        requester=user, activity=activity, contract=contract, priority=1, now=at(14, 16)
    )
    assert t.time_limit == at(14, 17)


def test_priority_without_resolution_time_has_no_time_limit(user, service_desk):
    contract = factories.ContractFactory(time_of_attendance=factories.TimeOfAttendanceFactory(times={1: 4}))
    activity = factories.ActivityFactory(executor_group=service_desk)
    t = factories.open_ticket(
        requester=user, activity=activity, contract=contract, priority=3, now=at(14, 16)
    )
    assert t.sla_minutes is None
    assert t.time_limit is None
    assert sla_of(t, at(28, 9)) == SlaStatus.ON_TIME


# --- suspension -----------------------------------------------------------------------------


def test_suspension_over_a_weekend_pushes_the_deadline_by_the_business_time_elapsed(open_at, attendant):
    t = open_at(at(14, 16), priority=1)  # due Monday 10:00
    ts.ticket_capture(ticket=t, actor=attendant, now=at(14, 16, 10))
    ts.ticket_suspend(ticket=t, actor=attendant, justification="Waiting for the part.", now=at(14, 17))
    assert t.sla_remaining_minutes == 180
    assert sla_of(t, at(17, 11)) == SlaStatus.SUSPENDED  # past the old limit, but paused
    ts.ticket_reactivate(ticket=t, actor=attendant, now=at(17, 8))
    t.refresh_from_db()
    assert t.situation == Situation.IN_PROGRESS
    assert t.time_limit == at(17, 11)  # pushed by Friday 17-18: one business hour
    assert t.sla_remaining_minutes is None
    assert t.suspended_at is None


def test_longer_suspension_pushes_by_exactly_the_business_minutes_suspended(open_at, attendant, contract):
    t = open_at(at(14, 16), priority=1)
    old_limit = t.time_limit
    ts.ticket_capture(ticket=t, actor=attendant, now=at(14, 16, 5))
    ts.ticket_suspend(ticket=t, actor=attendant, justification="Supplier.", now=at(14, 17))
    ts.ticket_reactivate(ticket=t, actor=attendant, now=at(18, 9))
    t.refresh_from_db()
    spec = CalendarSpec.from_calendar(contract.calendar)
    paused = business_minutes_between(spec, at(14, 17), at(18, 9))
    assert paused == 60 + 540 + 60
    assert t.time_limit == add_business_minutes(spec, old_limit, paused) == at(18, 12)
    assert sla_of(t, at(18, 9)) == SlaStatus.ON_TIME


def test_a_late_ticket_suspended_and_reactivated_stays_late(open_at, attendant):
    t = open_at(at(10, 8), priority=1)  # due Monday 12:00
    ts.ticket_capture(ticket=t, actor=attendant, now=at(10, 8, 30))
    ts.ticket_suspend(ticket=t, actor=attendant, justification="Waiting.", now=at(10, 15))
    assert t.sla_remaining_minutes == -120  # 13:00-15:00 past the limit
    ts.ticket_reactivate(ticket=t, actor=attendant, now=at(11, 9))
    t.refresh_from_db()
    assert t.time_limit == at(10, 17)  # two business hours before Tuesday 09:00
    assert sla_of(t, at(11, 9)) == SlaStatus.EXPIRED


def test_canceling_a_suspended_ticket_keeps_the_paused_clock(open_at, attendant):
    t = open_at(at(14, 16), priority=1)
    ts.ticket_capture(ticket=t, actor=attendant, now=at(14, 16, 5))
    ts.ticket_suspend(ticket=t, actor=attendant, justification="Waiting.", now=at(14, 17))
    ts.ticket_cancel(ticket=t, actor=attendant, reason="No longer needed.", now=at(18, 9))
    t.refresh_from_db()
    assert t.time_limit == at(18, 12)
    assert sla_of(t, at(25, 9)) == SlaStatus.ON_TIME  # canceled with 3 h left


def test_reopening_starts_a_new_time_limit(open_at, attendant, user, set_param):
    t = open_at(at(10, 8), priority=1)
    ts.ticket_capture(ticket=t, actor=attendant, now=at(10, 8, 5))
    ts.ticket_resolve(ticket=t, actor=attendant, solution="Done.", now=at(10, 9))
    ts.ticket_close(ticket=t, actor=user, now=at(10, 10))
    ts.ticket_reopen(ticket=t, actor=user, reason="Again.", now=at(11, 9))
    assert t.time_limit == at(11, 14)
    assert sla_of(t, at(11, 10)) == SlaStatus.ON_TIME


# --- SLA status in the database ------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(10, 9), SlaStatus.ON_TIME),
        (at(10, 11, 11), SlaStatus.ON_TIME),  # 191 of 240 minutes used
        (at(10, 11, 13), SlaStatus.TO_EXPIRE),  # less than 20 % left
        (at(10, 12, 0), SlaStatus.TO_EXPIRE),  # exactly at the limit: not late yet
        (at(10, 12, 1), SlaStatus.EXPIRED),
        (at(10, 12, 30), SlaStatus.EXPIRED),  # during lunch, after the limit
    ],
)
def test_sla_status_thresholds(open_at, now, expected):
    t = open_at(at(10, 8), priority=1)  # due 12:00, warning from 11:12
    assert sla_of(t, now) == expected


@pytest.fixture
def sla_tickets(open_at, attendant):
    """One ticket per SLA status, observed on Tuesday 2025-03-11 at 10:00."""
    on_time = open_at(at(10, 8), priority=5)  # 11 of 40 h used
    to_expire = open_at(at(10, 16, 30), priority=1)  # 210 of 240 min used
    expired = open_at(at(10, 8), priority=1)  # due Monday 12:00
    suspended = open_at(at(10, 8), priority=1)
    ts.ticket_capture(ticket=suspended, actor=attendant, now=at(10, 8, 10))
    ts.ticket_suspend(ticket=suspended, actor=attendant, justification="Waiting.", now=at(10, 11))
    resolved_on_time = open_at(at(10, 8), priority=2)  # due Monday 17:00
    ts.ticket_capture(ticket=resolved_on_time, actor=attendant, now=at(10, 8, 10))
    ts.ticket_resolve(ticket=resolved_on_time, actor=attendant, solution="Fixed.", now=at(10, 14))
    resolved_late = open_at(at(10, 8), priority=1)  # due Monday 12:00
    ts.ticket_capture(ticket=resolved_late, actor=attendant, now=at(10, 8, 10))
    ts.ticket_resolve(ticket=resolved_late, actor=attendant, solution="Fixed.", now=at(10, 15))
    return {
        "on_time": on_time,
        "to_expire": to_expire,
        "expired": expired,
        "suspended": suspended,
        "resolved_on_time": resolved_on_time,
        "resolved_late": resolved_late,
    }


NOW = at(11, 10)


def test_sla_status_of_each_ticket(sla_tickets):
    statuses = dict(Ticket.objects.with_sla_status(now=NOW).values_list("pk", "sla_status"))
    assert {name: statuses[t.pk] for name, t in sla_tickets.items()} == {
        "on_time": SlaStatus.ON_TIME,
        "to_expire": SlaStatus.TO_EXPIRE,
        "expired": SlaStatus.EXPIRED,
        "suspended": SlaStatus.SUSPENDED,
        "resolved_on_time": SlaStatus.ON_TIME,  # measured when it was resolved, not now
        "resolved_late": SlaStatus.EXPIRED,
    }


def test_filter_by_sla_status_in_the_database(sla_tickets, django_assert_num_queries):
    qs = Ticket.objects.with_sla_status(now=NOW)
    with django_assert_num_queries(1):
        expired = set(qs.filter(sla_status=SlaStatus.EXPIRED).values_list("pk", flat=True))
    assert expired == {sla_tickets["expired"].pk, sla_tickets["resolved_late"].pk}
    assert qs.filter(sla_status=SlaStatus.TO_EXPIRE).get().pk == sla_tickets["to_expire"].pk
    assert qs.exclude(sla_status__in=[SlaStatus.ON_TIME, SlaStatus.EXPIRED]).count() == 2


def test_order_by_sla_status_in_the_database(sla_tickets, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(
            Ticket.objects.with_sla_status(now=NOW)
            .order_by("-sla_rank", "pk")
            .values_list("sla_status", flat=True)
        )
    assert rows == [
        SlaStatus.SUSPENDED,
        SlaStatus.EXPIRED,
        SlaStatus.EXPIRED,
        SlaStatus.TO_EXPIRE,
        SlaStatus.ON_TIME,
        SlaStatus.ON_TIME,
    ]
    asc = list(
        Ticket.objects.with_sla_status(now=NOW).order_by("sla_rank", "pk").values_list("pk", flat=True)
    )
    assert asc[0] == sla_tickets["on_time"].pk
    assert asc[-1] == sla_tickets["suspended"].pk


def test_a_ticket_resolved_in_its_last_fifth_is_on_time_not_to_expire(open_at, attendant):
    t = open_at(at(10, 8), priority=1)  # due 12:00, warning from 11:12
    ts.ticket_capture(ticket=t, actor=attendant, now=at(10, 8, 5))
    ts.ticket_resolve(ticket=t, actor=attendant, solution="Fixed.", now=at(10, 11, 30))
    assert sla_of(t, at(11, 10)) == SlaStatus.ON_TIME


def test_a_calendar_without_working_time_opens_the_request_without_a_deadline(user, activity, caplog):
    """A calendar emptied outside the admin (which refuses it, below) must not stop a request from
    opening (tickets/sla.py): no deadline, as without an SLA, and the error logged."""
    empty = factories.CalendarFactory(name="Empty", periods=[])
    empty.periods.all().delete()
    contract = factories.ContractFactory(calendar=empty)
    ticket = factories.open_ticket(requester=user, activity=activity, contract=contract, now=at(14, 9))
    assert ticket.pk
    assert ticket.sla_minutes  # the SLA exists; its calendar has no time to count it in
    assert ticket.time_limit is None
    assert ticket.sla_warning_at is None
    assert "no working time" in caplog.text


def test_the_admin_refuses_a_calendar_without_working_periods(admin_client):
    from django.urls import reverse

    data = {
        "name": "No time",
        "periods-TOTAL_FORMS": "0",
        "periods-INITIAL_FORMS": "0",
        "holidays-TOTAL_FORMS": "0",
        "holidays-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:catalog_calendar_add"), data)
    assert response.status_code == 200
    assert "A calendar needs at least one working period." in response.content.decode()
    data.update(
        {
            "periods-TOTAL_FORMS": "1",
            "periods-0-weekday": "0",
            "periods-0-start": "08:00",
            "periods-0-end": "12:00",
        }
    )
    response = admin_client.post(reverse("admin:catalog_calendar_add"), data)
    assert response.status_code == 302
