"""Referral from the meldpunt to an organisation of the directory, in one step.

The meldpunt's own services do the work (start of triage if needed, the referral transition,
the message to the reporter); this adds the link to the directory entry and its audit row, in
the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.meldpunt import services as meldpunt_services
from stagekans.meldpunt.models import Report
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.support.models import ReportReferral, SupportOrganisation


def referral_contact(organisation: SupportOrganisation) -> str:
    lines = [organisation.region] if organisation.region else []
    return "\n".join([*lines, *organisation.contact_lines])


@transaction.atomic
def refer_report(
    *, acting_user: Any, report: Report, organisation: SupportOrganisation | None, note: str = ""
) -> Report:
    """Refer `report` to `organisation`: recorded on the report, audited, and the reporter is
    told where to go (a message in their thread and on their status page)."""
    if acting_user is None or not acting_user.has_perm("meldpunt.triage_report"):
        raise PermissionDenied(_("Alleen het meldpunt verwijst meldingen door."))
    if organisation is None or not organisation.active:
        raise ValidationError(
            {"organisation": _("Organisatie: kies een organisatie uit de verwijsgids.")}
        )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status == ReportStatus.RECEIVED:
        locked = meldpunt_services.start_triage(acting_user=acting_user, report=locked)
    locked = meldpunt_services.refer_to_support(
        acting_user=acting_user,
        report=locked,
        organisation=organisation.name,
        contact_details=referral_contact(organisation),
        note=note,
    )
    referral = ReportReferral.objects.create(
        report=locked, organisation=organisation, referred_by=acting_user
    )
    record(
        actor=acting_user,
        event=AuditEvent.REPORT_REFERRED,
        obj=locked,
        details={"organisation": organisation.code, "referral": referral.pk},
    )
    return locked
