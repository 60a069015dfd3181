"""The praktijkovereenkomst (POK) and its bpv-bladen: draft, send for signing, sign, activate.

Version 1 of a placement's agreement is the POK; every later version is a bpv-blad with a
summary of what changed. A version is edited only as a draft; once sent it is signed as it is
(or withdrawn). It becomes ACTIVE only when every required party signed: the student, the
company (a praktijkopleider of the company), the school (staff of the student's school) and,
when the student is under 18 on the version's start date, a parent or guardian (name and date
recorded by the school or the student). The previous active version becomes SUPERSEDED in the
same transaction, never earlier. A POK is only made with a company validly recognised for the
placement's qualification on the start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.notifications.services import enqueue_mail
from stagekans.placements.hooks import run_placements_changed_handlers
from stagekans.placements.models import Agreement, Placement, Signature
from stagekans.placements.workflow import (
    OPEN_AGREEMENT,
    RUNNING,
    AgreementStatus,
    AgreementTransitionNotAllowed,
    PlacementStatus,
    SigningParty,
    check_agreement_transition,
    check_transition,
)
from stagekans.register.selectors import is_validly_recognised

ADULT_AGE = 18


@dataclass(frozen=True)
class AgreementTerms:
    """What the parties agree in one version (the structured POK)."""

    start_date: dt.date
    end_date: dt.date
    hours: int
    work_processes: str
    assessment: str
    contact_every_weeks: int
    min_site_visits: int = 1
    weekdays: int = 0
    keuzedeel: str = ""


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def required_parties(agreement: Agreement) -> list[SigningParty]:
    """Who must sign this version: the three parties, plus a guardian for a minor."""
    parties = [SigningParty.STUDENT, SigningParty.COMPANY, SigningParty.SCHOOL]
    student = agreement.placement.student
    if age_on(student.date_of_birth, agreement.start_date) < ADULT_AGE:
        parties.append(SigningParty.GUARDIAN)
    return parties


def missing_parties(agreement: Agreement) -> list[SigningParty]:
    signed = set(agreement.signatures.values_list("party", flat=True))
    return [party for party in required_parties(agreement) if party not in signed]


def _check_recognition(placement: Placement, start_date: dt.date) -> None:
    if not is_validly_recognised(placement.company, placement.qualification_id, on=start_date):
        raise ValidationError(
            _(
                "%(company)s is op %(date)s niet erkend voor %(qualification)s (crebo "
                "%(crebo)s). Een praktijkovereenkomst kan alleen met een leerbedrijf dat op de "
                "begindatum erkend is voor deze kwalificatie."
            )
            % {
                "company": placement.company.name,
                "date": start_date.strftime("%d-%m-%Y"),
                "qualification": placement.qualification.title,
                "crebo": placement.qualification.crebo,
            }
        )


def _validate_terms(terms: AgreementTerms) -> None:
    errors: dict[str, str] = {}
    if terms.end_date < terms.start_date:
        errors["end_date"] = _("De einddatum ligt voor de begindatum.")
    if not 1 <= terms.hours <= 5000:
        errors["hours"] = _("Vul een aantal uren tussen 1 en 5000 in.")
    if not terms.work_processes.strip():
        errors["work_processes"] = _("Noem de werkprocessen die de student oefent.")
    if not terms.assessment.strip():
        errors["assessment"] = _("Beschrijf hoe de student wordt beoordeeld.")
    if not 1 <= terms.contact_every_weeks <= 26:
        errors["contact_every_weeks"] = _("Contact met school: elke 1 tot 26 weken.")
    if not 0 <= terms.min_site_visits <= 20:
        errors["min_site_visits"] = _("Het aantal bezoeken op locatie ligt tussen 0 en 20.")
    if not 0 <= terms.weekdays <= 127:
        errors["weekdays"] = _("Kies de stagedagen uit maandag tot en met zondag.")
    if errors:
        raise ValidationError(errors)


def _transition(agreement: Agreement, target: AgreementStatus) -> None:
    try:
        check_agreement_transition(AgreementStatus(agreement.status), target)
    except AgreementTransitionNotAllowed as error:
        raise ValidationError(str(error)) from error
    agreement.status = target


def draft_agreement(
    *,
    acting_user: Any,
    placement: Placement,
    terms: AgreementTerms,
    change_summary: str = "",
) -> Agreement:
    """A new draft version: the POK (version 1) or a bpv-blad (a later version, which needs a
    `change_summary`). At most one draft or version out for signing per placement."""
    _validate_terms(terms)
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("company", "qualification", "student")
            .get(pk=placement.pk)
        )
        if placement.status not in RUNNING:
            raise ValidationError(_("Deze stage loopt niet meer; er kan geen versie bij."))
        if placement.agreements.filter(status__in=list(OPEN_AGREEMENT)).exists():
            raise ValidationError(
                _(
                    "Er is al een versie in concept of ter ondertekening. Rond die eerst af of "
                    "trek hem in."
                )
            )
        _check_recognition(placement, terms.start_date)
        has_active = placement.agreements.filter(status=AgreementStatus.ACTIVE).exists()
        if has_active and not change_summary.strip():
            raise ValidationError(
                {
                    "change_summary": _(
                        "Beschrijf wat er verandert ten opzichte van de getekende versie "
                        "(bpv-blad)."
                    )
                }
            )
        last = placement.agreements.aggregate(m=Max("version"))["m"] or 0
        agreement = Agreement.objects.create(
            placement=placement,
            version=last + 1,
            status=AgreementStatus.DRAFT,
            start_date=terms.start_date,
            end_date=terms.end_date,
            hours=terms.hours,
            work_processes=terms.work_processes.strip(),
            assessment=terms.assessment.strip(),
            contact_every_weeks=terms.contact_every_weeks,
            min_site_visits=terms.min_site_visits,
            weekdays=terms.weekdays,
            keuzedeel=terms.keuzedeel.strip(),
            change_summary=change_summary.strip() if has_active else "",
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.AGREEMENT_DRAFTED,
            obj=agreement,
            details={"placement": placement.pk, "version": agreement.version},
        )
    return agreement


def change_draft(
    *, acting_user: Any, agreement: Agreement, terms: AgreementTerms, change_summary: str = ""
) -> Agreement:
    """Edit a draft (only a draft: once sent, a version is signed as it is)."""
    _validate_terms(terms)
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("placement__company", "placement__qualification")
            .get(pk=agreement.pk)
        )
        if agreement.status != AgreementStatus.DRAFT:
            raise ValidationError(_("Alleen een concept kan nog worden gewijzigd."))
        _check_recognition(agreement.placement, terms.start_date)
        if agreement.version > 1 and not change_summary.strip():
            raise ValidationError({"change_summary": _("Beschrijf wat er verandert (bpv-blad).")})
        for field in (
            "start_date",
            "end_date",
            "hours",
            "contact_every_weeks",
            "min_site_visits",
            "weekdays",
        ):
            setattr(agreement, field, getattr(terms, field))
        agreement.work_processes = terms.work_processes.strip()
        agreement.assessment = terms.assessment.strip()
        agreement.keuzedeel = terms.keuzedeel.strip()
        if agreement.version > 1:
            agreement.change_summary = change_summary.strip()
        agreement.save()
        audit.record(
            actor=acting_user, event=AuditEvent.AGREEMENT_CHANGED, obj=agreement, details={}
        )
    return agreement


def send_for_signing(*, acting_user: Any, agreement: Agreement) -> Agreement:
    """Freeze a draft and ask the parties to sign it (mail via the outbox)."""
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related(
                "placement__company",
                "placement__qualification",
                "placement__student__user",
                "placement__trainer__user",
            )
            .get(pk=agreement.pk)
        )
        _check_recognition(agreement.placement, agreement.start_date)
        _transition(agreement, AgreementStatus.SIGNING)
        agreement.save(update_fields=["status"])
        audit.record(
            actor=acting_user,
            event=AuditEvent.AGREEMENT_SENT,
            obj=agreement,
            details={"version": agreement.version},
        )
        placement = agreement.placement
        recipients = []
        if placement.student.user is not None and placement.student.user.email:
            recipients.append(placement.student.user.email)
        if placement.trainer is not None and placement.trainer.user.email:
            recipients.append(placement.trainer.user.email)
        what = _("de praktijkovereenkomst") if agreement.version == 1 else _("een bpv-blad")
        for email in recipients:
            enqueue_mail(
                to=email,
                subject=_("Tekenen: %(what)s voor de stage bij %(company)s")
                % {"what": what, "company": placement.company.name},
                body=_(
                    "Goedendag,\n\nEr staat %(what)s (versie %(version)s) voor u klaar om te "
                    "tekenen in Stagekans, voor de stage bij %(company)s van %(start)s tot en "
                    "met %(end)s.\n\nLog in bij Stagekans en open de stage onder 'Stages'.\n"
                )
                % {
                    "what": what,
                    "version": agreement.version,
                    "company": placement.company.name,
                    "start": agreement.start_date.strftime("%d-%m-%Y"),
                    "end": agreement.end_date.strftime("%d-%m-%Y"),
                },
                dedup_key=f"agreement-sent:{agreement.pk}:{email}",
            )
    return agreement


def withdraw_agreement(*, acting_user: Any, agreement: Agreement) -> Agreement:
    """Let a draft or a version out for signing lapse (it stays readable)."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _transition(agreement, AgreementStatus.WITHDRAWN)
        agreement.save(update_fields=["status"])
        audit.record(
            actor=acting_user, event=AuditEvent.AGREEMENT_WITHDRAWN, obj=agreement, details={}
        )
    return agreement


