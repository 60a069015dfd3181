"""Shared parts of the case services: limits, the row lock, the audited transition, the
permission checks, mail helpers and the check that text for a company or school does not name
the reporter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases import selectors
from stagekans.cases.models import (
    Case,
    CaseStatusChange,
)
from stagekans.cases.workflow import (
    REASON_REQUIRED,
    CaseStatus,
    ConflictError,
    check_transition,
)
from stagekans.core.anonymity import find_identity, refusal
from stagekans.notifications.services import enqueue_mail

HEARING_WORKING_DAYS = 10
REMIND_WORKING_DAYS_BEFORE = 2
OBJECTION_PERIOD = dt.timedelta(weeks=6)
MAX_ATTACHMENTS = 5
MAX_TEXT = 10_000


@dataclass(frozen=True)
class SharedIdentity:
    """A reporter's identity that the reporter consented to share with SBB."""

    report_reference: str
    name: str = ""
    email: str = ""
    phone: str = ""


# --- helpers ------------------------------------------------------------------------------------


def _lock(case: Case) -> Case:
    """Lock the case row; if another transaction holds it, refuse at once with a clear message."""
    nowait = connection.features.has_select_for_update_nowait
    try:
        return (
            Case.objects.select_for_update(nowait=nowait, of=("self",))
            .select_related("company", "school")
            .get(pk=case.pk)
        )
    except OperationalError as error:
        raise ConflictError() from error


def _text(value: str, field: str, label: str, *, min_length: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < min_length:
        if min_length > 1:
            raise ValidationError(
                {
                    field: _("%(label)s: schrijf ten minste %(n)d tekens.")
                    % {"label": label, "n": min_length}
                }
            )
        raise ValidationError({field: _("%(label)s: vul dit veld in.") % {"label": label}})
    if len(value) > MAX_TEXT:
        raise ValidationError(
            {
                field: _("%(label)s: gebruik hoogstens %(n)d tekens.")
                % {"label": label, "n": MAX_TEXT}
            }
        )
    return value


def _transition(case: Case, target: CaseStatus, *, acting_user: Any, reason: str = "") -> Case:
    """Check, move the pointer, append the history row and audit — on a locked case."""
    current = CaseStatus(case.status)
    check_transition(current, target)
    reason = (reason or "").strip()
    if (current, target) in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Reden: geef een reden voor deze stap.")})
    case.status = target
    case.save(update_fields=["status"])
    CaseStatusChange.objects.create(
        case=case,
        from_status=current,
        to_status=target,
        reason=reason,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_STATUS_CHANGED,
        obj=case,
        details={"from": current.value, "to": target.value, "reason": reason},
    )
    return case


def _is_user(user: Any) -> bool:
    return user is not None and bool(getattr(user, "pk", None))


def _require_investigator(user: Any, case: Case) -> None:
    """The assigned investigator, or a team lead, may work on a case."""
    if not _is_user(user) or not user.has_perm("cases.investigate_case"):
        raise PermissionDenied(_("U mag geen onderzoekszaken behandelen."))
    if case.assigned_to_id == user.pk:
        return
    if not user.has_perm("cases.view_team_cases") or not selectors.in_team_scope(user, case):
        raise PermissionDenied(_("Deze zaak is niet aan u toegewezen."))


def _require_investigator_role(user: Any) -> None:
    if not _is_user(user) or not user.has_perm("cases.investigate_case"):
        raise PermissionDenied(_("U mag geen onderzoekszaken behandelen."))


def _initial_history(case: Case, acting_user: Any) -> None:
    CaseStatusChange.objects.create(
        case=case,
        from_status="",
        to_status=CaseStatus.NEW,
        actor=acting_user if _is_user(acting_user) else None,
        reason=str(case.get_source_display()),
    )


def _mail_each(recipients: Iterable[str], *, subject: str, body: str, key: str) -> None:
    """One outbox mail per recipient, deduplicated per recipient under `key`."""
    for email in recipients:
        enqueue_mail(to=email, subject=subject, body=body, dedup_key=f"{key}:{email}")


def _company_emails(case: Case) -> list[str]:
    if case.company is None:
        return []
    return sorted(
        set(case.company.trainers.exclude(user__email="").values_list("user__email", flat=True))
    )


def _school_emails(school: Any) -> list[str]:
    if school is None:
        return []
    return sorted(set(school.staff.exclude(user__email="").values_list("user__email", flat=True)))


def _refuse_reporter_identity(case: Case, text: str, field: str, label: str) -> None:
    """Text for the company or the school must not name the reporter (consent is for SBB)."""
    hit = find_identity(text, selectors.reporter_identities(case))
    if hit is not None:
        raise ValidationError({field: refusal(hit, label)})
