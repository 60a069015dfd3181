"""Writes of voluntary background statements: state one attribute with consent, withdraw.

Withdrawing deletes the row (the data is gone, not flagged). The audit row records that the
student gave or withdrew consent for an attribute, never the value.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.background.models import VALUES, Attribute, BackgroundStatement
from stagekans.background.selectors import student_pseudonym
from stagekans.education.models import Student

# Raise when the consent text on the student's page changes in substance.
CONSENT_TEXT_VERSION = 1


def _check_own(acting_user: Any, student: Student) -> None:
    if acting_user is None or student.user_id != acting_user.pk:
        # Only the student herself states or withdraws: nobody declares on someone's behalf.
        raise PermissionError("only the student herself may state or withdraw background")


def state_background(
    *, acting_user: Any, student: Student, attribute: Attribute, value: str, consent: bool
) -> BackgroundStatement:
    """Store (or replace) one attribute with explicit consent for that attribute alone."""
    _check_own(acting_user, student)
    if attribute not in Attribute.values:
        raise ValidationError(_("Onbekend kenmerk."))
    if value not in VALUES[attribute].values:
        raise ValidationError(_("Kies een van de mogelijke antwoorden."))
    if not consent:
        raise ValidationError(
            _("Zonder uw uitdrukkelijke toestemming slaan we dit gegeven niet op.")
        )
    with transaction.atomic():
        statement, _created = BackgroundStatement.objects.update_or_create(
            pseudonym=student_pseudonym(student.pk),
            attribute=attribute,
            defaults={
                "value": value,
                "consented_at": timezone.now(),
                "consent_text_version": CONSENT_TEXT_VERSION,
            },
        )
        record(
            actor=acting_user,
            event=AuditEvent.BACKGROUND_STATED,
            obj=None,
            details={"attribute": str(attribute), "consent_text_version": CONSENT_TEXT_VERSION},
        )
    return statement


def withdraw_background(
    *, acting_user: Any, student: Student, attribute: Attribute | None = None
) -> int:
    """Delete one attribute (or all of them when `attribute` is None); returns rows deleted."""
    _check_own(acting_user, student)
    with transaction.atomic():
        rows = BackgroundStatement.objects.filter(pseudonym=student_pseudonym(student.pk))
        if attribute is not None:
            rows = rows.filter(attribute=attribute)
        deleted, _per_model = rows.delete()
        if deleted:
            record(
                actor=acting_user,
                event=AuditEvent.BACKGROUND_WITHDRAWN,
                obj=None,
                details={"attribute": str(attribute) if attribute else "all"},
            )
    return deleted
