"""Logins, failed logins, lockouts and logouts in the app's audit log (never a password).

A failed login names the account only when the username or e-mail belongs to one: a mistyped
password in the username field must not end up in the log.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest

from stagekans.accounts.models import User
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.client_ip import client_address


def _address(request: HttpRequest | None) -> str:
    if request is None or not request.META.get("REMOTE_ADDR"):
        return ""
    return client_address(request)


def account_for(login_name: str | None) -> User | None:
    if not login_name:
        return None
    return User.objects.filter(Q(username=login_name) | Q(email__iexact=login_name)).first()


@receiver(user_logged_in, dispatch_uid="stagekans_audit_login")
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not request.META.get("REMOTE_ADDR"):
        # Test clients' force_login (no real request): nothing was authenticated.
        return
    with transaction.atomic():
        record(
            actor=user,
            event=AuditEvent.LOGIN_SUCCEEDED,
            obj=user,
            details={"ip": _address(request)},
        )


@receiver(user_login_failed, dispatch_uid="stagekans_audit_login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    account = account_for(credentials.get("username"))
    with transaction.atomic():
        record(
            actor=None,
            event=AuditEvent.LOGIN_FAILED,
            obj=account,
            details={
                "ip": _address(request),
                "known_account": account is not None,
                "locked_out": bool(getattr(request, "axes_locked_out", False)),
            },
        )


@receiver(user_locked_out, dispatch_uid="stagekans_audit_locked_out")
def audit_locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    account = account_for(username)
    with transaction.atomic():
        record(
            actor=None,
            event=AuditEvent.LOGIN_LOCKED_OUT,
            obj=account,
            details={"ip": ip_address or "", "known_account": account is not None},
        )


@receiver(user_logged_out, dispatch_uid="stagekans_audit_logout")
def audit_logout(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    with transaction.atomic():
        record(actor=user, event=AuditEvent.LOGGED_OUT, obj=user, details={})
