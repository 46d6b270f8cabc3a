"""Demo data of the accounts (called from ``portal/management/commands/seed_demo.py``): the demo
users, their groups and their unit. Idempotent: found by user name; the password is the user name."""

from __future__ import annotations

from django.contrib.auth.models import Group

from .models import Unit, User

SERVICE_DESK = "Service desk"
# maria and joao work in one unit, below the company's; maria manages it (issue 27).
COMPANY, FINANCE = "ACME", "Finance"
UNIT_MEMBERS = {"maria": True, "joao": False}  # username -> unit manager
APPROVERS = "Approvers"

# username -> (first name, last name, is_staff, is_superuser, groups)
ACCOUNTS = {
    "admin": ("Ada", "Admin", True, True, []),
    "attendant": ("Ana", "Attendant", True, False, [SERVICE_DESK]),
    "maria": ("Maria", "Silva", False, False, []),
    "joao": ("João", "Souza", False, False, [APPROVERS]),
}


def seed_groups() -> dict[str, Group]:
    """The service desk (the activities' executors) and the approvers."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in (SERVICE_DESK, APPROVERS)}


def seed_accounts(groups: dict[str, Group]) -> dict[str, User]:
    users = {}
    for username, (first, last, staff, superuser, group_names) in ACCOUNTS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": staff,
                "is_superuser": superuser,
                "preferred_language": "",
            },
        )
        if created:
            user.set_password(username)
            user.save(update_fields=["password"])
        user.groups.add(*(groups[g] for g in group_names))
        users[username] = user
    return users


def seed_units(users: dict[str, User]) -> Unit:
    """The company and its Finance unit, with maria (its manager) and joao."""
    company, _ = Unit.objects.get_or_create(name=COMPANY, parent=None)
    finance = Unit.objects.filter(name=FINANCE, parent=company).first() or Unit.objects.create(
        name=FINANCE, parent=company
    )
    for username, manager in UNIT_MEMBERS.items():
        user = users[username]
        if user.unit_id is None:
            user.unit = finance
            user.is_unit_manager = manager
            user.save(update_fields=["unit", "is_unit_manager"])
    return finance
