"""Reads of the API's own data (personal tokens); the API's other reads are the apps' selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from core.tokens import MAX_RAW_LENGTH, token_hash

from .models import ApiToken

if TYPE_CHECKING:
    from accounts.models import User


def token_list_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_find(raw: str) -> ApiToken | None:
    """The token row of a raw secret with its user (one query), or None; usability is the caller's."""
    if not raw or len(raw) > MAX_RAW_LENGTH:
        return None
    return ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
