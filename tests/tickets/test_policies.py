"""One policy per row action (My Requests): each visibility rule, and the action links as data."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from tickets import policies
from tickets.models import FINAL_SITUATIONS, Situation, Ticket

pytestmark = pytest.mark.django_db

ALL_POLICIES = [
    policies.can_view_description,
    policies.can_view_attachments,
    policies.can_view_occurrences,
    policies.can_register_occurrence,
    policies.can_cancel,
    policies.can_message,
    policies.can_register_opinion,
    policies.can_answer_survey,
    policies.can_reopen,
]


def make(user, situation=Situation.IN_PROGRESS, **fields) -> Ticket:
    """An unsaved ticket: the policies read loaded fields only."""
    return Ticket(requester_id=user.pk, situation=situation, **fields)


@pytest.fixture
def everything_on(set_param):
    for number in (252, 298, 299, 302):
        set_param(number, True)


@pytest.mark.parametrize("policy", ALL_POLICIES)
def test_nothing_allowed_on_another_users_ticket(policy, user, other_user, everything_on):
    closed_only = (policies.can_register_opinion, policies.can_answer_survey, policies.can_reopen)
    situation = Situation.CLOSED if policy in closed_only else Situation.IN_PROGRESS
    t = make(other_user, situation, closed_at=timezone.now(), responsible_id=other_user.pk)
    assert policy(other_user, t) is True  # the owner may
    assert policy(user, t) is False
    assert policy(AnonymousUser(), t) is False


def test_description_and_attachments_always(user):
    for situation in Situation.values:
        t = make(user, situation)
        assert policies.can_view_description(user, t)
        assert policies.can_view_attachments(user, t)


def test_occurrence_list_needs_parameter_298(user, set_param):
    t = make(user)
    assert not policies.can_view_occurrences(user, t)
    set_param(298, True)
    assert policies.can_view_occurrences(user, t)
    assert policies.can_view_occurrences(user, make(user, Situation.CLOSED))


def test_register_occurrence_needs_252_and_in_progress(user, set_param):
    assert not policies.can_register_occurrence(user, make(user))
    set_param(252, True)
    assert policies.can_register_occurrence(user, make(user))
    for situation in set(Situation.values) - {Situation.IN_PROGRESS}:
        assert not policies.can_register_occurrence(user, make(user, situation)), situation


def test_cancel_needs_302_and_a_ticket_that_is_not_final(user, set_param):
    assert not policies.can_cancel(user, make(user))
    set_param(302, True)
    for situation in Situation.values:
        assert policies.can_cancel(user, make(user, situation)) is (situation not in FINAL_SITUATIONS)


def test_message_needs_299_and_a_responsible(user, attendant, set_param):
    captured = make(user, responsible_id=attendant.pk)
    assert not policies.can_message(user, captured)
    set_param(299, True)
    assert policies.can_message(user, captured)
    assert not policies.can_message(user, make(user))


@pytest.mark.parametrize("policy", [policies.can_register_opinion, policies.can_answer_survey])
def test_opinion_and_survey_only_when_closed(policy, user):
    for situation in Situation.values:
        t = make(user, situation, closed_at=timezone.now())
        assert policy(user, t) is (situation == Situation.CLOSED)


def test_reopen_only_within_parameter_171_days_of_closing(user, set_param):
    now = timezone.now()
    assert policies.can_reopen(user, make(user, Situation.CLOSED, closed_at=now - timedelta(days=6)))
    assert not policies.can_reopen(user, make(user, Situation.CLOSED, closed_at=now - timedelta(days=8)))
    assert not policies.can_reopen(user, make(user, Situation.RESOLVED, closed_at=now))
    assert not policies.can_reopen(user, make(user, Situation.CLOSED, closed_at=None))
    set_param(171, 30)
    assert policies.can_reopen(user, make(user, Situation.CLOSED, closed_at=now - timedelta(days=8)))
    late = make(user, Situation.CLOSED, closed_at=now - timedelta(days=8))
    assert not policies.can_reopen(user, late, now=now + timedelta(days=23))


def test_policies_make_no_queries(user, set_param, django_assert_num_queries):
    from parameters.accessors import snapshot_scope

    set_param(252, True)
    t = make(user, responsible_id=user.pk, closed_at=timezone.now())
    with snapshot_scope():  # as in a request: the parameters are read once
        policies.can_cancel(user, t)
        with django_assert_num_queries(0):
            for policy in ALL_POLICIES:
                policy(user, t)


def test_every_row_action_has_a_page_and_an_icon():
    keys = [a.key for a in policies.ROW_ACTIONS]
    for a in policies.ROW_ACTIONS:
        assert reverse(a.url_name, kwargs={"pk": 1})
        assert re.fullmatch(r"[a-z0-9-]+", a.icon)
    assert keys == [
        "register-opinion",
        "reopen",
        "survey",
        "description",
        "attachments",
        "occurrences",
        "register-occurrence",
        "cancel",
        "message",
    ]
    with translation.override("en"):
        labels = [str(a.label) for a in policies.ROW_ACTIONS]
    assert labels == [
        "Register opinion",
        "Reopen service request",
        "Satisfaction Survey",
        "Description",
        "Attachments",
        "Occurrence",
        "Register occurrence",
        "Cancel Request",
        "Message",
    ]


def test_ticket_actions_are_data_decided_by_the_policies(user, set_param):
    set_param(252, True)
    t = make(user, Situation.IN_PROGRESS, id=123)
    with translation.override("en"):
        links = policies.ticket_actions(user, t, list_query="situation=in_progress", exclude=("description",))
    assert [(a.key, a.label, a.icon) for a in links] == [
        ("attachments", "Attachments", "paperclip"),
        ("register-occurrence", "Register occurrence", "plus-lg"),
    ]
    assert links[1].url == f"/my-requests/{t.pk}/occurrences/new/?next=situation%3Din_progress"
    assert (links[0].primary, links[1].primary) == (False, True)  # "+": a button of its own
    other = policies.TicketActions(AnonymousUser()).for_ticket(t)
    assert other == []
