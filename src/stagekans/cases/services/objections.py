"""Objection (bezwaar) to a decision, registered by SBB or filed by the company in its portal,
and the reassessment by another officer."""

from __future__ import annotations

import datetime as dt
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
    Objection,
    Party,
)
from stagekans.cases.services._base import (
    _is_user,
    _lock,
    _require_investigator,
    _text,
    _transition,
)
from stagekans.cases.workflow import (
    CaseStatus,
    check_transition,
)
from stagekans.notifications.services import enqueue_mail


def _objection(*, acting_user: Any, case: Case, received_on: dt.date, grounds: str) -> Objection:
    """The part both ways of objecting share, on a locked case whose actor was checked:
    decided → objection, only within six weeks of the decision."""
    check_transition(CaseStatus(case.status), CaseStatus.OBJECTION)
    grounds = _text(grounds, "grounds", _("Gronden"), min_length=10)
    decision = selectors.latest_decision(case)
    if decision is None:  # pragma: no cover - decided always has a decision
        raise ValidationError(_("Er is geen besluit om bezwaar tegen te maken."))
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("Ontvangen op: kies een datum, niet in de toekomst.")}
        )
    if received_on < decision.decided_on:
        raise ValidationError({"received_on": _("Ontvangen op: die datum ligt vóór het besluit.")})
    if received_on > decision.objection_deadline:
        raise ValidationError(
            {
                "received_on": _(
                    "Ontvangen op: de bezwaartermijn van zes weken liep af op %(date)s; het "
                    "bezwaar is te laat."
                )
                % {"date": date_format(decision.objection_deadline, "j F Y")}
            }
        )
    objection = Objection.objects.create(
        case=case,
        decision=decision,
        received_on=received_on,
        grounds=grounds,
        registered_by=acting_user,
    )
    _transition(case, CaseStatus.OBJECTION, acting_user=acting_user)
    return objection


@transaction.atomic
def register_objection(
    *, acting_user: Any, case: Case, received_on: dt.date, grounds: str
) -> Objection:
    """decided → objection, only within six weeks of the decision."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    objection = _objection(
        acting_user=acting_user, case=case, received_on=received_on, grounds=grounds
    )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_OBJECTION_REGISTERED,
        obj=case,
        details={"objection": objection.pk, "decision": objection.decision_id},
    )
    return objection


def _require_company_trainer(user: Any, case: Case) -> None:
    """A trainer of the case's company, scoped like the portal (a hearing request to them)."""
    if not _is_user(user) or not user.has_perm("cases.respond_to_hearing"):
        raise PermissionDenied(_("U mag geen bezwaar maken namens een leerbedrijf."))
    trainer = getattr(user, "trainer", None)
    if trainer is None or case.company_id is None or trainer.company_id != case.company_id:
        raise PermissionDenied(_("U mag geen bezwaar maken namens een leerbedrijf."))
    if not selectors.party_hearings(user).filter(case=case, party=Party.COMPANY).exists():
        raise PermissionDenied(_("U mag geen bezwaar maken namens een leerbedrijf."))


@transaction.atomic
def file_objection_by_company(*, acting_user: Any, case: Case, grounds: str) -> Objection:
    """The learning company objects to the decision itself, in its portal, received today.

    Same state change as register_objection (decided → objection within six weeks; after it a
    different officer reassesses); the assigned investigator gets a mail.
    """
    case = _lock(case)
    _require_company_trainer(acting_user, case)
    if case.status != CaseStatus.DECIDED:
        raise ValidationError(
            _("Bezwaar maken kan alleen tegen een besluit waartegen nog geen bezwaar loopt.")
        )
    decision = selectors.latest_decision(case)
    today = timezone.localdate()
    if decision is not None and today > decision.objection_deadline:
        raise ValidationError(
            _("De bezwaartermijn van zes weken liep af op %(date)s; bezwaar maken kan niet meer.")
            % {"date": date_format(decision.objection_deadline, "j F Y")}
        )
    objection = _objection(acting_user=acting_user, case=case, received_on=today, grounds=grounds)
    if case.assigned_to is not None and case.assigned_to.email:
        enqueue_mail(
            to=case.assigned_to.email,
            subject=_("Bezwaar ontvangen in zaak %(number)s") % {"number": case.number},
            body=_(
                "Het leerbedrijf heeft in het portaal bezwaar gemaakt tegen het besluit van "
                "%(date)s in zaak %(number)s. Zie de zaak voor de gronden; een andere "
                "medewerker dan degene die besloot beoordeelt het bezwaar."
            )
            % {
                "number": case.number,
                "date": date_format(objection.decision.decided_on, "j F Y"),
            },
            dedup_key=f"case-objection:{objection.pk}:investigator",
        )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_OBJECTION_FILED_BY_COMPANY,
        obj=case,
        details={"objection": objection.pk, "decision": objection.decision_id},
    )
    return objection


@transaction.atomic
def reopen_assessment(*, acting_user: Any, case: Case, assignee: Any, reason: str) -> Case:
    """objection → assessment, by an officer other than the one who decided."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    check_transition(CaseStatus(case.status), CaseStatus.ASSESSMENT)
    if not _is_user(assignee) or not assignee.has_perm("cases.investigate_case"):
        raise ValidationError({"assignee": _("Onderzoeker: kies een onderzoeker van SBB.")})
    objected = selectors.objected_decision(case)
    if objected is not None and objected.decided_by_id == assignee.pk:
        raise ValidationError(
            {
                "assignee": _(
                    "Onderzoeker: kies een andere medewerker dan degene die het besluit nam."
                )
            }
        )
    previous = case.assigned_to_id
    _transition(case, CaseStatus.ASSESSMENT, acting_user=acting_user, reason=reason)
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to"])
    record(
        actor=acting_user,
        event=AuditEvent.CASE_ASSIGNED,
        obj=case,
        details={"from": previous, "to": assignee.pk, "reason": "bezwaar"},
    )
    return case
