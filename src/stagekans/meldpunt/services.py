"""Writes for the meldpunt. Every state change is one audited, atomic service function.

The intake stores the report, its grounds, contact details, attachments, first history row,
audit row and the confirmation mail (outbox) in ONE transaction: either all of it is there
after a crash or restart, or none of it and the reporter is told to try again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagekans.audit.erasure import erase_free_text
from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases import services as case_services
from stagekans.core.anonymity import find_identity, refusal
from stagekans.core.storage import private_storage
from stagekans.core.workdays import add_working_days
from stagekans.education.selectors import students_visible_to
from stagekans.meldpunt import receipt, selectors
from stagekans.meldpunt.attachments import CleanAttachment, clean_attachments
from stagekans.meldpunt.models import (
    FollowUp,
    Ground,
    MessageSender,
    Phase,
    Report,
    ReportAttachment,
    ReporterContact,
    ReporterRole,
    ReportGround,
    ReportMessage,
    ReportStatusChange,
)
from stagekans.meldpunt.workflow import ReportStatus, check_transition
from stagekans.notifications.services import enqueue_mail, forget_mails

MAX_TEXT = 10_000
MAX_MESSAGE = 5_000
REPLY_WORKING_DAYS = 3


class SupportOrganisation:
    SCHOOL_CONFIDANT = gettext_lazy("Vertrouwenspersoon van de school")
    ANTI_DISCRIMINATION_SERVICE = gettext_lazy("Antidiscriminatievoorziening in de regio")


@dataclass(frozen=True)
class ContactDetails:
    name: str = ""
    email: str = ""
    phone: str = ""

    def is_empty(self) -> bool:
        return not (self.name.strip() or self.email.strip() or self.phone.strip())


@dataclass(frozen=True)
class SubmittedReport:
    report: Report
    receipt_code: str | None  # shown once to an anonymous reporter, never stored


class DuplicateSubmission(Exception):
    """The same form (one submission token) was sent before: no second report, no second code."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(report.reference)


def submission_token_hash(token: str) -> str | None:
    token = (token or "").strip()
    if not token:
        return None
    return hashlib.sha256(token.encode()).hexdigest()


def reply_due_on(received_at: dt.datetime) -> dt.date:
    """3 Dutch working days after the (local) day of receipt."""
    return add_working_days(timezone.localdate(received_at), REPLY_WORKING_DAYS)


