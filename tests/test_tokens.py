"""Single-use link tokens (core.tokens) behind both e-mailed links: survey links and approval links
are one abstract model and one set of functions."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Approval, ApprovalToken
from approvals.services import approval_token_create, approval_token_lookup
from core.models import SingleUseToken
from core.tokens import token_consume, token_create, token_find, token_hash, token_lookup
from tests import factories
from tickets.models import SurveyToken
from tickets.services.feedback import survey_token_create, survey_token_lookup


@pytest.fixture
def joao(other_user):
    """``other_user``, a member of an approver group."""
    other_user.groups.add(factories.GroupFactory(name="Approvers"))
    return other_user


@pytest.fixture
def approval(user, service_desk, contract, joao):
    """The pending approval of a ticket of ``user`` awaiting joao's group."""
    activity = factories.ActivityFactory(
        name="VPN access", executor_group=service_desk, approver_group=joao.groups.get()
    )
    ticket = factories.open_ticket(requester=user, activity=activity, contract=contract, title="VPN")
    return Approval.objects.get(ticket=ticket)


def test_both_link_models_are_single_use_tokens():
    assert issubclass(SurveyToken, SingleUseToken)
    assert issubclass(ApprovalToken, SingleUseToken)
    for model in (SurveyToken, ApprovalToken):
        names = {f.name for f in model._meta.get_fields()}
        assert {"token_hash", "created_at", "expires_at", "used_at"} <= names
        assert model._meta.ordering == ["-created_at", "-id"]


def test_only_the_hash_is_stored(ticket):
    row, raw = survey_token_create(ticket=ticket)
    row.refresh_from_db()
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest() == token_hash(raw)
    assert raw not in {row.token_hash, str(row.pk)}
    assert len(raw) >= 43


def test_create_sets_the_lifetime_from_now(ticket):
    now = timezone.now()
    row, _raw = token_create(SurveyToken, ticket=ticket, lifetime=timedelta(hours=2), now=now)
    assert (row.created_at, row.expires_at, row.used_at) == (now, now + timedelta(hours=2), None)


def test_lookup_finds_only_an_unused_unexpired_token(ticket):
    now = timezone.now()
    row, raw = survey_token_create(ticket=ticket, now=now)
    assert survey_token_lookup(raw) == row
    assert token_lookup(SurveyToken.objects.all(), raw) == row
    assert survey_token_lookup(raw, now=row.expires_at) is None  # expired
    assert survey_token_lookup(raw + "x") is None
    assert survey_token_lookup("") is None
    assert survey_token_lookup("a" * 101) is None
    assert token_consume(row)
    assert survey_token_lookup(raw) is None  # used
    assert token_find(SurveyToken.objects.all(), raw) == row  # still found for a page that says why


def test_consume_is_once(ticket):
    row, _raw = survey_token_create(ticket=ticket)
    stale = SurveyToken.objects.get(pk=row.pk)
    assert token_consume(row) is True
    assert row.used_at is not None
    assert token_consume(stale) is False  # a second request holding the same row loses
    assert SurveyToken.objects.get(pk=row.pk).used_at == row.used_at


def test_approval_tokens_share_the_helpers(approval, joao, settings):
    now = timezone.now()
    row, raw = approval_token_create(approval=approval, approver=joao, now=now)
    assert row.expires_at == now + timedelta(minutes=settings.APPROVAL_LINK_MINUTES)
    assert row.token_hash == token_hash(raw)
    assert approval_token_lookup(raw) == row
    token_consume(row)
    found = approval_token_lookup(raw)  # used: still found (the page says "already used")
    assert found == row
    assert found.used_at is not None
    assert not found.is_usable()
    assert approval_token_lookup("") is None


def test_hashes_are_unique_across_many_tokens(ticket):
    raws = {survey_token_create(ticket=ticket)[1] for _ in range(20)}
    assert len(raws) == 20
    assert SurveyToken.objects.values("token_hash").distinct().count() == 20
