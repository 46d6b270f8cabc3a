"""Parallel wrong passwords against a real server on PostgreSQL (issue 11): every failure counted,
no 5xx, the account locked past AXES_FAILURE_LIMIT, also for the right password."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from .helpers import BURSTS, PER_BURST, assert_locked_even_with_the_right_password, burst_of_wrong_passwords

pytestmark = pytest.mark.timeout(600)


def test_parallel_wrong_passwords_lock_the_account_on_postgresql(portal_on_postgresql):
    from axes.models import AccessAttempt

    statuses = burst_of_wrong_passwords(portal_on_postgresql.base, "maria")
    assert set(statuses) <= {200, 429}, statuses
    failures = AccessAttempt.objects.filter(username="maria").aggregate(n=Sum("failures_since_start"))["n"]
    assert failures == BURSTS * PER_BURST
    assert_locked_even_with_the_right_password(portal_on_postgresql.base, "maria", "maria")
