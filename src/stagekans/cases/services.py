"""Writes for investigation cases: every state change is one audited service.

Other apps open a case only through open_case_from_reports (meldpunt) or open_case (an SBB
officer, or a signal). Each transition locks the case row, checks the transition table in
cases/workflow.py, appends a status-history row and writes its audit row in the same
transaction. The reporter's identity (CaseReporter) never reaches the company or the school.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases import selectors
from stagekans.cases.models import (
    Case,
    CaseDecision,
    CaseMessage,
    CaseReporter,
    CaseRevocation,
    CaseSource,
    CaseStatusChange,
    DecisionOutcome,
    HearingAttachment,
    HearingRequest,
    HearingResponse,
    Measure,
    Objection,
    Party,
)
from stagekans.cases.workflow import (
    REASON_REQUIRED,
    CaseStatus,
    ConflictError,
    HearingIncomplete,
    check_transition,
)
from stagekans.core.workdays import add_working_days, working_days_between
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
    if case.assigned_to_id != user.pk and not user.has_perm("cases.view_team_cases"):
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
    lowered = text.lower()
    for value in selectors.identifying_values(case):
        if value.lower() in lowered:
            raise ValidationError(
                {
                    field: _(
                        "%(field)s: de tekst bevat naam of contactgegevens van de melder. Die "
                        "zijn alleen voor SBB; haal ze uit de tekst."
                    )
                    % {"field": label}
                }
            )


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
    case = Case.objects.create(
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
        },
    )
    return case


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
    case = Case.objects.create(
        company=company,
        summary=summary,
        source=source,
        created_by=acting_user if _is_user(acting_user) else None,
        assigned_to=acting_user if source == CaseSource.OFFICER else None,
    )
    _initial_history(case, acting_user)
    record(
        actor=acting_user,
        event=AuditEvent.CASE_OPENED,
        obj=case,
        details={"source": source.value, "company": company.pk, "signal": signal_reference},
    )
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
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Een afgesloten zaak wordt niet meer toegewezen."))
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to"])
    record(
        actor=acting_user,
        event=AuditEvent.CASE_ASSIGNED,
        obj=case,
        details={"from": previous, "to": assignee.pk, "reason": (reason or "").strip()},
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


def _hearing_mail_body(case: Case, hearing: HearingRequest) -> str:
    return _(
        "Geachte heer, mevrouw,\n\n"
        "SBB onderzoekt een melding over stagediscriminatie bij %(company)s (zaak %(number)s). "
        "Wij horen alle betrokkenen voordat wij een besluit nemen (hoor en wederhoor).\n\n"
        "Waar gaat het om:\n%(summary)s\n\n"
        "Onze vragen:\n%(questions)s\n\n"
        "Wij ontvangen uw reactie graag uiterlijk op %(deadline)s. Log in op Stagekans en kies "
        "'Verzoeken van SBB' om te reageren en stukken mee te sturen.\n\n"
        "Met vriendelijke groet,\nSBB\n"
    ) % {
        "company": case.company_label,
        "number": case.number,
        "summary": case.summary,
        "questions": hearing.questions,
        "deadline": date_format(hearing.deadline, "j F Y"),
    }


def _hearing_recipients(hearing: HearingRequest) -> list[str]:
    if hearing.party == Party.COMPANY:
        return _company_emails(hearing.case)
    if hearing.party == Party.SCHOOL:
        return _school_emails(hearing.school)
    if hearing.reporter is not None and hearing.reporter.email:
        return [hearing.reporter.email]
    return []


@transaction.atomic
def request_hearing(
    *,
    acting_user: Any,
    case: Case,
    party: Party,
    questions: str,
    school: Any = None,
    reporter: CaseReporter | None = None,
    working_days: int = HEARING_WORKING_DAYS,
) -> HearingRequest:
    """Formally ask one party for its side, with a deadline in Dutch working days.

    The company is always heard; the school of the student(s) concerned; the student (the
    reporter) only when they consented to share their identity with SBB.
    """
    case = _lock(case)
    _require_investigator(acting_user, case)
    questions = _text(questions, "questions", _("Vragen"), min_length=10)
    if not 1 <= working_days <= 60:
        raise ValidationError({"working_days": _("Termijn: kies tussen 1 en 60 werkdagen.")})
    current = CaseStatus(case.status)
    if current not in (CaseStatus.UNDER_INVESTIGATION, CaseStatus.HEARING, CaseStatus.ASSESSMENT):
        raise ValidationError(
            _("In status '%(status)s' vraagt u geen hoor en wederhoor.") % {"status": current.label}
        )
    party = Party(party)
    if party in (Party.COMPANY, Party.SCHOOL):
        # The allegation summary goes to the company and the school with the request.
        _refuse_reporter_identity(case, case.summary, "questions", _("Samenvatting van de zaak"))
    if party == Party.COMPANY:
        if case.company is None:
            raise ValidationError(
                _(
                    "Deze zaak gaat over een bedrijf dat niet in het register staat; u kunt het "
                    "bedrijf hier niet horen."
                )
            )
        school, reporter = None, None
        _refuse_reporter_identity(case, questions, "questions", _("Vragen"))
    elif party == Party.SCHOOL:
        if school is None:
            raise ValidationError({"school": _("School: kies de school die u wilt horen.")})
        concerned = selectors.schools_concerned(case)
        if concerned and school.pk not in concerned:
            raise ValidationError(
                {"school": _("School: deze school is niet betrokken bij de zaak.")}
            )
        if not concerned:
            case.school = school
            case.save(update_fields=["school"])
            record(
                actor=acting_user,
                event=AuditEvent.CASE_SCHOOL_SELECTED,
                obj=case,
                details={"school": school.pk},
            )
        reporter = None
        _refuse_reporter_identity(case, questions, "questions", _("Vragen"))
    else:
        if reporter is None or reporter.case_id != case.pk:
            raise ValidationError(
                {
                    "reporter": _(
                        "Student: de melder gaf geen toestemming om de identiteit met SBB te "
                        "delen; u kunt de student daarom niet rechtstreeks horen."
                    )
                }
            )
        school = None
    open_same = HearingRequest.objects.filter(
        case=case, party=party, school=school, reporter=reporter, responded_at__isnull=True
    ).filter(deadline__gte=timezone.localdate())
    if open_same.exists():
        raise ValidationError(
            _("Er loopt al een verzoek aan deze partij waarvan de termijn nog niet voorbij is.")
        )
    if current == CaseStatus.UNDER_INVESTIGATION:
        _transition(case, CaseStatus.HEARING, acting_user=acting_user)
    elif current == CaseStatus.ASSESSMENT:
        _transition(
            case,
            CaseStatus.HEARING,
            acting_user=acting_user,
            reason=_("Aanvullend hoor en wederhoor: %(party)s") % {"party": party.label},
        )
    today = timezone.localdate()
    hearing = HearingRequest.objects.create(
        case=case,
        party=party,
        school=school,
        reporter=reporter,
        questions=questions,
        sent_on=today,
        deadline=add_working_days(today, working_days),
        requested_by=acting_user,
    )
    recipients = _hearing_recipients(hearing)
    _mail_each(
        recipients,
        subject=_("Verzoek om uw reactie: zaak %(number)s") % {"number": case.number},
        body=_hearing_mail_body(case, hearing),
        key=f"case-hearing:{hearing.pk}:request",
    )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_HEARING_REQUESTED,
        obj=case,
        details={
            "hearing": hearing.pk,
            "party": party.value,
            "school": school.pk if school is not None else None,
            "deadline": hearing.deadline.isoformat(),
            "working_days": working_days,
            "mails": len(recipients),
        },
    )
    return hearing


@transaction.atomic
def extend_hearing_deadline(
    *, acting_user: Any, hearing: HearingRequest, extra_working_days: int, reason: str
) -> HearingRequest:
    """Extend (or, for a suspension, push back) a party's deadline; always with a reason."""
    case = _lock(hearing.case)
    _require_investigator(acting_user, case)
    reason = _text(reason, "reason", _("Reden"))
    if not 1 <= extra_working_days <= 60:
        raise ValidationError(
            {"extra_working_days": _("Verlenging: kies tussen 1 en 60 werkdagen.")}
        )
    if case.status not in (CaseStatus.HEARING, CaseStatus.ASSESSMENT):
        raise ValidationError(_("Alleen tijdens hoor en wederhoor of beoordeling verlengt u."))
    hearing = HearingRequest.objects.select_for_update().get(pk=hearing.pk)
    if hearing.responded_at is not None:
        raise ValidationError(_("Deze partij heeft al gereageerd."))
    old = hearing.deadline
    base = max(old, timezone.localdate())
    hearing.deadline = add_working_days(base, extra_working_days)
    hearing.save(update_fields=["deadline"])
    _mail_each(
        _hearing_recipients(hearing),
        subject=_("Nieuwe termijn: zaak %(number)s") % {"number": case.number},
        body=_(
            "Geachte heer, mevrouw,\n\nDe termijn om te reageren in zaak %(number)s is "
            "verlengd tot en met %(deadline)s.\n\nMet vriendelijke groet,\nSBB\n"
        )
        % {"number": case.number, "deadline": date_format(hearing.deadline, "j F Y")},
        key=f"case-hearing:{hearing.pk}:extended:{hearing.deadline}",
    )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_HEARING_DEADLINE_EXTENDED,
        obj=case,
        details={
            "hearing": hearing.pk,
            "from": old.isoformat(),
            "to": hearing.deadline.isoformat(),
            "reason": reason,
        },
    )
    return hearing


