"""Opening a case (from reports, a signal or an officer), the team's queue (pick up, assign),
starting and closing the investigation, and retention of a reporter's shared identity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases import selectors
from stagekans.cases.models import (
    Case,
    CaseReporter,
    CaseSource,
)
from stagekans.cases.services._base import (
    SharedIdentity,
    _initial_history,
    _is_user,
    _lock,
    _require_investigator,
    _require_investigator_role,
    _text,
    _transition,
)
from stagekans.cases.workflow import (
    CaseStatus,
    check_transition,
)
from stagekans.notifications.services import enqueue_mail


@transaction.atomic
def forget_reporter(*, acting_user: Any, case_id: int, report_reference: str) -> int:
    """Retention: remove a reporter's shared identity from a case; the case itself stays."""
    deleted, _ = CaseReporter.objects.filter(
        case_id=case_id, report_reference=report_reference
    ).delete()
    if deleted:
        case = Case.objects.get(pk=case_id)
        record(
            actor=acting_user,
            event=AuditEvent.CASE_REPORTER_FORGOTTEN,
            obj=case,
            details={"report": report_reference},
        )
    return deleted


# --- opening ------------------------------------------------------------------------------------


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
    team = selectors.route_to_team(company)
    case = Case.objects.create(
        team=team,
        company=company,
        company_name="" if company is not None else company_name,
        summary=summary,
        source=CaseSource.REPORTS,
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
    _initial_history(case, acting_user)
    record(
        actor=acting_user,
        event=AuditEvent.CASE_OPENED,
        obj=case,
        details={
            "reports": sorted(r.reference for r in reports),
            "identity_shared": bool(shared_identities),
            "team": team.pk if team is not None else None,
        },
    )
    _record_routing(case, acting_user)
    return case


def _record_routing(case: Case, acting_user: Any) -> None:
    """The routing decision in its own audit row: which team's queue the case landed in, and
    by which rule (sector covered by a team, or the default team)."""
    if case.team is None:
        return
    company = case.company
    sector = getattr(company, "sector", "") or ""
    by_sector = bool(sector) and case.team.sectors.filter(sector=sector).exists()
    record(
        actor=acting_user,
        event=AuditEvent.CASE_ROUTED,
        obj=case,
        details={
            "team": case.team.pk,
            "rule": "sector" if by_sector else "default",
            "sector": sector,
        },
    )


@transaction.atomic
def open_case(
    *,
    acting_user: Any,
    company: Any,
    summary: str,
    source: CaseSource = CaseSource.OFFICER,
    signal_reference: str = "",
) -> Case:
    """Open a case about a registered company directly: by an SBB officer (assigned to them)
    or from a signal (acting_user None for the signals job; a team lead assigns it)."""
    if source == CaseSource.REPORTS:
        raise ValidationError(_("Een zaak uit meldingen opent u vanuit het meldpunt."))
    if source == CaseSource.OFFICER:
        _require_investigator_role(acting_user)
    if company is None:
        raise ValidationError(
            {"kvk_number": _("KvK-nummer: kies een leerbedrijf uit het register.")}
        )
    summary = _text(summary, "summary", _("Samenvatting"), min_length=20)
    officer = source == CaseSource.OFFICER
    # An officer's own case stays in the officer's team; a signal is routed like a report.
    team = (selectors.team_of(acting_user) if officer else None) or selectors.route_to_team(company)
    case = Case.objects.create(
        team=team,
        company=company,
        summary=summary,
        source=source,
        created_by=acting_user if _is_user(acting_user) else None,
        assigned_to=acting_user if officer else None,
    )
    _initial_history(case, acting_user)
    record(
        actor=acting_user,
        event=AuditEvent.CASE_OPENED,
        obj=case,
        details={
            "source": source.value,
            "company": company.pk,
            "signal": signal_reference,
            "team": team.pk if team is not None else None,
        },
    )
    if not officer:
        _record_routing(case, acting_user)
    return case


# --- assignment and the investigation ------------------------------------------------------------


@transaction.atomic
def assign_case(*, acting_user: Any, case: Case, assignee: Any, reason: str = "") -> Case:
    """A team lead assigns (or reassigns) a case to an investigator."""
    if not _is_user(acting_user) or not acting_user.has_perm("cases.view_team_cases"):
        raise PermissionDenied(_("Alleen een teamleider wijst zaken toe."))
    if not _is_user(assignee) or not assignee.has_perm("cases.investigate_case"):
        raise ValidationError({"assignee": _("Onderzoeker: kies een onderzoeker van SBB.")})
    case = _lock(case)
    if not selectors.in_team_scope(acting_user, case):
        raise PermissionDenied(_("Deze zaak hoort bij een ander onderzoeksteam."))
    if not selectors.team_investigators(case).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {
                "assignee": _("Onderzoeker: kies een onderzoeker van team %(team)s.")
                % {"team": case.team}
            }
        )
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Een afgesloten zaak wordt niet meer toegewezen."))
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to"])
    record(
        actor=acting_user,
        event=AuditEvent.CASE_ASSIGNED,
        obj=case,
        details={
            "from": previous,
            "to": assignee.pk,
            "team": case.team_id,
            "reason": (reason or "").strip(),
        },
    )
    if assignee.email and previous != assignee.pk:
        enqueue_mail(
            to=assignee.email,
            subject=_("Zaak %(number)s is aan u toegewezen") % {"number": case.number},
            body=_(
                "Uw teamleider heeft zaak %(number)s over %(company)s aan u toegewezen. U vindt "
                "de zaak in Stagekans onder 'Onderzoekszaken'."
            )
            % {"number": case.number, "company": case.company_label or "—"},
            dedup_key=f"case-assigned:{case.pk}:{assignee.pk}:{timezone.now().isoformat()}",
        )
    return case


