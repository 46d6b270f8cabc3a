"""Demo notifications for ``seed_demo`` (idempotent: each has a stable key)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.utils import timezone

from .models import Notification
from .services import notification_upsert

if TYPE_CHECKING:
    from accounts.models import User


def seed_notifications(*, approvers: Group, actor: User | None = None) -> list[Notification]:
    """One notification requiring confirmation for every user, one for the approver group only, and a
    plain one for everyone."""
    now = timezone.now()
    return [
        notification_upsert(
            key="demo:acceptable-use",
            title="New acceptable use policy",
            short_description="Please read and confirm the updated acceptable use policy.",
            description=(
                "The **acceptable use policy** for IT resources was updated.\n\n"
                "- Passwords now expire every 180 days.\n"
                "- Personal devices must be registered with the service desk.\n\n"
                "Choose *Mark as read* to confirm that you have read it."
            ),
            requires_confirmation=True,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=60),
            actor=actor,
        ),
        notification_upsert(
            key="demo:approvers-deadline",
            title="Approvals close on Friday",
            short_description="Pending purchase approvals must be decided by Friday at 18:00.",
            description="Requests still waiting for approval on Friday evening go back to their requesters.",
            requires_confirmation=True,
            starts_at=now - timedelta(hours=3),
            ends_at=now + timedelta(days=14),
            target_groups=[approvers],
            actor=actor,
        ),
        notification_upsert(
            key="demo:maintenance",
            title="Scheduled maintenance on Saturday",
            short_description="E-mail is unavailable on Saturday from 22:00 to 23:00.",
            description="The e-mail servers are updated on Saturday night; the portal stays available.",
            starts_at=now - timedelta(hours=6),
            ends_at=now + timedelta(days=7),
            actor=actor,
        ),
    ]
