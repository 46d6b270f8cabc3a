"""What a directory login writes: the user's directory account and their mirrored groups."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.versions import user_version_key, version_bump

from .conf import dn_normalise
from .models import DirectoryAccount


@transaction.atomic
def directory_account_sync(
    *, user: User, dn: str, unit: str, group_dns: Iterable[str], group_map: dict[str, str]
) -> None:
    """Record the user's entry and unit, and mirror their directory groups into portal groups.

    Only the portal groups named in ``group_map`` (setting LDAP_GROUP_MAP) are touched: the user
    joins those whose directory group they are in (a portal group that does not exist yet is
    created) and leaves the others; groups outside the mapping, staff and superuser status are
    never changed by the directory."""
    DirectoryAccount.objects.update_or_create(
        user=user, defaults={"dn": dn, "unit": unit[:200], "synced_at": timezone.now()}
    )
    if not group_map:
        return
    member_of = {dn_normalise(g) for g in group_dns}
    wanted = {name for group_dn, name in group_map.items() if group_dn in member_of}
    mapped = Group.objects.filter(name__in=set(group_map.values()))
    current = set(user.groups.filter(pk__in=mapped).values_list("name", flat=True))
    if current == wanted:
        return
    existing = {g.name: g for g in mapped}
    missing = wanted - set(existing)
    for name in sorted(missing):
        existing[name] = Group.objects.get_or_create(name=name)[0]
    user.groups.remove(*(existing[name] for name in current - wanted))
    user.groups.add(*(existing[name] for name in wanted - current))
    version_bump(user_version_key(user.pk))  # the user's menu (Approvals: portal/shell.py)
