"""The decision with its written reasons and measure, the mails and school tasks it causes, and
the revocation it asks the register for."""

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
    CaseDecision,
    CaseRevocation,
    DecisionOutcome,
    Measure,
    Party,
)
from stagekans.cases.services._base import (
    OBJECTION_PERIOD,
    _company_emails,
    _lock,
    _mail_each,
    _refuse_reporter_identity,
    _require_investigator,
    _school_emails,
    _text,
    _transition,
)
from stagekans.cases.workflow import (
    CaseStatus,
    HearingIncomplete,
    check_transition,
)

# --- decision, measure, objection ----------------------------------------------------------------


def _school_decision_mail_body(case: Case, decision: CaseDecision) -> str:
    return _(
        "Geachte heer, mevrouw,\n\n"
        "U bent gehoord in zaak %(number)s over %(company)s. SBB heeft besloten: %(outcome)s. "
        "Maatregel: %(measure)s.\n\n"
        "Loopt er een stage of praktijkovereenkomst bij dit leerbedrijf, bespreek dan met de "
        "student wat dit besluit betekent. Het leerbedrijf kan tot en met %(deadline)s bezwaar "
        "maken; daarna is het besluit definitief.\n\nMet vriendelijke groet,\nSBB\n"
    ) % {
        "number": case.number,
        "company": case.company_label,
        "outcome": decision.get_outcome_display(),
        "measure": decision.get_measure_display(),
        "deadline": date_format(decision.objection_deadline, "j F Y"),
    }


def _decision_mail_body(case: Case, decision: CaseDecision) -> str:
    return _(
        "Geachte heer, mevrouw,\n\n"
        "SBB heeft besloten in zaak %(number)s over %(company)s: %(outcome)s. "
        "Maatregel: %(measure)s.\n\n"
        "De besluitbrief met de motivering staat voor u klaar in Stagekans ('Verzoeken van "
        "SBB'). Bent u het niet eens met het besluit, dan kunt u tot en met %(deadline)s bezwaar "
        "maken bij SBB onder vermelding van het zaaknummer.\n\nMet vriendelijke groet,\nSBB\n"
    ) % {
        "number": case.number,
        "company": case.company_label,
        "outcome": decision.get_outcome_display(),
        "measure": decision.get_measure_display(),
        "deadline": date_format(decision.objection_deadline, "j F Y"),
    }


@transaction.atomic
def decide(
    *,
    acting_user: Any,
    case: Case,
    outcome: DecisionOutcome,
    reasons: str,
    measure: Measure,
    improvement_terms: str = "",
    follow_up_on: dt.date | None = None,
) -> CaseDecision:
    """assessment → decided, with written reasons and a measure.

    Refused until the company and the school have been heard (responded, or their deadline
    passed after a formal request). After an objection, a different officer decides. A
    revocation measure starts the register's four-eyes revocation for every valid recognition
    of the company: it does not propose the revocation itself but asks SBB's advisers to. An
    adviser proposes it (propose_revocation_for_decision, the first officer) and a second,
    different adviser approves it in the register (the second officer).
    """
    case = _lock(case)
    _require_investigator(acting_user, case)
    check_transition(CaseStatus(case.status), CaseStatus.DECIDED)
    problems = selectors.hearing_problems(case)
    if problems:
        raise HearingIncomplete(
            _("U kunt nog niet besluiten: %(problems)s") % {"problems": " ".join(problems)}
        )
    objected = selectors.objected_decision(case)
    if objected is not None and objected.decided_by_id == acting_user.pk:
        raise PermissionDenied(
            _(
                "U nam het besluit waartegen bezwaar is gemaakt. Een andere medewerker beoordeelt "
                "het bezwaar en besluit opnieuw."
            )
        )
    outcome = DecisionOutcome(outcome)
    measure = Measure(measure)
    reasons = _text(reasons, "reasons", _("Motivering"), min_length=20)
    _refuse_reporter_identity(case, reasons, "reasons", _("Motivering"))
    if measure == Measure.REVOCATION and outcome != DecisionOutcome.ESTABLISHED:
        raise ValidationError(
            {"measure": _("Maatregel: intrekking kan alleen als discriminatie is vastgesteld.")}
        )
    today = timezone.localdate()
    if measure == Measure.IMPROVEMENT:
        improvement_terms = _text(improvement_terms, "improvement_terms", _("Verbeterafspraak"))
        _refuse_reporter_identity(
            case, improvement_terms, "improvement_terms", _("Verbeterafspraak")
        )
        if follow_up_on is None or follow_up_on <= today:
            raise ValidationError(
                {"follow_up_on": _("Controle op: kies een datum in de toekomst.")}
            )
    else:
        improvement_terms, follow_up_on = "", None
    decision = CaseDecision.objects.create(
        case=case,
        outcome=outcome,
        reasons=reasons,
        measure=measure,
        improvement_terms=improvement_terms,
        follow_up_on=follow_up_on,
        decided_by=acting_user,
        decided_on=today,
        objection_deadline=today + OBJECTION_PERIOD,
    )
    _transition(
        case,
        CaseStatus.DECIDED,
        acting_user=acting_user,
        reason=str(outcome.label),
    )
    if measure == Measure.REVOCATION:
        _require_revocable(case)
    _mail_each(
        _company_emails(case),
        subject=_("Besluit in zaak %(number)s") % {"number": case.number},
        body=_decision_mail_body(case, decision),
        key=f"case-decision:{decision.pk}:company",
    )
    # The schools that were heard learn the outcome too (not the letter to the company).
    heard_schools = {h.school for h in case.hearings.filter(party=Party.SCHOOL) if h.school}
    for school in sorted(heard_schools, key=lambda school: school.pk):
        _mail_each(
            _school_emails(school),
            subject=_("Uitkomst van zaak %(number)s") % {"number": case.number},
            body=_school_decision_mail_body(case, decision),
            key=f"case-decision:{decision.pk}:school",
        )
        if outcome == DecisionOutcome.ESTABLISHED:
            _school_decision_task(
                acting_user=acting_user, case=case, decision=decision, school=school
            )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_DECIDED,
        obj=case,
        details={
            "decision": decision.pk,
            "outcome": outcome.value,
            "measure": measure.value,
            "follow_up_on": follow_up_on.isoformat() if follow_up_on else None,
            "after_objection": objected.pk if objected is not None else None,
            "revocation_asked": measure == Measure.REVOCATION,
        },
    )
    return decision


