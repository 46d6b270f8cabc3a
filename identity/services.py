"""Identity's writes: account e-mails through the outbox, login events, ending a user's sessions."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from outbox.models import EmailTemplate
from outbox.services import email_queue

from .models import LoginEvent

if TYPE_CHECKING:
    from accounts.models import User

#: The one outbox template of the account e-mails: allauth's texts, rendered in the recipient's
#: language when queued, fill its two placeholders.
ACCOUNT_TEMPLATE_NAME = "Identity: account e-mail (password reset, address verification, security)"


def _account_template() -> EmailTemplate:
    template, _created = EmailTemplate.objects.get_or_create(
        name=ACCOUNT_TEMPLATE_NAME, defaults={"subject": "${SUBJECT}", "body": "${BODY}"}
    )
    return template


def email_language(user: User | None) -> str:
    """The recipient's preferred language, else the language of the page that caused the e-mail."""
    codes = {code for code, _name in settings.LANGUAGES}
    lang = (getattr(user, "preferred_language", "") if user is not None else "") or translation.get_language()
    return lang if lang in codes else settings.LANGUAGE_CODE


@transaction.atomic
def account_email_queue(
    *, template_prefix: str, address: str, context: dict[str, Any], user: User | None = None
) -> None:
    """Queue one of allauth's account e-mails (``<template_prefix>_subject.txt`` and
    ``_message.txt``) to ``address`` through the outbox, rendered in the recipient's language."""
    language = email_language(user)
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    email_queue(
        template=_account_template(),
        context={"SUBJECT": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, "BODY": body},
        idempotency_key=f"identity:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
        address=address,
        language=language,
    )


def login_event_record(
    *, request: HttpRequest | None, user: User | None, username: str, method: str, success: bool
) -> LoginEvent:
    """Keep one login attempt (one statement: its own transaction)."""
    meta = request.META if request is not None else {}
    return LoginEvent.objects.create(
        user=user,
        username=username[:255],
        method=method,
        ip=meta.get("REMOTE_ADDR") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        success=success,
    )


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of ``user`` that allauth tracks (all but ``keep_session_key``): the session
    rows and their cached copies are deleted, so the next request of each is anonymous."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        user_session.end()
        ended += 1
    return ended


def provider_claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    """An OpenID Connect login's claims: the ID token's, completed by the userinfo endpoint's."""
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


def group_map_parse(text: str) -> dict[str, str]:
    """``claim value=portal group name;…`` (OIDC_GROUP_MAP, or a provider's ``group_map`` setting)."""
    pairs = (item.split("=", 1) for item in (text or "").split(";") if "=" in item)
    return {value.strip(): name.strip() for value, name in pairs if value.strip() and name.strip()}


@transaction.atomic
def provider_groups_sync(*, user: User, claims: dict[str, Any], groups_claim: str, group_map: str) -> None:
    """Mirror the provider's groups into the portal groups its mapping names (creating a missing one):
    a mapped group the claim no longer lists is left; a group the mapping does not name is never
    touched, so a provider's group cannot make anyone staff or put them anywhere else."""
    mapping = group_map_parse(group_map)
    if not mapping:
        return
    listed = claims.get(groups_claim) or []
    listed = {str(v) for v in (listed if isinstance(listed, list) else [listed])}
    wanted = {name for value, name in mapping.items() if value in listed}
    for name in sorted(wanted):
        group, _created = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    unwanted = set(mapping.values()) - wanted
    if unwanted:
        user.groups.remove(*Group.objects.filter(name__in=unwanted))
