"""Reads of the push app: a user's devices (user menu, "Push notifications")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import PushSubscription

if TYPE_CHECKING:
    from accounts.models import User


def device_list_for_user(user: User) -> QuerySet[PushSubscription]:
    """The user's devices, newest first; at most ``PUSH_MAX_DEVICES`` (push.services.subscription_save),
    so the page lists them all."""
    return PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")