def _may_respond(user: Any, hearing: HearingRequest) -> bool:
    if not _is_user(user):
        return False
    if hearing.party == Party.STUDENT:
        case = hearing.case
        return user.has_perm("cases.investigate_case") and (
            case.assigned_to_id == user.pk or user.has_perm("cases.view_team_cases")
        )
    return selectors.party_hearings(user).filter(pk=hearing.pk).exists()


@transaction.atomic
def respond_to_hearing(
    *,
    acting_user: Any,
    hearing: HearingRequest,
    statement: str,
    attachments: Sequence[Any] = (),
) -> HearingResponse:
    """The party's side: in the company's or school's portal, or recorded by SBB for the
    student. `attachments` are cleaned files (meldpunt.attachments.clean_attachment)."""
    case = _lock(hearing.case)
    hearing = (
        HearingRequest.objects.select_for_update(of=("self",))
        .select_related("case", "school")
        .get(pk=hearing.pk)
    )
    if not _may_respond(acting_user, hearing):
        raise PermissionDenied(_("U mag niet namens deze partij reageren."))
    if case.status not in (CaseStatus.HEARING, CaseStatus.ASSESSMENT):
        raise ValidationError(
            _("In deze zaak is al besloten of de zaak is gesloten; een reactie kan niet meer.")
        )
    statement = _text(statement, "statement", _("Reactie"), min_length=10)
    if hearing.party in (Party.COMPANY, Party.SCHOOL):
        _refuse_reporter_identity(case, statement, "statement", _("Reactie"))
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("Bijlagen: stuur hoogstens %(n)d bestanden mee.")
                % {"n": MAX_ATTACHMENTS}
            }
        )
    response = HearingResponse.objects.create(
        hearing=hearing,
        statement=statement,
        responded_by=acting_user,
        recorded_by_sbb=hearing.party == Party.STUDENT,
    )
    for index, item in enumerate(attachments, start=1):
        attachment = HearingAttachment(
            response=response,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
        )
        attachment.file.save(
            f"reactie-{hearing.pk}-{response.pk}-{index}.{item.extension}",
            ContentFile(item.content),
            save=False,
        )
        attachment.save()
    if hearing.responded_at is None:
        hearing.responded_at = timezone.now()
        hearing.save(update_fields=["responded_at"])
    if case.assigned_to is not None and case.assigned_to.email:
        enqueue_mail(
            to=case.assigned_to.email,
            subject=_("Reactie ontvangen: zaak %(number)s") % {"number": case.number},
            body=_("In zaak %(number)s heeft %(party)s gereageerd. Zie de tijdlijn van de zaak.")
            % {"number": case.number, "party": hearing.party_label},
            dedup_key=f"case-response:{response.pk}",
        )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_HEARING_RESPONDED,
        obj=case,
        details={
            "hearing": hearing.pk,
            "party": hearing.party,
            "response": response.pk,
            "attachments": len(attachments),
            "late": timezone.localdate() > hearing.deadline,
        },
    )
    return response