def party_of(user: Any, placement: Placement) -> SigningParty | None:
    """Which party `user` may sign for on this placement, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    student = getattr(user, "student", None)
    if student is not None and student.pk == placement.student_id:
        return SigningParty.STUDENT
    if not user.has_perm("placements.sign_agreement"):
        return None
    trainer = getattr(user, "trainer", None)
    if trainer is not None and trainer.company_id == placement.company_id:
        return SigningParty.COMPANY
    staff = getattr(user, "school_staff", None)
    if staff is not None and staff.school_id == placement.school_id:
        return SigningParty.SCHOOL
    return None


def sign_agreement(*, acting_user: Any, agreement: Agreement) -> Agreement:
    """`acting_user` signs for their own party (student, company or school); the version is
    activated when this was the last required signature."""
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("placement__student", "placement__company", "placement__qualification")
            .get(pk=agreement.pk)
        )
        party = party_of(acting_user, agreement.placement)
        if party is None:
            raise PermissionDenied(_("U kunt deze overeenkomst niet tekenen."))
        _add_signature(acting_user=acting_user, agreement=agreement, party=party)
        _activate_if_complete(acting_user=acting_user, agreement=agreement)
    return agreement


def record_guardian_signature(
    *, acting_user: Any, agreement: Agreement, guardian_name: str, signed_on: dt.date
) -> Agreement:
    """The school or the student records that a parent or guardian signed (name and date)."""
    name = guardian_name.strip()
    if not name:
        raise ValidationError({"guardian_name": _("Vul de naam van de ouder of voogd in.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("De datum van de handtekening ligt in de toekomst.")})
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("placement__student", "placement__company", "placement__qualification")
            .get(pk=agreement.pk)
        )
        party = party_of(acting_user, agreement.placement)
        if party not in (SigningParty.STUDENT, SigningParty.SCHOOL):
            raise PermissionDenied(
                _("Alleen de school of de student legt de handtekening van een ouder vast.")
            )
        if SigningParty.GUARDIAN not in required_parties(agreement):
            raise ValidationError(
                _("De student is op de begindatum 18 jaar of ouder; een ouder tekent niet mee.")
            )
        _add_signature(
            acting_user=acting_user,
            agreement=agreement,
            party=SigningParty.GUARDIAN,
            guardian_name=name,
            guardian_signed_on=signed_on,
        )
        _activate_if_complete(acting_user=acting_user, agreement=agreement)
    return agreement


def _add_signature(
    *,
    acting_user: Any,
    agreement: Agreement,
    party: SigningParty,
    guardian_name: str = "",
    guardian_signed_on: dt.date | None = None,
) -> Signature:
    if agreement.status != AgreementStatus.SIGNING:
        raise ValidationError(_("Deze versie staat niet (meer) ter ondertekening."))
    if agreement.signatures.filter(party=party).exists():
        raise ValidationError(
            _("Voor %(party)s is deze versie al getekend.") % {"party": party.label}
        )
    signature = Signature.objects.create(
        agreement=agreement,
        party=party,
        signed_by=acting_user,
        guardian_name=guardian_name,
        guardian_signed_on=guardian_signed_on,
    )
    audit.record(
        actor=acting_user,
        event=(
            AuditEvent.AGREEMENT_GUARDIAN_RECORDED
            if party == SigningParty.GUARDIAN
            else AuditEvent.AGREEMENT_SIGNED
        ),
        obj=agreement,
        details={"party": str(party), "version": agreement.version},
    )
    return signature


def _activate_if_complete(*, acting_user: Any, agreement: Agreement) -> None:
    if missing_parties(agreement):
        return
    from stagekans.placements.services.revocation import close_replacement_tasks
    from stagekans.placements.services.supervision import refresh_due_date

    placement = Placement.objects.select_for_update().get(pk=agreement.placement_id)
    # A recognition revoked while the version was out for signing stops it here too.
    _check_recognition(placement, agreement.start_date)
    previous = list(
        Agreement.objects.select_for_update().filter(
            placement=placement, status=AgreementStatus.ACTIVE
        )
    )
    for old in previous:
        _transition(old, AgreementStatus.SUPERSEDED)
        old.save(update_fields=["status"])
        audit.record(
            actor=acting_user,
            event=AuditEvent.AGREEMENT_SUPERSEDED,
            obj=old,
            details={"by_version": agreement.version},
        )
    _transition(agreement, AgreementStatus.ACTIVE)
    agreement.activated_at = timezone.now()
    agreement.save(update_fields=["status", "activated_at"])
    audit.record(
        actor=acting_user,
        event=AuditEvent.AGREEMENT_ACTIVATED,
        obj=agreement,
        details={"version": agreement.version},
    )
    placement.start_date = agreement.start_date
    placement.end_date = agreement.end_date
    placement.min_site_visits = agreement.min_site_visits
    fields = ["start_date", "end_date", "min_site_visits"]
    if placement.status == PlacementStatus.PLANNED:
        check_transition(PlacementStatus.PLANNED, PlacementStatus.ACTIVE)
        placement.status = PlacementStatus.ACTIVE
        fields.append("status")
        audit.record(
            actor=acting_user, event=AuditEvent.PLACEMENT_ACTIVATED, obj=placement, details={}
        )
    placement.save(update_fields=fields)
    run_placements_changed_handlers(student_ids=[placement.student_id])
    refresh_due_date(placement=placement, agreement=agreement)
    close_replacement_tasks(acting_user=acting_user, placement=placement)
