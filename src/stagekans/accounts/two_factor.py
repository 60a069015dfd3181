"""The second factor (django-otp) and the per-role session rules.

A second factor is an authenticator app (TOTP) or a security key / passkey (WebAuthn, through
django-otp-webauthn; registering and removing keys is in `accounts/security_keys.py`). Which
roles need one and how long a session may be idle is data in `accounts/roles.py`
(`second_factor`, `idle_minutes`). Recovery codes are django-otp static tokens: ten single-use
codes, shown once when the first second factor is set up. They are a way back in, not a second
factor of their own.
"""

from __future__ import annotations

import secrets
import time

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from stagekans.accounts.models import User
from stagekans.accounts.roles import LONGEST_IDLE_MINUTES, ROLES, RoleDefinition
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record

TOTP_DEVICE_NAME = "authenticator-app"
RECOVERY_DEVICE_NAME = "herstelcodes"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _role_definitions(user: User) -> list[RoleDefinition]:
    cached = getattr(user, "_stagekans_role_definitions", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [d for d in ROLES.values() if d.group_name in names]
        # A group that is not a role of ours (made by hand) counts as staff: safe side.
        if names - {d.group_name for d in cached}:
            cached.append(RoleDefinition("?", "", ()))
        user._stagekans_role_definitions = cached  # type: ignore[attr-defined]
    return cached


def requires_second_factor(user: User) -> bool:
    """Every staff role (everyone but students), superusers and /beheer/ users need a second
    factor (authenticator app or security key)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(d.second_factor for d in _role_definitions(user))


def idle_limit_seconds(user: User) -> int:
    """Staff: 30 minutes; students: 2 hours (the shortest limit of the user's roles)."""
    if user.is_superuser or user.is_staff:
        return min(d.idle_minutes for d in ROLES.values()) * 60
    minutes = [d.idle_minutes for d in _role_definitions(user)]
    return (min(minutes) if minutes else LONGEST_IDLE_MINUTES) * 60


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_security_key(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user: User) -> bool:
    """An authenticator app or a security key; recovery codes alone do not count."""
    return confirmed_totp_device(user) is not None or has_security_key(user)


def has_recovery_codes(user: User) -> bool:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).exists()


def unconfirmed_totp_device(user: User) -> TOTPDevice:
    """The device being set up (its secret shown as QR code until the first code confirms it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def issue_recovery_codes(user: User) -> list[str]:
    """New recovery codes for `user`, replacing the old ones. Call inside the transaction of
    the change that needs them, and record RECOVERY_CODES_ISSUED there."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_totp_device(
    *, acting_user: User, request: HttpRequest, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm the app with its first code; returns fresh recovery codes, or None if wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=acting_user)
    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = issue_recovery_codes(acting_user)
    record(actor=acting_user, event=AuditEvent.SECOND_FACTOR_REGISTERED, obj=acting_user)
    record(
        actor=acting_user,
        event=AuditEvent.RECOVERY_CODES_ISSUED,
        obj=acting_user,
        details={"count": len(codes)},
    )
    otp_login(request, device)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, acting_user: User) -> list[str]:
    codes = issue_recovery_codes(acting_user)
    record(
        actor=acting_user,
        event=AuditEvent.RECOVERY_CODES_ISSUED,
        obj=acting_user,
        details={"count": len(codes)},
    )
    return codes


def verify_second_factor(*, acting_user: User, request: HttpRequest, token: str) -> bool:
    """Check a TOTP code (6 digits) or a recovery code; on success mark the session verified.

    Throttling is django-otp's own (each failure doubles the wait); every attempt is audited.
    """
    token = token.strip().replace(" ", "")
    with transaction.atomic():
        if token.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=acting_user, confirmed=True)
            kind = "totp"
        else:
            device = StaticDevice.objects.select_for_update().filter(
                user=acting_user, confirmed=True
            )
            kind = "recovery"
        found = device.first()
        verified = found is not None and found.verify_token(token.lower())
        record(
            actor=acting_user,
            event=AuditEvent.SECOND_FACTOR_VERIFIED
            if verified
            else AuditEvent.SECOND_FACTOR_FAILED,
            obj=acting_user,
            details={"kind": kind},
        )
    if verified and found is not None:
        otp_login(request, found)
        request.session.cycle_key()
    return verified


# --- demo and tests: a device with a known secret -------------------------------------------


def install_known_totp_device(user: User, key_hex: str) -> TOTPDevice:
    """Give `user` a confirmed TOTP device with the given secret (demo logins and tests only:
    the secret is printed by `demo_totp`, so real accounts never get one this way)."""
    device = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).first()
    if device is None:
        return TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True
        )
    if device.key != key_hex or not device.confirmed:
        device.key, device.confirmed = key_hex, True
        device.save(update_fields=["key", "confirmed"])
    return device


def current_code(device: TOTPDevice, *, at: float | None = None, usable: bool = True) -> str:
    """The code the app would show now. With `usable`, the first code the device still accepts
    (a code is accepted once; the next 30-second step is within django-otp's tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if usable and totp.t() <= device.last_t:
        totp.time = (device.last_t + 1) * device.step + device.t0
    return f"{totp.token():0{device.digits}d}"
