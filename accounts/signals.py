"""What follows a change of a user's groups: the state cached under the user's version (the approver
scope, approvals/selectors.py; the shell, portal/shell.py) is recomputed at their next request, so a
member removed from an approver group loses its Approvals list at once, not after the cache's bound.
"""

from __future__ import annotations

from core.versions import user_version_key, version_bump


def groups_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Receiver of ``m2m_changed`` for ``User.groups`` (connected in ``apps.py``), from either side
    (a user's groups, or a group's members)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        user_ids = {instance.pk}
    elif action == "pre_clear":  # a group's members removed at once: pk_set is None
        user_ids = set(instance.user_set.values_list("pk", flat=True))
    else:
        user_ids = set(pk_set or ())
    version_bump(*(user_version_key(pk) for pk in user_ids))