@transaction.atomic
def start_assessment(*, acting_user: Any, case: Case) -> Case:
    case = _lock(case)
    _require_investigator(acting_user, case)
    return _transition(case, CaseStatus.ASSESSMENT, acting_user=acting_user)


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
    of the company; it takes effect only when a second SBB officer approves it in the register.
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
    revocations: list[int] = []
    if measure == Measure.REVOCATION:
        revocations = _request_revocations(acting_user=acting_user, case=case, decision=decision)
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
            "revocations": revocations,
        },
    )
    return decision


def _request_revocations(*, acting_user: Any, case: Case, decision: CaseDecision) -> list[int]:
    from stagekans.register import selectors as register_selectors
    from stagekans.register import services as register_services

    if case.company is None:
        raise ValidationError({"measure": _("Maatregel: dit bedrijf staat niet in het register.")})
    recognitions = list(
        register_selectors.valid_recognitions().filter(company=case.company).order_by("pk")
    )
    if not recognitions:
        raise ValidationError(
            {"measure": _("Maatregel: het bedrijf heeft geen geldende erkenning om in te trekken.")}
        )
    ids = []
    for recognition in recognitions:
        revocation = register_services.request_revocation(
            acting_user=acting_user,
            recognition=recognition,
            reason=decision.reasons,
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


# --- messages, views, reminders -----------------------------------------------------------------


@transaction.atomic
def send_message(
    *,
    acting_user: Any,
    case: Case,
    party: Party,
    subject: str,
    body: str,
    school: Any = None,
) -> CaseMessage:
    """A message to one party, stored in the case and mailed through the outbox."""
    case = _lock(case)
    _require_investigator(acting_user, case)
    party = Party(party)
    subject = _text(subject, "subject", _("Onderwerp"))[:150]
    body = _text(body, "body", _("Bericht"))
    if party == Party.COMPANY:
        if case.company is None:
            raise ValidationError({"party": _("Aan: dit bedrijf staat niet in het register.")})
        recipients = _company_emails(case)
        school = None
    elif party == Party.SCHOOL:
        if school is None or school.pk not in selectors.schools_concerned(case):
            raise ValidationError(
                {"party": _("Aan: kies een school die bij de zaak betrokken is.")}
            )
        recipients = _school_emails(school)
    else:
        recipients = sorted({r.email for r in selectors.reporters_of(case) if r.email})
        if not recipients:
            raise ValidationError(
                {"party": _("Aan: de melder gaf geen toestemming of geen e-mailadres.")}
            )
        school = None
    if party != Party.STUDENT:
        _refuse_reporter_identity(case, f"{subject}\n{body}", "body", _("Bericht"))
    message = CaseMessage.objects.create(
        case=case,
        party=party,
        school=school,
        subject=subject,
        body=body,
        sent_by=acting_user,
        recipients=len(recipients),
    )
    _mail_each(
        recipients,
        subject=_("Zaak %(number)s: %(subject)s") % {"number": case.number, "subject": subject},
        body=body,
        key=f"case-message:{message.pk}",
    )
    record(
        actor=acting_user,
        event=AuditEvent.CASE_MESSAGE_SENT,
        obj=case,
        details={"message": message.pk, "party": party.value, "recipients": len(recipients)},
    )
    return message


@transaction.atomic
def record_case_view(*, acting_user: Any, case: Case, what: str = "case") -> None:
    """Every view of a case (by SBB or by a party) leaves an audit row."""
    record(actor=acting_user, event=AuditEvent.CASE_VIEWED, obj=case, details={"what": what})


def send_hearing_reminders(*, today: dt.date | None = None) -> int:
    """Remind parties whose deadline is at most two working days away (system job).

    Idempotent: `reminded_for` remembers the deadline a reminder went out for, and the outbox
    dedup key includes it, so a re-run sends nothing twice and an extension earns a new one.
    """
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_WORKING_DAYS_BEFORE)
    due_ids = list(
        HearingRequest.objects.filter(
            responded_at__isnull=True,
            deadline__gte=today,
            deadline__lte=horizon,
            case__status__in=[CaseStatus.HEARING, CaseStatus.ASSESSMENT],
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due_ids:
        with transaction.atomic():
            hearing = (
                HearingRequest.objects.select_for_update(of=("self",))
                .select_related("case__company", "school", "reporter")
                .get(pk=pk)
            )
            if hearing.responded_at is not None or hearing.reminded_for == hearing.deadline:
                continue
            left = working_days_between(today, hearing.deadline)
            recipients = _hearing_recipients(hearing)
            _mail_each(
                recipients,
                subject=_("Herinnering: uw reactie in zaak %(number)s")
                % {"number": hearing.case.number},
                body=_(
                    "Geachte heer, mevrouw,\n\nWij herinneren u aan ons verzoek om uw "
                    "reactie in zaak %(number)s. De termijn loopt af op %(deadline)s "
                    "(%(left)s).\n\nMet vriendelijke groet,\nSBB\n"
                )
                % {
                    "number": hearing.case.number,
                    "deadline": date_format(hearing.deadline, "j F Y"),
                    "left": ngettext("nog %(n)d werkdag", "nog %(n)d werkdagen", left)
                    % {"n": left},
                },
                key=f"case-hearing:{hearing.pk}:reminder:{hearing.deadline}",
            )
            hearing.reminded_for = hearing.deadline
            hearing.save(update_fields=["reminded_for"])
            record(
                actor=None,
                event=AuditEvent.CASE_HEARING_REMINDED,
                obj=hearing.case,
                details={
                    "hearing": hearing.pk,
                    "deadline": hearing.deadline.isoformat(),
                    "mails": len(recipients),
                },
            )
            sent += 1
    return sent
