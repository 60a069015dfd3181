from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from stagekans.accounts.models import RoleGrant, RoleGrantStatus, User
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


def pending_role_grants() -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.filter(status=RoleGrantStatus.PENDING)
        .select_related("user", "requested_by")
        .order_by("requested_at", "id")
    )


def decided_role_grants() -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.exclude(status=RoleGrantStatus.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-decided_at", "-id")
    )


def _recent_attempts() -> QuerySet[Any]:
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.all()
    cool_off = settings.AXES_COOLOFF_TIME
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def locked_out_usernames() -> list[dict[str, Any]]:
    """Usernames (django-axes) whose failures, over all addresses, reached the limit."""
    return list(
        _recent_attempts()
        .exclude(username=None)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )


def locked_out_addresses() -> list[dict[str, Any]]:
    """Client addresses whose failures, over all usernames, reached the limit."""
    return list(
        _recent_attempts()
        .exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
