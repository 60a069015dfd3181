"""The only code that changes recognitions. Each function is one audited transition."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.companies.models import Company
from stagekans.education.models import Qualification
from stagekans.register.models import Recognition, RecognitionStatusChange
from stagekans.register.workflow import RecognitionStatus, check_transition

RECOGNITION_PERIOD_YEARS = 4


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Geef een reden op.")})
    return reason.strip()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _transition(
    recognition: Recognition, target: RecognitionStatus, *, acting_user: Any, reason: str
) -> RecognitionStatusChange:
    current = RecognitionStatus(recognition.status) if recognition.status else None
    check_transition(current, target)
    recognition.status = target
    recognition.save()
    return RecognitionStatusChange.objects.create(
        recognition=recognition, status=target, reason=reason, actor=acting_user
    )


@transaction.atomic
def request_recognition(
    *, acting_user: Any, company: Company, qualification: Qualification, reason: str
) -> Recognition:
    reason = _require_reason(reason)
    recognition = (
        Recognition.objects.select_for_update()
        .filter(company=company, qualification=qualification)
        .first()
    )
    if recognition is None:
        recognition = Recognition(company=company, qualification=qualification, status="")
    _transition(recognition, RecognitionStatus.REQUESTED, acting_user=acting_user, reason=reason)
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_REQUESTED,
        obj=recognition,
        details={"company": company.pk, "crebo": qualification.crebo, "reason": reason},
    )
    return recognition


@transaction.atomic
def grant_recognition(
    *,
    acting_user: Any,
    recognition: Recognition,
    reason: str,
    valid_from: dt.date | None = None,
) -> Recognition:
    """Recognise (or, from 'recognised', reassess) for a period of four years."""
    reason = _require_reason(reason)
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    start = valid_from or timezone.localdate()
    recognition.valid_from = start
    recognition.valid_until = _add_years(start, RECOGNITION_PERIOD_YEARS)
    _transition(recognition, RecognitionStatus.RECOGNISED, acting_user=acting_user, reason=reason)
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_GRANTED,
        obj=recognition,
        details={
            "valid_from": start.isoformat(),
            "valid_until": recognition.valid_until.isoformat(),
            "reason": reason,
        },
    )
    return recognition


@transaction.atomic
def expire_recognition(*, acting_user: Any, recognition: Recognition) -> Recognition:
    """Mark a recognition whose period has ended as expired (run by the scheduled job)."""
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    today = timezone.localdate()
    if recognition.valid_until is None or recognition.valid_until > today:
        raise ValidationError(_("Deze erkenning is nog geldig en kan niet verlopen."))
    _transition(
        recognition,
        RecognitionStatus.EXPIRED,
        acting_user=acting_user,
        reason=_("Geldigheidsduur verstreken op %(date)s.")
        % {"date": recognition.valid_until.isoformat()},
    )
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_EXPIRED,
        obj=recognition,
        details={"valid_until": recognition.valid_until.isoformat()},
    )
    return recognition
