"""Writes for accounts: creating users and giving them a role."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record


@transaction.atomic
def create_user(
    *,
    acting_user: User | None,
    username: str,
    email: str,
    password: str | None,
    role: Role,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a login with exactly one role. `acting_user` is None only for system seeding."""
    definition = ROLES[role]
    user = User(
        username=username,
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        is_staff=definition.staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get(name=definition.group_name)])
    record(
        actor=acting_user,
        event=AuditEvent.USER_CREATED,
        obj=user,
        details={"role": role.value},
    )
    return user


@transaction.atomic
def set_role(*, acting_user: User, user: User, role: Role) -> User:
    definition = ROLES[role]
    user = User.objects.select_for_update().get(pk=user.pk)
    user.groups.set([Group.objects.get(name=definition.group_name)])
    user.is_staff = definition.staff
    user.save(update_fields=["is_staff"])
    record(
        actor=acting_user,
        event=AuditEvent.USER_ROLE_CHANGED,
        obj=user,
        details={"role": role.value},
    )
    return user
