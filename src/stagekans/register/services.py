"""The only code that changes recognitions. Each function is one audited transition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.companies.models import Company
from stagekans.education.models import Qualification
from stagekans.notifications.services import enqueue_mail
from stagekans.register.hooks import run_grant_handlers, run_revocation_handlers
from stagekans.register.models import (
    Recognition,
    RecognitionConditions,
    RecognitionStatusChange,
    RevocationRequest,
    RevocationState,
)
from stagekans.register.selectors import revocation_mail_recipients
from stagekans.register.workflow import (
    CONDITION_FIELDS,
    RECOGNITION_CONDITIONS,
    RecognitionStatus,
    check_transition,
)

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


def _check_conditions(conditions: Mapping[str, bool]) -> dict[str, bool]:
    unknown = set(conditions) - set(CONDITION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown recognition conditions: {sorted(unknown)}")
    errors = {
        name: _("Niet vervuld: %(condition)s. Zonder deze voorwaarde kan niet worden erkend.")
        % {"condition": label}
        for name, label in RECOGNITION_CONDITIONS
        if conditions.get(name) is not True
    }
    if errors:
        raise ValidationError(errors)
    return {name: True for name in CONDITION_FIELDS}


def _pending_revocation(recognition: Recognition) -> RevocationRequest | None:
    return recognition.revocation_requests.filter(state=RevocationState.PENDING).first()


@transaction.atomic
def grant_recognition(
    *,
    acting_user: Any,
    recognition: Recognition,
    reason: str,
    conditions: Mapping[str, bool],
    notes: str = "",
    valid_from: dt.date | None = None,
) -> Recognition:
    """Recognise (or, from 'recognised', reassess) for a period of four years.

    `conditions` holds the five conditions of recognition (see workflow.RECOGNITION_CONDITIONS);
    every one must be met, else a ValidationError names each missing condition.
    """
    reason = _require_reason(reason)
    met = _check_conditions(conditions)
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if _pending_revocation(recognition) is not None:
        raise ValidationError(
            _("Er loopt een voorstel tot intrekking van deze erkenning; rond dat eerst af.")
        )
    reassessment = recognition.status == RecognitionStatus.RECOGNISED
    start = valid_from or timezone.localdate()
    recognition.valid_from = start
    recognition.valid_until = _add_years(start, RECOGNITION_PERIOD_YEARS)
    recognition.publication_consent = met["publication_consent"]
    change = _transition(
        recognition, RecognitionStatus.RECOGNISED, acting_user=acting_user, reason=reason
    )
    RecognitionConditions.objects.create(
        recognition=recognition,
        status_change=change,
        assessed_by=acting_user if getattr(acting_user, "pk", None) else None,
        notes=notes.strip(),
        **met,
    )
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_GRANTED,
        obj=recognition,
        details={
            "valid_from": start.isoformat(),
            "valid_until": recognition.valid_until.isoformat(),
            "reason": reason,
            "conditions": met,
            "reassessment": reassessment,
        },
    )
    run_grant_handlers(recognition=recognition, acting_user=acting_user)
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
    # A revocation proposal cannot outlive the recognition it is about.
    recognition.revocation_requests.filter(state=RevocationState.PENDING).update(
        state=RevocationState.REJECTED,
        decided_at=timezone.now(),
        decision_note=_(
            "Vervallen: de erkenning is verlopen voordat het voorstel werd beoordeeld."
        ),
    )
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_EXPIRED,
        obj=recognition,
        details={"valid_until": recognition.valid_until.isoformat()},
    )
    return recognition


def _require_officer(user: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        raise PermissionDenied(_("Een intrekking vraagt een ingelogde SBB-adviseur."))


@transaction.atomic
def request_revocation(
    *, acting_user: Any, recognition: Recognition, reason: str, decision_reference: str
) -> RevocationRequest:
    """Propose revoking a recognition. Nothing changes until a second officer approves."""
    _require_officer(acting_user)
    if not acting_user.has_perm("register.propose_revocation"):
        raise PermissionDenied(_("U mag geen intrekking van een erkenning voorstellen."))
    reason = _require_reason(reason)
    decision_reference = (decision_reference or "").strip()
    if not decision_reference:
        raise ValidationError(
            {"decision_reference": _("Geef het kenmerk van het besluit tot intrekking op.")}
        )
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.status != RecognitionStatus.RECOGNISED:
        raise ValidationError(
            _("Alleen een geldende erkenning kan worden ingetrokken (status is nu '%(status)s').")
            % {"status": recognition.get_status_display()}
        )
    if _pending_revocation(recognition) is not None:
        raise ValidationError(_("Voor deze erkenning loopt al een voorstel tot intrekking."))
    revocation = RevocationRequest.objects.create(
        recognition=recognition,
        reason=reason,
        decision_reference=decision_reference,
        requested_by=acting_user,
    )
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_REVOCATION_REQUESTED,
        obj=recognition,
        details={
            "revocation": revocation.pk,
            "reason": reason,
            "decision_reference": decision_reference,
        },
    )
    return revocation


def _lock_pending(revocation: RevocationRequest, acting_user: Any) -> RevocationRequest:
    _require_officer(acting_user)
    if not acting_user.has_perm("register.approve_revocation"):
        raise PermissionDenied(_("U mag niet besluiten over een intrekking van een erkenning."))
    revocation = RevocationRequest.objects.select_for_update().get(pk=revocation.pk)
    if revocation.state != RevocationState.PENDING:
        raise ValidationError(
            _("Over dit voorstel is al besloten (%(state)s).")
            % {"state": revocation.get_state_display()}
        )
    return revocation


def _company_mail_body(revocation: RevocationRequest) -> str:
    recognition = revocation.recognition
    return _(
        "Geachte heer, mevrouw,\n\n"
        "SBB heeft de erkenning van %(company)s als leerbedrijf voor de kwalificatie "
        "%(qualification)s (crebo %(crebo)s) ingetrokken.\n\n"
        "Kenmerk besluit: %(reference)s\n"
        "Redenen:\n%(reason)s\n\n"
        "Gevolgen: uw vacatures voor deze kwalificatie zijn van de Stagemarkt gehaald en u kunt "
        "voor deze kwalificatie geen nieuwe vacatures publiceren. Scholen met studenten bij u "
        "zoeken een vervangende stageplek.\n\n"
        "Bent u het niet eens met dit besluit, dan kunt u binnen zes weken bezwaar maken bij SBB "
        "onder vermelding van het kenmerk.\n\nMet vriendelijke groet,\nSBB\n"
    ) % {
        "company": recognition.company.name,
        "qualification": recognition.qualification.title,
        "crebo": recognition.qualification.crebo,
        "reference": revocation.decision_reference,
        "reason": revocation.reason,
    }


@transaction.atomic
def approve_revocation(*, acting_user: Any, revocation: RevocationRequest) -> Recognition:
    """The second officer approves: the revocation takes effect, all in this one transaction.

    History row, status, every handler registered in register.hooks (vacancies withdrawn,
    schools' tasks, …), the mails in the outbox and the audit rows commit together or not at all.
    """
    revocation = _lock_pending(revocation, acting_user)
    if acting_user.pk == revocation.requested_by_id:
        raise PermissionDenied(
            _(
                "U heeft deze intrekking zelf voorgesteld. Een tweede, andere adviseur moet de "
                "intrekking goedkeuren (vier-ogenprincipe)."
            )
        )
    recognition = (
        Recognition.objects.select_for_update()
        .select_related("company", "qualification")
        .get(pk=revocation.recognition_id)
    )
    _transition(
        recognition,
        RecognitionStatus.REVOKED,
        acting_user=acting_user,
        reason=_("Ingetrokken (besluit %(reference)s): %(reason)s")
        % {"reference": revocation.decision_reference, "reason": revocation.reason},
    )
    revocation.state = RevocationState.APPROVED
    revocation.decided_by = acting_user
    revocation.decided_at = timezone.now()
    revocation.save(update_fields=["state", "decided_by", "decided_at"])
    run_revocation_handlers(recognition=recognition, acting_user=acting_user)
    emails = revocation_mail_recipients(recognition)
    for email in emails:
        enqueue_mail(
            to=email,
            subject=_("Erkenning ingetrokken: %(qualification)s (crebo %(crebo)s)")
            % {
                "qualification": recognition.qualification.title,
                "crebo": recognition.qualification.crebo,
            },
            body=_company_mail_body(revocation),
            dedup_key=f"revocation:{revocation.pk}:company:{email}",
        )
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_REVOKED,
        obj=recognition,
        details={
            "revocation": revocation.pk,
            "decision_reference": revocation.decision_reference,
            "requested_by": revocation.requested_by_id,
            "approved_by": acting_user.pk,
            "mails": len(emails),
        },
    )
    return recognition


@transaction.atomic
def reject_revocation(
    *, acting_user: Any, revocation: RevocationRequest, reason: str
) -> RevocationRequest:
    """Turn a proposal down (or withdraw one's own); the recognition stays as it is."""
    revocation = _lock_pending(revocation, acting_user)
    reason = _require_reason(reason)
    revocation.state = RevocationState.REJECTED
    revocation.decided_by = acting_user
    revocation.decided_at = timezone.now()
    revocation.decision_note = reason
    revocation.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    record(
        actor=acting_user,
        event=AuditEvent.RECOGNITION_REVOCATION_REJECTED,
        obj=revocation.recognition,
        details={"revocation": revocation.pk, "reason": reason},
    )
    return revocation
