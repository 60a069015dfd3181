"""BPV-begeleiding: the begeleider of a placement, contact moments, requests for contact and
the end-of-internship evaluation. `Placement.next_contact_due` is kept here (from the active
POK's frequency and the last contact, skipping school holidays: placements.due)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.education.models import SchoolStaff
from stagekans.notifications.services import enqueue_mail
from stagekans.placements.due import next_contact_due
from stagekans.placements.models import (
    Agreement,
    ContactMoment,
    ContactRequest,
    Evaluation,
    Placement,
)
from stagekans.placements.schoolholidays import region_of_province
from stagekans.placements.workflow import (
    RUNNING,
    AgreementStatus,
    ContactKind,
    EvaluationParty,
    PlacementStatus,
)


def refresh_due_date(*, placement: Placement, agreement: Agreement | None = None) -> dt.date | None:
    """Recompute and store when the next contact is due (call inside the transaction)."""
    if agreement is None:
        agreement = placement.agreements.filter(status=AgreementStatus.ACTIVE).first()
    due: dt.date | None = None
    if agreement is not None and placement.status == PlacementStatus.ACTIVE:
        last = (
            ContactMoment.objects.filter(placement=placement)
            .order_by("-held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        base = max(last, agreement.start_date) if last else agreement.start_date
        due = next_contact_due(
            last_contact=base,
            every_weeks=agreement.contact_every_weeks,
            region=region_of_province(placement.school.province),
            end_date=agreement.end_date,
        )
    Placement.objects.filter(pk=placement.pk).update(next_contact_due=due)
    placement.next_contact_due = due
    return due


@transaction.atomic
def set_supervisor(
    *, acting_user: Any, placement: Placement, supervisor: SchoolStaff | None
) -> Placement:
    """Assign or change the school's bpv-begeleider of a placement."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if supervisor is not None and supervisor.school_id != placement.school_id:
        raise ValidationError(
            {"supervisor": _("De bpv-begeleider werkt niet bij de school van de student.")}
        )
    previous = placement.supervisor_id
    placement.supervisor = supervisor
    placement.save(update_fields=["supervisor"])
    audit.record(
        actor=acting_user,
        event=AuditEvent.PLACEMENT_SUPERVISOR_SET,
        obj=placement,
        details={"from": previous, "to": supervisor.pk if supervisor else None},
    )
    if supervisor is not None and supervisor.user.email:
        enqueue_mail(
            to=supervisor.user.email,
            subject=_("U bent bpv-begeleider van een stagiair"),
            body=_(
                "Goedendag,\n\nU bent in Stagekans bpv-begeleider geworden van %(student)s, "
                "stage bij %(company)s. Onder 'Mijn stagiairs' ziet u wanneer het volgende "
                "contactmoment uiterlijk moet plaatsvinden.\n"
            )
            % {"student": placement.student, "company": placement.company.name},
            dedup_key=f"supervisor:{placement.pk}:{supervisor.pk}:{timezone.now():%Y%m%d%H%M%S}",
        )
    return placement


def may_supervise(user: Any, placement: Placement) -> bool:
    staff = getattr(user, "school_staff", None)
    return (
        staff is not None
        and staff.school_id == placement.school_id
        and user.has_perm("placements.supervise_placement")
    )


def log_contact(
    *,
    acting_user: Any,
    placement: Placement,
    held_on: dt.date,
    kind: ContactKind,
    with_student: bool,
    with_trainer: bool,
    other_participants: str = "",
    notes: str = "",
) -> ContactMoment:
    """The begeleider (or a colleague at the school) logs a contact; it answers the open
    requests for contact and moves the next due date (a new overdue period starts)."""
    if not may_supervise(acting_user, placement):
        raise PermissionDenied(_("Alleen de school van de student legt contactmomenten vast."))
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Een contactmoment in de toekomst kan nog niet worden vastgelegd.")
    if held_on < placement.start_date - dt.timedelta(days=30):
        errors["held_on"] = _("Deze datum ligt ruim voor het begin van de stage.")
    if kind not in ContactKind.values:
        errors["kind"] = _("Kies hoe het contact plaatsvond.")
    if not (with_student or with_trainer or other_participants.strip()):
        errors["with_student"] = _("Geef aan wie er deelnam.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("school")
            .get(pk=placement.pk)
        )
        if placement.status not in RUNNING:
            raise ValidationError(_("Deze stage loopt niet meer."))
        contact = ContactMoment.objects.create(
            placement=placement,
            held_on=held_on,
            kind=kind,
            with_student=with_student,
            with_trainer=with_trainer,
            other_participants=other_participants.strip(),
            notes=notes.strip(),
            logged_by=acting_user,
        )
        ContactRequest.objects.filter(placement=placement, answered_by_contact__isnull=True).update(
            answered_by_contact=contact
        )
        if kind == ContactKind.ON_SITE:
            Placement.objects.filter(pk=placement.pk).update(
                site_visits_done=F("site_visits_done") + 1
            )
        audit.record(
            actor=acting_user,
            event=AuditEvent.CONTACT_LOGGED,
            obj=placement,
            details={"contact": contact.pk, "kind": str(kind), "held_on": held_on.isoformat()},
        )
        refresh_due_date(placement=placement)
    return contact


