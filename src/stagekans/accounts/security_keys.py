"""Security keys and passkeys (WebAuthn) as a second factor beside the authenticator app.

django-otp-webauthn does the cryptography (challenge, attestation, signature check, sign
count); these actions put our rules around it: every registration, removal and verification
is audited in the same transaction, keys get a Dutch name, and staff may not remove the last
second factor they have. The JSON endpoints the library's browser script talks to are thin
views over these actions (`accounts/views.py`).

A key only ever serves as the second step after the password: passwordless login is off
(`OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN`), so the lockout and the login audit always apply.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from stagekans.accounts import two_factor
from stagekans.accounts.models import User
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record

logger = logging.getLogger("stagekans.accounts.webauthn")

KIND = "security_key"


def security_keys(user: User) -> QuerySet[WebAuthnCredential]:
    """The user's keys, oldest first (for the security page)."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "id")


def _helper(request: HttpRequest) -> Any:
    return WebAuthnCredential.get_webauthn_helper(request=request)


def _next_key_name(user: User, *, new_key: WebAuthnCredential) -> str:
    """ "Beveiligingssleutel 1", "… 2": the lowest number none of the user's other keys has."""
    taken = set(
        WebAuthnCredential.objects.filter(user=user)
        .exclude(pk=new_key.pk)
        .values_list("name", flat=True)
    )
    number = 1
    while (_("Beveiligingssleutel %(number)d") % {"number": number}) in taken:
        number += 1
    return _("Beveiligingssleutel %(number)d") % {"number": number}


def register_security_key(
    *, acting_user: User, request: HttpRequest, state: dict[str, Any], data: dict[str, Any]
) -> WebAuthnCredential:
    """Check the browser's answer to the registration challenge and store the key.

    Raises the library's OTPWebAuthnApiError (a JSON answer for the script) when the answer
    does not verify; nothing is stored then. A session without a verified second factor yet
    (a student's first factor, staff setting up) counts as verified with the new key, as with
    a newly confirmed authenticator app.
    """
    try:
        with transaction.atomic(), rewrite_exceptions():
            device = _register(acting_user=acting_user, request=request, state=state, data=data)
    except webauthn_errors.OTPWebAuthnApiError as error:
        logger.warning(
            "security key registration refused",
            extra={"user_id": acting_user.pk, "reason": error.code},
        )
        raise
    if getattr(request.user, "otp_device", None) is None:
        otp_login(request, device)
    return device


def _register(
    *, acting_user: User, request: HttpRequest, state: dict[str, Any], data: dict[str, Any]
) -> WebAuthnCredential:
    device = _helper(request).register_complete(user=acting_user, state=state, data=data)
    device.name = _next_key_name(acting_user, new_key=device)
    device.save(update_fields=["name"])
    record(
        actor=acting_user,
        event=AuditEvent.SECURITY_KEY_REGISTERED,
        obj=acting_user,
        details={"key": device.pk, "name": device.name},
    )
    return device


@transaction.atomic
def issue_first_recovery_codes(*, acting_user: User) -> list[str] | None:
    """Recovery codes for a user whose first second factor is a key; None if they have codes."""
    User.objects.select_for_update().filter(pk=acting_user.pk).first()
    if two_factor.has_recovery_codes(acting_user):
        return None
    return two_factor.regenerate_recovery_codes(acting_user=acting_user)


@transaction.atomic
def remove_security_key(*, acting_user: User, key_id: int) -> None:
    """Remove one of the acting user's own keys.

    Staff need a second factor: their last one (no authenticator app, no other key) stays.
    The user row is locked so two removals at once cannot both pass that check.
    """
    User.objects.select_for_update().filter(pk=acting_user.pk).first()
    key = WebAuthnCredential.objects.filter(user=acting_user, pk=key_id).first()
    if key is None:
        raise ValidationError(_("Deze beveiligingssleutel bestaat niet (meer)."))
    others = security_keys(acting_user).exclude(pk=key.pk).exists()
    if (
        two_factor.requires_second_factor(acting_user)
        and not others
        and two_factor.confirmed_totp_device(acting_user) is None
    ):
        raise ValidationError(
            _(
                "Dit is uw enige tweede stap. Voor uw rol is een tweede stap verplicht: voeg "
                "eerst een andere beveiligingssleutel toe of stel een authenticator-app in, en "
                "verwijder daarna deze sleutel."
            )
        )
    details = {"key": key.pk, "name": key.name}
    key.delete()
    record(
        actor=acting_user, event=AuditEvent.SECURITY_KEY_REMOVED, obj=acting_user, details=details
    )


def verify_security_key(
    *, acting_user: User, request: HttpRequest, state: dict[str, Any], data: dict[str, Any]
) -> WebAuthnCredential:
    """The second step with a key: check the signature over the challenge; on success mark the
    session verified with that key and give it a new session key, as the code path does.

    Every attempt is audited (SECOND_FACTOR_VERIFIED / _FAILED, kind "security_key"); a failure
    raises the library's OTPWebAuthnApiError for the script to show.
    """
    try:
        with rewrite_exceptions():
            device = _helper(request).authenticate_complete(
                user=acting_user, state=state, data=data
            )
        if not device.confirmed:
            raise webauthn_errors.CredentialDisabled()
    except webauthn_errors.OTPWebAuthnApiError as error:
        logger.warning(
            "security key verification failed",
            extra={"user_id": acting_user.pk, "reason": error.code},
        )
        with transaction.atomic():
            record(
                actor=acting_user,
                event=AuditEvent.SECOND_FACTOR_FAILED,
                obj=acting_user,
                details={"kind": KIND, "reason": error.code},
            )
        raise
    with transaction.atomic():
        record(
            actor=acting_user,
            event=AuditEvent.SECOND_FACTOR_VERIFIED,
            obj=acting_user,
            details={"kind": KIND, "key": device.pk},
        )
    otp_login(request, device)
    request.session.cycle_key()
    return device
