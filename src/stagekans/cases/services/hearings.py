"""Hoor en wederhoor: formal requests with working-day deadlines, extensions, the parties'
responses, the move to assessment and the reminders job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases import selectors
from stagekans.cases.models import (
    Case,
    CaseReporter,
    HearingAttachment,
    HearingRequest,
    HearingResponse,
    Party,
)
from stagekans.cases.services._base import (
    HEARING_WORKING_DAYS,
    MAX_ATTACHMENTS,
    REMIND_WORKING_DAYS_BEFORE,
    _company_emails,
    _is_user,
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
)
from stagekans.core.workdays import add_working_days, working_days_between
from stagekans.notifications.services import enqueue_mail

# --- hearings -----------------------------------------------------------------------------------


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
