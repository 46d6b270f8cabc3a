"""Demo data of the approvals (called from ``portal/management/commands/seed_demo.py``)."""

from __future__ import annotations

from typing import Any

from .email_templates import email_templates_ensure
from .models import Justification

JUSTIFICATIONS = (
    "No budget this year",
    "Not aligned with the security policy",
    "Missing information: describe the need in more detail",
    "Duplicate of another request",
    "Not a priority for the area",
)
SECURITY_POLICY = JUSTIFICATIONS[1]


def seed_approvals(*, users: dict[str, Any]) -> None:
    """The justifications an approver chooses from, the approval e-mail templates (should they have
    been deleted), and an e-mail address for every demo user (the approval e-mails need one).
    Idempotent."""
    email_templates_ensure()
    for order, name in enumerate(JUSTIFICATIONS):
        Justification.objects.get_or_create(name=name, defaults={"order": order})
    for username, user in users.items():
        if not user.email:
            user.email = f"{username}@example.com"
            user.save(update_fields=["email"])


def justification(name: str) -> Justification:
    return Justification.objects.get(name=name)
