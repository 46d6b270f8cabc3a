"""Identity's writes: account e-mails through the outbox, login events, ending a user's sessions."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from allauth.usersessions.models import UserSession
from django.conf import settings
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