def _school_decision_task(
    *, acting_user: Any, case: Case, decision: CaseDecision, school: Any
) -> None:
    """Discrimination established at a company a heard school places students with: the
    school gets a task to follow it up (the revocation itself, once approved, adds one to
    find a replacement placement; see cases/revocation.py)."""
    from stagekans.worklist.models import SchoolTaskKind
    from stagekans.worklist.services import create_school_task

    create_school_task(
        acting_user=acting_user,
        school=school,
        kind=SchoolTaskKind.FOLLOW_UP_CASE_DECISION,
        subject=_(
            "SBB heeft in zaak %(number)s stagediscriminatie vastgesteld bij %(company)s "
            "(maatregel: %(measure)s). Bespreek het besluit met de betrokken student en ga na of "
            "andere studenten van uw school daar stage lopen of solliciteren."
        )
        % {
            "number": case.number,
            "company": case.company_label,
            "measure": decision.get_measure_display(),
        },
        dedup_key=f"case-decision:{decision.pk}:school:{school.pk}",
    )


def _require_revocable(case: Case) -> list[Any]:
    """The company's valid recognitions, or the Dutch reason a revocation cannot be asked."""
    from stagekans.register import selectors as register_selectors

    if case.company is None:
        raise ValidationError({"measure": _("Maatregel: dit bedrijf staat niet in het register.")})
    recognitions = list(
        register_selectors.valid_recognitions().filter(company=case.company).order_by("pk")
    )
    if not recognitions:
        raise ValidationError(
            {"measure": _("Maatregel: het bedrijf heeft geen geldende erkenning om in te trekken.")}
        )
    return recognitions


@transaction.atomic
def propose_revocation_for_decision(
    *, acting_user: Any, decision: CaseDecision, reason: str
) -> list[int]:
    """The first SBB adviser proposes the revocation a decision asked for.

    One four-eyes revocation request per valid recognition of the company, through the
    register's service (which demands `register.propose_revocation`); each is linked to the
    decision so the schools of the case get their tasks when a second, different adviser
    approves it. Only the case's latest decision counts, only while the case stands decided
    (not under objection), and only once (unless the earlier proposal was turned down).
    """
    from stagekans.register import services as register_services

    if acting_user is None or not acting_user.has_perm("register.propose_revocation"):
        raise PermissionDenied(_("U mag geen intrekking van een erkenning voorstellen."))
    case = _lock(decision.case)
    decision = CaseDecision.objects.get(pk=decision.pk)
    if decision.measure != Measure.REVOCATION:
        raise ValidationError(_("Dit besluit vraagt niet om intrekking van de erkenning."))
    latest = case.decisions.order_by("-created_at", "-id").first()
    if case.status != CaseStatus.DECIDED or latest is None or latest.pk != decision.pk:
        raise ValidationError(
            _(
                "Dit besluit geldt niet (meer) als laatste besluit van een besloten zaak "
                "(bijvoorbeeld omdat er bezwaar loopt); er kan geen intrekking op volgen."
            )
        )
    if selectors.revocation_proposed_for(decision):
        raise ValidationError(_("Voor dit besluit is de intrekking al voorgesteld."))
    reason = _text(reason, "reason", _("Redenen"), min_length=20)
    # The reasons go to the company in the revocation mail: never the reporter's identity.
    _refuse_reporter_identity(case, reason, "reason", _("Redenen"))
    ids = []
    for recognition in _require_revocable(case):
        revocation = register_services.request_revocation(
            acting_user=acting_user,
            recognition=recognition,
            reason=reason,
            decision_reference=f"{case.number}/B{decision.pk}",
        )
        CaseRevocation.objects.create(decision=decision, revocation=revocation)
        ids.append(revocation.pk)
    record(
        actor=acting_user,
        event=AuditEvent.CASE_REVOCATION_REQUESTED,
        obj=case,
        details={"decision": decision.pk, "revocations": ids},
    )
    return ids