@transaction.atomic
def pick_up_case(*, acting_user: Any, case: Case) -> Case:
    """An investigator takes an unassigned case from the team's queue; it is theirs from then.

    Two investigators who pick up the same case at once: the row lock serialises them and the
    second is told that a colleague was first; nothing changes for them.
    """
    if (
        not _is_user(acting_user)
        or not acting_user.has_perm("cases.investigate_case")
        or not (
            acting_user.has_perm("cases.pick_up_case")
            or acting_user.has_perm("cases.view_team_cases")
        )
    ):
        raise PermissionDenied(_("U mag geen zaken uit de teamwachtrij oppakken."))
    case = _lock(case)
    if not selectors.in_team_scope(acting_user, case):
        raise PermissionDenied(
            _("Deze zaak staat in de wachtrij van team %(team)s, niet van uw team.")
            % {"team": case.team}
        )
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Een afgesloten zaak wordt niet meer opgepakt."))
    holder = case.assigned_to
    if holder is not None:
        if holder.pk == acting_user.pk:
            return case
        raise ValidationError(
            _("Deze zaak is al opgepakt door %(name)s. Er is niets veranderd.")
            % {"name": holder.get_full_name() or holder.username}
        )
    case.assigned_to = acting_user
    case.save(update_fields=["assigned_to"])
    record(
        actor=acting_user,
        event=AuditEvent.CASE_PICKED_UP,
        obj=case,
        details={"to": acting_user.pk, "team": case.team_id},
    )
    return case


@transaction.atomic
def start_investigation(*, acting_user: Any, case: Case) -> Case:
    """new → under investigation. An unassigned case goes to the team lead who starts it."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    check_transition(CaseStatus(case.status), CaseStatus.UNDER_INVESTIGATION)
    if case.assigned_to_id is None:
        case.assigned_to = acting_user
        case.save(update_fields=["assigned_to"])
    return _transition(case, CaseStatus.UNDER_INVESTIGATION, acting_user=acting_user)


@transaction.atomic
def close_case(*, acting_user: Any, case: Case, reason: str) -> Case:
    """Close a case: dismissed before a hearing, or finished after a decision. Reason required."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    if case.status == CaseStatus.DECIDED:
        decision = selectors.latest_decision(case)
        if decision is not None and timezone.localdate() <= decision.objection_deadline:
            raise ValidationError(
                _(
                    "De bezwaartermijn loopt nog tot en met %(date)s; sluit de zaak daarna, "
                    "of verwerk eerst een bezwaar."
                )
                % {"date": date_format(decision.objection_deadline, "j F Y")}
            )
    return _transition(case, CaseStatus.CLOSED, acting_user=acting_user, reason=reason)


@transaction.atomic
def select_school(*, acting_user: Any, case: Case, school: Any, reason: str = "") -> Case:
    """For a case without a school link: the officer names the school concerned."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    if school is None:
        raise ValidationError({"school": _("School: kies een school.")})
    case.school = school
    case.save(update_fields=["school"])
    record(
        actor=acting_user,
        event=AuditEvent.CASE_SCHOOL_SELECTED,
        obj=case,
        details={"school": school.pk, "reason": (reason or "").strip()},
    )
    return case
