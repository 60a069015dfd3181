"""Writes of study advice: marking a school year niet-bindend, and giving advice.

In a marked year a binding negative advice is refused. The refusal is itself audited: its
audit row is committed in its own transaction before the refusal is raised, so the attempt
stays on record although nothing else is written. The refusal carries the proposal the user
sees: advice "uitgesteld" with the next moment (rules.next_moment).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.workdays import is_working_day
from stagekans.education.models import School, Student
from stagekans.studyadvice import rules, selectors
from stagekans.studyadvice.models import AdviceKind, NonBindingYear, StudyAdvice, school_year_label

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _staff_school(user: Any) -> School | None:
    staff = (
        getattr(user, "school_staff", None) if getattr(user, "is_authenticated", False) else None
    )
    return staff.school if staff is not None else None


class BindingAdviceRefused(ValidationError):
    """A binding negative advice in a niet-bindend school year. `proposal` is what to give."""

    def __init__(self, message: str, *, proposal: dict[str, Any]) -> None:
        super().__init__(message, code="binding_refused")
        self.proposal = proposal


def mark_school_year(
    *,
    acting_user: Any,
    school: School | None,
    school_year: int,
    reason: str,
    document: bytes | None = None,
    document_reference: str = "",
) -> NonBindingYear:
    """school=None marks the year for every school (platform permission)."""
    if school is None:
        if not acting_user.has_perm("studyadvice.mark_school_year_all"):
            raise PermissionDenied
    elif not (
        acting_user.has_perm("studyadvice.mark_school_year")
        and _staff_school(acting_user) == school
    ):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Geef de reden waarom dit schooljaar niet-bindend is.")]
    if not document and not document_reference.strip():
        errors["document"] = [
            _("Voeg het besluit toe als pdf, of verwijs naar het besluit waarop dit berust.")
        ]
    if document and (not document.startswith(b"%PDF-") or len(document) > MAX_DOCUMENT_BYTES):
        errors["document"] = [_("Het brondocument moet een pdf van hoogstens 10 MB zijn.")]
    if not 2000 <= school_year <= 2100:
        errors["school_year"] = [_("Kies een geldig schooljaar.")]
    if errors:
        raise ValidationError(errors)
    mark = NonBindingYear(
        school=school,
        school_year=school_year,
        reason=reason.strip(),
        document_reference=document_reference.strip(),
        marked_by=acting_user,
    )
    try:
        with transaction.atomic():
            if document:
                mark.document.save("besluit.pdf", ContentFile(document), save=False)
            mark.save()
            record(
                actor=acting_user,
                event=AuditEvent.SCHOOL_YEAR_MARKED_NON_BINDING,
                obj=mark,
                details={
                    "school": school.pk if school else None,
                    "school_year": school_year,
                    "document": bool(document),
                    "reference": mark.document_reference,
                },
            )
    except IntegrityError:
        if mark.document.name:
            mark.document.storage.delete(mark.document.name)
        raise ValidationError(
            {"school_year": [_("Dit schooljaar is al gemarkeerd als niet-bindend.")]}
        ) from None
    return mark


def record_document_view(*, acting_user: Any, mark: NonBindingYear) -> None:
    with transaction.atomic():
        record(actor=acting_user, event=AuditEvent.SCHOOL_YEAR_DOCUMENT_VIEWED, obj=mark)


def propose_next_moment(school: School, advice_date: dt.date) -> dt.date:
    return rules.next_moment(
        advice_date,
        is_marked=lambda year: selectors.is_marked(school, year),
        is_working_day=is_working_day,
    )


def give_advice(
    *,
    acting_user: Any,
    student: Student,
    kind: AdviceKind,
    binding: bool,
    advice_date: dt.date,
    reasoning: str,
    next_moment: dt.date | None = None,
) -> StudyAdvice:
    school = _staff_school(acting_user)
    if (
        school is None
        or school.pk != student.school_id
        or not acting_user.has_perm("studyadvice.give_study_advice")
    ):
        raise PermissionDenied
    kind = AdviceKind(kind)
    binding = bool(binding) and kind == AdviceKind.NEGATIVE
    errors: dict[str, list[str]] = {}
    if not reasoning.strip():
        errors["reasoning"] = [_("Onderbouw het advies.")]
    if kind == AdviceKind.POSTPONED and next_moment is None:
        errors["next_moment"] = [_("Geef bij een uitgesteld advies het volgende moment.")]
    if next_moment is not None and next_moment <= advice_date:
        errors["next_moment"] = [_("Het volgende moment ligt na de datum van het advies.")]
    if errors:
        raise ValidationError(errors)
    school_year = rules.school_year_of(advice_date)
    mark = selectors.marking_for(school, school_year)
    if mark is not None and kind == AdviceKind.NEGATIVE and binding:
        proposal_date = propose_next_moment(school, advice_date)
        with transaction.atomic():
            record(
                actor=acting_user,
                event=AuditEvent.STUDY_ADVICE_REFUSED,
                obj=student,
                details={
                    "school_year": school_year,
                    "mark": mark.pk,
                    "proposed_next_moment": proposal_date.isoformat(),
                },
            )
        raise BindingAdviceRefused(
            _(
                "Een bindend negatief studieadvies kan niet in schooljaar %(year)s: dit "
                "schooljaar is niet-bindend (%(reason)s). Geef het advies uitgesteld; het "
                "volgende moment is %(next)s."
            )
            % {
                "year": school_year_label(school_year),
                "reason": mark.reason,
                "next": proposal_date.strftime("%d-%m-%Y"),
            },
            proposal={"kind": AdviceKind.POSTPONED, "binding": False, "next_moment": proposal_date},
        )
    with transaction.atomic():
        advice = StudyAdvice.objects.create(
            student=student,
            school=school,
            school_year=school_year,
            kind=kind,
            binding=binding,
            advice_date=advice_date,
            reasoning=reasoning.strip(),
            next_moment=next_moment if kind == AdviceKind.POSTPONED else None,
            given_by=acting_user,
            in_marked_year=mark is not None,
        )
        record(
            actor=acting_user,
            event=AuditEvent.STUDY_ADVICE_GIVEN,
            obj=advice,
            details={
                "kind": kind.value,
                "binding": binding,
                "school_year": school_year,
                "in_marked_year": mark is not None,
            },
        )
        return advice
