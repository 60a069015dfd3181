"""Writes for investigation cases. Other apps open a case only through open_case_from_reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases.models import Case, CaseReporter


@dataclass(frozen=True)
class SharedIdentity:
    """A reporter's identity that the reporter consented to share with SBB."""

    report_reference: str
    name: str = ""
    email: str = ""
    phone: str = ""


@transaction.atomic
def open_case_from_reports(
    *,
    acting_user: Any,
    reports: Sequence[Any],
    summary: str,
    company: Any = None,
    company_name: str = "",
    shared_identities: Sequence[SharedIdentity] = (),
) -> Case:
    """Open a new case from reports and link each report to it.

    `summary` must be anonymised by the caller; identities come only through
    `shared_identities`, which the caller fills for consenting reporters alone (the meldpunt's
    forward service does that; see meldpunt.selectors.identity_for_sbb).
    """
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": _("Samenvatting: vul een samenvatting in.")})
    if not reports:
        raise ValidationError(_("Een zaak wordt geopend vanuit ten minste één melding."))
    references = {getattr(r, "reference", None) for r in reports}
    for identity in shared_identities:
        if identity.report_reference not in references:
            raise ValidationError(_("Een gedeelde identiteit hoort niet bij deze meldingen."))
    case = Case.objects.create(
        company=company,
        company_name="" if company is not None else company_name,
        summary=summary,
        reporter_identity_shared=bool(shared_identities),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    for identity in shared_identities:
        CaseReporter.objects.create(
            case=case,
            report_reference=identity.report_reference,
            name=identity.name,
            email=identity.email,
            phone=identity.phone,
        )
    for report in reports:
        report.case = case
        report.save(update_fields=["case"])
    record(
        actor=acting_user,
        event=AuditEvent.CASE_OPENED,
        obj=case,
        details={
            "reports": sorted(r.reference for r in reports),
            "identity_shared": bool(shared_identities),
        },
    )
    return case
