from __future__ import annotations

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role


def role_of(user: User) -> Role | None:
    """The role whose group the user is in (for display only; access uses permissions)."""
    if not user.is_authenticated:
        return None
    names = set(user.groups.values_list("name", flat=True))
    for role, definition in ROLES.items():
        if definition.group_name in names:
            return role
    return None