def requesting_party(user: Any, placement: Placement) -> EvaluationParty | None:
    if not getattr(user, "is_authenticated", False):
        return None
    student = getattr(user, "student", None)
    if student is not None and student.pk == placement.student_id:
        return EvaluationParty.STUDENT
    trainer = getattr(user, "trainer", None)
    if trainer is not None and trainer.company_id == placement.company_id:
        return EvaluationParty.COMPANY
    staff = getattr(user, "school_staff", None)
    if staff is not None and staff.school_id == placement.school_id:
        return EvaluationParty.SCHOOL
    return None


def request_contact(*, acting_user: Any, placement: Placement, message: str) -> ContactRequest:
    """The student or the praktijkopleider asks the begeleider for a contact."""
    party = requesting_party(acting_user, placement)
    if party not in (EvaluationParty.STUDENT, EvaluationParty.COMPANY):
        raise PermissionDenied(_("Alleen de student en het leerbedrijf vragen om contact."))
    if not message.strip():
        raise ValidationError({"message": _("Schrijf kort waarover u contact wilt.")})
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("supervisor__user", "student")
            .get(pk=placement.pk)
        )
        if placement.status not in RUNNING:
            raise ValidationError(_("Deze stage loopt niet meer."))
        request = ContactRequest.objects.create(
            placement=placement, party=party, message=message.strip(), requested_by=acting_user
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.CONTACT_REQUESTED,
            obj=placement,
            details={"request": request.pk, "party": str(party)},
        )
        if placement.supervisor is not None and placement.supervisor.user.email:
            enqueue_mail(
                to=placement.supervisor.user.email,
                subject=_("Verzoek om contact: stage van %(student)s")
                % {"student": placement.student},
                body=_(
                    "Goedendag,\n\n%(party)s vraagt om een contactmoment over de stage van "
                    "%(student)s:\n\n%(message)s\n\nU ziet het verzoek in Stagekans onder "
                    "'Mijn stagiairs'.\n"
                )
                % {
                    "party": party.label.capitalize(),
                    "student": placement.student,
                    "message": request.message,
                },
                dedup_key=f"contact-request:{request.pk}",
            )
    return request


def submit_evaluation(
    *,
    acting_user: Any,
    placement: Placement,
    learning: int,
    supervision: int,
    school_contact: int,
    would_recommend: bool,
    remarks: str = "",
) -> Evaluation:
    """One party's end-of-internship evaluation (once per party; from the last two weeks of
    the internship on)."""
    party = requesting_party(acting_user, placement)
    if party is None:
        raise PermissionDenied(_("U bent geen partij bij deze stage."))
    if party == EvaluationParty.SCHOOL and not may_supervise(acting_user, placement):
        raise PermissionDenied(_("U bent geen partij bij deze stage."))
    errors: dict[str, str] = {}
    for field, value in (
        ("learning", learning),
        ("supervision", supervision),
        ("school_contact", school_contact),
    ):
        if value not in range(1, 6):
            errors[field] = _("Kies een score van 1 tot en met 5.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if placement.status not in (PlacementStatus.ACTIVE, PlacementStatus.ENDED):
            raise ValidationError(_("Een stage die niet gestart is, wordt niet geëvalueerd."))
        if timezone.localdate() < placement.end_date - dt.timedelta(days=14):
            raise ValidationError(
                _("De eindevaluatie kan vanaf twee weken voor het einde van de stage.")
            )
        if Evaluation.objects.filter(placement=placement, party=party).exists():
            raise ValidationError(_("U heeft deze stage al geëvalueerd."))
        evaluation = Evaluation.objects.create(
            placement=placement,
            party=party,
            learning=learning,
            supervision=supervision,
            school_contact=school_contact,
            would_recommend=would_recommend,
            remarks=remarks.strip(),
            submitted_by=acting_user,
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.EVALUATION_SUBMITTED,
            obj=placement,
            details={"party": str(party)},
        )
    return evaluation
