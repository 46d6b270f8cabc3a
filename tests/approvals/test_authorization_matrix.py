"""Who gets what on every URL of ``approvals.urls`` (GET), generated from the URLconf: a new URL
without a row here fails ``test_every_url_has_a_row``.

Roles: anonymous, the requester (maria), a member of the approver group (joao), the substitute of
an absent member (during the absence), a staff attendant of the executor group, a superuser.

These rows are the approvals' part of the URL-wide matrix (tests/security/test_url_matrix.py), which
imports them and requests them as the roles this module does not have (another end user, an attendant
of another group, staff in no group)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import approvals.urls
from approvals.models import Absence
from tickets.services.attachments import attachment_add

ROLES = ("anonymous", "requester", "approver", "substitute", "attendant", "admin")


def _row(**codes):
    base = {
        "anonymous": 302,
        "requester": 404,
        "approver": 200,
        "substitute": 200,
        "attendant": 404,
        "admin": 404,
    }
    return {**base, **codes}


EXPECTED = {
    "approvals:list": _row(),
    "approvals:decide": _row(),
    "approvals:description": _row(),
    "approvals:attachments": _row(),
    "approvals:attachment-download": _row(),
    "approvals:occurrences": _row(),
    # the approver group and staff who may see the ticket (it waits in no attendant's queue yet)
    "approvals:history": _row(admin=200),
    # the token is the key: an unknown one explains itself to everyone (no login needed)
    "approvals:link": {role: 404 for role in ROLES},
    "approvals:absences": {**{role: 200 for role in ROLES}, "anonymous": 302},
    # POST only
    "approvals:absence-end": {**{role: 405 for role in ROLES}, "anonymous": 302},
}


def test_every_url_has_a_row():
    names = {f"approvals:{p.name}" for p in approvals.urls.urlpatterns}
    assert names == set(EXPECTED)


@pytest.fixture
def world(awaiting, user, joao, substitute, attendant, admin_user, set_param):
    set_param(298, True)
    now = timezone.now()
    Absence.objects.create(
        user=joao, substitute=substitute, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    attachment = attachment_add(
        ticket=awaiting, file=SimpleUploadedFile("quote.pdf", b"%PDF-1.4 quote"), actor=user
    )
    absence = Absence.objects.get()
    return {
        "ticket": awaiting,
        "attachment": attachment,
        "absence": absence,
        "users": {
            "requester": user,
            "approver": joao,
            "substitute": substitute,
            "attendant": attendant,
            "admin": admin_user,
        },
    }


def _url(name, world):
    t = world["ticket"]
    kwargs = {
        "approvals:list": {},
        "approvals:absences": {},
        "approvals:link": {"token": "not-a-token"},
        "approvals:absence-end": {"pk": world["absence"].pk},
        "approvals:attachment-download": {"pk": t.pk, "attachment_pk": world["attachment"].pk},
    }.get(name, {"pk": t.pk})
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    for name, codes in EXPECTED.items():
        response = client.get(_url(name, world))
        assert response.status_code == codes[role], (name, role, response.status_code)