def _validate_intake(
    *,
    user: Any,
    reporter_role: str,
    what_happened: str,
    occurred_on: dt.date | None,
    grounds: Sequence[str],
    phase: str,
    follow_up: str,
    company: Any,
    company_name: str,
    contact: ContactDetails,
    on_behalf_of: Any,
    today: dt.date,
    anonymous_student: bool = False,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if reporter_role not in ReporterRole.values:
        add("reporter_role", _("Wie meldt: kies wie de melding doet."))
    if not what_happened:
        add("what_happened", _("Wat is er gebeurd: beschrijf kort wat er is gebeurd."))
    elif len(what_happened) > MAX_TEXT:
        add(
            "what_happened",
            _("Wat is er gebeurd: gebruik hoogstens %(max)d tekens (nu %(n)d).")
            % {"max": MAX_TEXT, "n": len(what_happened)},
        )
    if occurred_on is None:
        add("occurred_on", _("Wanneer: vul de datum in (ongeveer is goed)."))
    elif occurred_on > today:
        add("occurred_on", _("Wanneer: de datum ligt in de toekomst."))
    elif occurred_on.year < 2000:
        add("occurred_on", _("Wanneer: kies een datum na 1 januari 2000."))
    if not grounds:
        add("grounds", _("Discriminatiegrond: kies ten minste één grond."))
    elif any(g not in Ground.values for g in grounds):
        add("grounds", _("Discriminatiegrond: kies alleen gronden uit de lijst."))
    if phase not in Phase.values:
        add("phase", _("Wanneer gebeurde het: kies bij het zoeken of tijdens de stage."))
    if follow_up not in FollowUp.values:
        add("follow_up", _("Wat wil je dat er gebeurt: kies een van de mogelijkheden."))
    if company is None and not company_name:
        add(
            "company_name",
            _("Bedrijf: kies een bedrijf uit het register of vul de naam van het bedrijf in."),
        )
    elif len(company_name) > 200:
        add("company_name", _("Naam van het bedrijf: gebruik hoogstens 200 tekens."))
    if contact.email:
        try:
            validate_email(contact.email)
        except ValidationError:
            add("contact_email", _("E-mailadres: vul een geldig e-mailadres in."))
    if len(contact.name) > 200:
        add("contact_name", _("Naam: gebruik hoogstens 200 tekens."))
    if len(contact.phone) > 30:
        add("contact_phone", _("Telefoonnummer: gebruik hoogstens 30 tekens."))
    if reporter_role == ReporterRole.SCHOOL_STAFF:
        if user is None or not user.has_perm("meldpunt.file_report_on_behalf"):
            add(
                "reporter_role", _("Wie meldt: alleen schoolmedewerkers melden namens een student.")
            )
        elif anonymous_student:
            if on_behalf_of is not None:
                add(
                    "on_behalf_of",
                    _("Student: een anonieme melding namens een student noemt geen student."),
                )
            elif getattr(user, "school_staff", None) is None:
                add("reporter_role", _("Wie meldt: je bent niet aan een school gekoppeld."))
        elif on_behalf_of is None:
            add("on_behalf_of", _("Student: kies de student namens wie je meldt."))
        elif not students_visible_to(user).filter(pk=on_behalf_of.pk).exists():
            add("on_behalf_of", _("Student: deze student hoort niet bij jouw school."))
    elif on_behalf_of is not None or anonymous_student:
        add("on_behalf_of", _("Student: alleen een schoolmedewerker meldt namens een student."))
    return errors


def _store_attachments(report: Report, cleaned: Iterable[CleanAttachment]) -> list[str]:
    names: list[str] = []
    for index, item in enumerate(cleaned, start=1):
        attachment = ReportAttachment(
            report=report,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
        )
        attachment.file.save(
            f"bijlage-{index}.{item.extension}", ContentFile(item.content), save=False
        )
        names.append(str(attachment.file.name))
        attachment.save()
    return names


def _new_report_reference() -> str:
    for _attempt in range(20):
        reference = receipt.new_reference()
        if not Report.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free report reference after 20 tries")


def submit_report(
    *,
    acting_user: Any,
    reporter_role: str,
    what_happened: str,
    occurred_on: dt.date | None,
    grounds: Sequence[str],
    phase: str,
    follow_up: str,
    company: Any = None,
    company_name: str = "",
    vacancy_description: str = "",
    province: str = "",
    consent_share_identity_with_sbb: bool = False,
    consent_share_identity_with_school: bool = False,
    contact: ContactDetails | None = None,
    on_behalf_of: Any = None,
    attachments: Sequence[Any] = (),
    submission_token: str = "",
    anonymous_student: bool = False,
) -> SubmittedReport:
    """Accept a report. `acting_user` is the logged-in reporter, or None for an anonymous one.

    An anonymous reporter gets a receipt code (returned once, only its hash is stored); a
    logged-in reporter follows the report from "Mijn meldingen". Raises ValidationError with
    Dutch messages per field; then nothing is stored.

    `submission_token` is the form's one-time token: a second submission with the same token
    (refresh, double click, two tabs racing) raises DuplicateSubmission with the first report,
    and creates nothing — no second report and no second receipt code. A unique constraint
    decides the race, so it holds across processes.

    `anonymous_student`: school staff report on behalf of a student who did not consent to
    sharing their identity: no student is named (`on_behalf_of` stays empty), the report is
    linked to the staff member's school only.
    """
    token_hash = submission_token_hash(submission_token)
    if token_hash is not None:
        earlier = Report.objects.filter(submission_token_hash=token_hash).first()
        if earlier is not None:
            raise DuplicateSubmission(earlier)
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    contact = contact or ContactDetails()
    contact = ContactDetails(
        name=contact.name.strip(), email=contact.email.strip().lower(), phone=contact.phone.strip()
    )
    what_happened = (what_happened or "").strip()
    company_name = (company_name or "").strip()
    vacancy_description = (vacancy_description or "").strip()[:300]
    now = timezone.now()
    errors = _validate_intake(
        user=user,
        reporter_role=reporter_role,
        what_happened=what_happened,
        occurred_on=occurred_on,
        grounds=grounds,
        phase=phase,
        follow_up=follow_up,
        company=company,
        company_name=company_name,
        contact=contact,
        on_behalf_of=on_behalf_of,
        today=timezone.localdate(now),
        anonymous_student=anonymous_student,
    )
    cleaned: list[CleanAttachment] = []
    try:
        cleaned = clean_attachments(list(attachments))
    except ValidationError as error:
        errors.setdefault("attachments", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    student = on_behalf_of or (getattr(user, "student", None) if user else None)
    if reporter_role == ReporterRole.WITNESS:
        student = None
    school = student.school if student is not None else None
    if anonymous_student and user is not None:
        school = user.school_staff.school
    sector = company.sector if company is not None else ""
    if not sector and student is not None:
        sector = student.programme.qualification.sector
    if company is not None and not province:
        location = company.locations.order_by("id").first()
        province = location.province if location else ""
    if not province and school is not None:
        province = school.province

    secret = receipt.new_secret() if user is None else None
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            report = Report(
                reference=_new_report_reference(),
                receipt_code_hash=receipt.hash_secret(secret) if secret else "",
                submission_token_hash=token_hash,
                reporter_role=reporter_role,
                reporter_user=user,
                on_behalf_of=on_behalf_of,
                school=school,
                what_happened=what_happened,
                occurred_on=occurred_on,  # type: ignore[misc]  # validated above
                company=company,
                company_name="" if company is not None else company_name,
                vacancy_description=vacancy_description,
                phase=phase,
                follow_up=follow_up,
                sector=sector,
                province=province or "",
                consent_share_identity_with_sbb=consent_share_identity_with_sbb,
                consent_share_identity_with_school=consent_share_identity_with_school,
                status=ReportStatus.RECEIVED,
                received_at=now,
                reply_due_on=reply_due_on(now),
            )
            report.save()
            ReportGround.objects.bulk_create(
                [ReportGround(report=report, ground=g) for g in sorted(set(grounds))]
            )
            if not contact.is_empty():
                ReporterContact.objects.create(
                    report=report, name=contact.name, email=contact.email, phone=contact.phone
                )
            stored_files = _store_attachments(report, cleaned)
            check_transition(None, ReportStatus.RECEIVED)
            # A reporter is never recorded as the actor of their own report (history, audit):
            # those rows outlive retention. Staff filing on a student's behalf are accountable.
            accountable = user if reporter_role == ReporterRole.SCHOOL_STAFF else None
            ReportStatusChange.objects.create(
                report=report, from_status="", to_status=ReportStatus.RECEIVED, actor=accountable
            )
            # No identity, no address, no request metadata in the audit row.
            record(
                actor=accountable,
                event=AuditEvent.REPORT_SUBMITTED,
                obj=report,
                details={
                    "reporter_role": reporter_role,
                    "channel": "account" if user else "anonymous",
                    "attachments": len(cleaned),
                },
            )
            email = selectors.reporter_email(report)
            if email:
                enqueue_mail(
                    to=email,
                    subject=_("Je melding %(ref)s is ontvangen") % {"ref": report.reference},
                    body=_confirmation_body(report),
                    dedup_key=f"meldpunt:confirm:{report.reference}",
                )
    except IntegrityError:
        for name in stored_files:
            private_storage().delete(name)
        earlier = (
            Report.objects.filter(submission_token_hash=token_hash).first()
            if token_hash is not None
            else None
        )
        if earlier is not None:  # lost the race against the same form sent a moment earlier
            raise DuplicateSubmission(earlier) from None
        raise
    except BaseException:
        for name in stored_files:
            private_storage().delete(name)
        raise
    code = receipt.ReceiptCode(report.reference, secret).formatted() if secret else None
    return SubmittedReport(report=report, receipt_code=code)


def _confirmation_body(report: Report) -> str:
    return _(
        "Beste melder,\n\n"
        "Het Meldpunt stagediscriminatie heeft je melding ontvangen. Je meldingsnummer is "
        "%(ref)s.\n\n"
        "We reageren uiterlijk op %(due)s. Je leest onze reactie en berichten op %(url)s "
        "(met je account of met de ontvangstcode die je op het scherm kreeg; die code sturen we "
        "om veiligheidsredenen niet per e-mail).\n\n"
        "Dank je wel dat je dit meldt. Iedere melding helpt om discriminatie bij stages zichtbaar "
        "te maken en aan te pakken.\n\n"
        "Meldpunt stagediscriminatie"
    ) % {
        "ref": report.reference,
        "due": date_format(report.reply_due_on, "j F Y"),
        "url": f"{settings.SITE_URL}/meldpunt/volgen/",
    }


def _require_triage(acting_user: Any) -> None:
    if acting_user is None or not acting_user.has_perm("meldpunt.triage_report"):
        raise PermissionDenied(_("Alleen het meldpunt beoordeelt meldingen."))


def _transition(
    *, acting_user: Any, report: Report, target: ReportStatus, note: str = "", **updates: Any
) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    current = ReportStatus(locked.status)
    check_transition(current, target)
    for field, value in updates.items():
        setattr(locked, field, value)
    locked.status = target
    if target == ReportStatus.CLOSED:
        locked.closed_at = timezone.now()
    locked.save()
    ReportStatusChange.objects.create(
        report=locked, from_status=current, to_status=target, actor=acting_user, note=note
    )
    record(
        actor=acting_user,
        event=AuditEvent.REPORT_STATUS_CHANGED,
        obj=locked,
        details={"from": current.value, "to": target.value},
    )
    return locked


@transaction.atomic
def start_triage(*, acting_user: Any, report: Report, note: str = "") -> Report:
    _require_triage(acting_user)
    return _transition(
        acting_user=acting_user, report=report, target=ReportStatus.IN_TRIAGE, note=note
    )


@transaction.atomic
def register_only(*, acting_user: Any, report: Report, note: str = "") -> Report:
    _require_triage(acting_user)
    return _transition(
        acting_user=acting_user, report=report, target=ReportStatus.REGISTERED_ONLY, note=note
    )


@transaction.atomic
def refer_to_support(
    *, acting_user: Any, report: Report, organisation: str, contact_details: str, note: str = ""
) -> Report:
    """Refer the reporter to support and tell them where to go (a message in their thread)."""
    _require_triage(acting_user)
    organisation, contact_details = organisation.strip(), contact_details.strip()
    errors = {}
    if not organisation:
        errors["organisation"] = _("Doorverwijzen naar: kies de organisatie.")
    if not contact_details:
        errors["contact_details"] = _(
            "Contactgegevens: vul in hoe de melder de organisatie bereikt."
        )
    if errors:
        raise ValidationError(errors)
    report = _transition(
        acting_user=acting_user,
        report=report,
        target=ReportStatus.REFERRED_TO_SUPPORT,
        note=note,
        referral_organisation=organisation[:200],
        referral_contact=contact_details,
    )
    _send_to_reporter(
        acting_user=acting_user,
        report=report,
        body=_(
            "We verwijzen je door naar: %(org)s.\nZo bereik je hen: %(contact)s\n"
            "Zij kunnen je steunen en adviseren. Je kunt ons hier altijd een bericht sturen."
        )
        % {"org": organisation, "contact": contact_details},
    )
    return report


@transaction.atomic
def forward_to_sbb(*, acting_user: Any, report: Report, summary: str, note: str = "") -> Report:
    """Forward to SBB for investigation: opens a case through the cases app.

    The reporter's identity goes along only with their explicit consent; otherwise SBB gets the
    anonymised summary alone, and a summary that names or contains the reporter's contact
    details is refused.
    """
    _require_triage(acting_user)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(
            {"summary": _("Samenvatting: vul een geanonimiseerde samenvatting in.")}
        )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    check_transition(ReportStatus(locked.status), ReportStatus.FORWARDED_TO_SBB)
    identity = selectors.identity_for_sbb(locked)
    # The summary is what the company and the school will read in a hearing; consent covers
    # SBB only, so it must never name the reporter (the identity travels apart, with consent).
    hit = find_identity(summary, [selectors.reporter_identity(locked)])
    if hit is not None:
        raise ValidationError({"summary": refusal(hit, _("Samenvatting"))})
    case = case_services.open_case_from_reports(
        acting_user=acting_user,
        reports=[locked],
        summary=summary,
        company=locked.company,
        company_name=locked.company_name,
        shared_identities=[identity] if identity else [],
    )
    return _transition(
        acting_user=acting_user,
        report=locked,
        target=ReportStatus.FORWARDED_TO_SBB,
        note=note,
        case=case,
    )


@transaction.atomic
def close_report(*, acting_user: Any, report: Report, note: str = "") -> Report:
    _require_triage(acting_user)
    return _transition(
        acting_user=acting_user, report=report, target=ReportStatus.CLOSED, note=note
    )


def _clean_message(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Bericht: schrijf een bericht.")})
    if len(body) > MAX_MESSAGE:
        raise ValidationError(
            {"body": _("Bericht: gebruik hoogstens %(max)d tekens.") % {"max": MAX_MESSAGE}}
        )
    return body


def _send_to_reporter(*, acting_user: Any, report: Report, body: str) -> ReportMessage:
    message = ReportMessage.objects.create(
        report=report, sender=MessageSender.MELDPUNT, author=acting_user, body=body
    )
    if report.first_reply_at is None:
        report.first_reply_at = message.created_at
        report.save(update_fields=["first_reply_at"])
    record(
        actor=acting_user,
        event=AuditEvent.REPORT_MESSAGE_SENT,
        obj=report,
        details={"sender": MessageSender.MELDPUNT.value, "message": message.pk},
    )
    email = selectors.reporter_email(report)
    if email:
        enqueue_mail(
            to=email,
            subject=_("Nieuw bericht over je melding %(ref)s") % {"ref": report.reference},
            body=_(
                "Het Meldpunt stagediscriminatie heeft je een bericht gestuurd over melding "
                "%(ref)s. Lees het op %(url)s (met je account of je ontvangstcode).\n\n"
                "Meldpunt stagediscriminatie"
            )
            % {"ref": report.reference, "url": f"{settings.SITE_URL}/meldpunt/volgen/"},
            dedup_key=f"meldpunt:message:{message.pk}",
        )
    return message


@transaction.atomic
def send_message_to_reporter(*, acting_user: Any, report: Report, body: str) -> ReportMessage:
    _require_triage(acting_user)
    body = _clean_message(body)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.contact_erased_at is not None:
        raise ValidationError(_("De contactgegevens van deze melding zijn gewist."))
    return _send_to_reporter(acting_user=acting_user, report=locked, body=body)


@transaction.atomic
def post_reporter_message(*, acting_user: Any, report: Report, body: str) -> ReportMessage:
    """A message from the reporter (by account or after entering the receipt code)."""
    body = _clean_message(body)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status == ReportStatus.CLOSED:
        raise ValidationError(
            _("Deze melding is afgesloten. Doe een nieuwe melding als er iets nieuws is.")
        )
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    message = ReportMessage.objects.create(
        report=locked, sender=MessageSender.REPORTER, author=user, body=body
    )
    record(
        actor=user,
        event=AuditEvent.REPORT_MESSAGE_SENT,
        obj=locked,
        details={"sender": MessageSender.REPORTER.value, "message": message.pk},
    )
    return message


@transaction.atomic
def record_report_view(*, acting_user: Any, report: Report, what: str = "report") -> None:
    """Every view of a report by staff leaves an audit row (in the view's own transaction)."""
    record(
        actor=acting_user,
        event=AuditEvent.REPORT_ATTACHMENT_VIEWED
        if what == "attachment"
        else AuditEvent.REPORT_VIEWED,
        obj=report,
        details={"what": what},
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        private_storage().delete(name)


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)


def erase_expired_contacts(
    *, acting_user: Any = None, now: dt.datetime | None = None, months: int | None = None
) -> int:
    """Retention: erase what identifies the reporter `months` after closure.

    Left behind is an anonymised report for statistics: grounds, phase, sector, province,
    company, dates and status history. Erased: contact details, the links to user and student,
    the receipt code hash, the narrative, the messages, the attachments and the free-text notes
    of the status history (through audit.erasure.erase_free_text, audited). Each report is
    erased in its own transaction, so a crash halfway loses nothing and the next run resumes.
    """
    now = now or timezone.now()
    months = settings.MELDPUNT_RETENTION_MONTHS if months is None else months
    cutoff = _months_before(now, months)
    due = list(
        Report.objects.filter(
            status=ReportStatus.CLOSED, closed_at__lte=cutoff, contact_erased_at__isnull=True
        ).values_list("pk", flat=True)
    )
    erased = 0
    for pk in due:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=pk)
            if report.contact_erased_at is not None:
                continue
            files = [str(a.file.name) for a in report.attachments.all()]
            ReporterContact.objects.filter(report=report).delete()
            # Mails to the reporter (sent or owed) hold their address and the report number.
            forget_mails(
                dedup_keys=[
                    f"meldpunt:confirm:{report.reference}",
                    *(
                        f"meldpunt:message:{pk}"
                        for pk in report.messages.values_list("pk", flat=True)
                    ),
                ]
            )
            if report.case_id is not None:
                case_services.forget_reporter(
                    acting_user=acting_user,
                    case_id=report.case_id,
                    report_reference=report.reference,
                )
            report.messages.all().delete()
            report.attachments.all().delete()
            # Staff notes on status changes may name the reporter; the history itself (who
            # changed what, when) stays. The only sanctioned change of an append-only table.
            notes = ReportStatusChange.objects.filter(report=report).exclude(note="")
            if notes.exists():
                erase_free_text(
                    acting_user=acting_user,
                    queryset=notes,
                    fields=["note"],
                    obj=report,
                    reason="meldpunt.retention",
                )
            report.reporter_user = None
            report.on_behalf_of = None
            report.receipt_code_hash = ""
            report.what_happened = ""
            report.vacancy_description = ""
            report.referral_contact = ""
            report.contact_erased_at = now
            report.save()
            record(
                actor=acting_user,
                event=AuditEvent.REPORT_CONTACT_ERASED,
                obj=report,
                details={"closed_at": report.closed_at.isoformat() if report.closed_at else None},
            )
            transaction.on_commit(partial(_delete_files, files))
        erased += 1
    return erased
