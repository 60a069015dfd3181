"""Creating a placement: the one way a student gets a placement, whoever makes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.companies.models import Location, Trainer
from stagekans.education.models import SchoolStaff, Student
from stagekans.placements.hooks import run_placements_changed_handlers
from stagekans.placements.models import Placement
from stagekans.placements.workflow import RUNNING, PlacementSource, PlacementStatus
from stagekans.register.selectors import is_validly_recognised


def create_placement(
    *,
    acting_user: Any,
    student: Student,
    location: Location,
    start_date: dt.date,
    end_date: dt.date,
    source: PlacementSource,
    trainer: Trainer | None = None,
    supervisor: SchoolStaff | None = None,
) -> Placement:
    """A placement of `student` at `location` for the student's own qualification and leerweg.

    Refused (ValidationError with a Dutch message, nothing written) when the period is empty,
    the company is not validly recognised for the qualification on the start date, the
    trainer or supervisor belongs to another company or school, or the student already has a
    running placement that overlaps the period.
    """
    if end_date < start_date:
        raise ValidationError(_("De einddatum ligt voor de begindatum."))
    qualification = student.programme.qualification
    company = location.company
    if not is_validly_recognised(company, qualification.pk, on=start_date):
        raise ValidationError(
            _(
                "%(company)s is op %(date)s niet erkend voor %(qualification)s (crebo "
                "%(crebo)s). Een stage kan alleen bij een erkend leerbedrijf."
            )
            % {
                "company": company.name,
                "date": start_date.strftime("%d-%m-%Y"),
                "qualification": qualification.title,
                "crebo": qualification.crebo,
            }
        )
    if trainer is not None and trainer.company_id != company.pk:
        raise ValidationError(_("De praktijkopleider werkt niet bij dit leerbedrijf."))
    if supervisor is not None and supervisor.school_id != student.school_id:
        raise ValidationError(_("De bpv-begeleider werkt niet bij de school van de student."))
    with transaction.atomic():
        # Lock the student so two offers accepted at once cannot both become placements.
        Student.objects.select_for_update().get(pk=student.pk)
        overlapping = Placement.objects.filter(
            student=student,
            status__in=list(RUNNING),
            start_date__lte=end_date,
            end_date__gte=start_date,
        ).exists()
        if overlapping:
            raise ValidationError(
                _("Deze student heeft al een stage in (een deel van) deze periode.")
            )
        placement = Placement.objects.create(
            student=student,
            school_id=student.school_id,
            company=company,
            location=location,
            qualification=qualification,
            leerweg=student.programme.leerweg,
            start_date=start_date,
            end_date=end_date,
            trainer=trainer,
            supervisor=supervisor,
            source=source,
            status=PlacementStatus.PLANNED,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.PLACEMENT_CREATED,
            obj=placement,
            details={"source": str(source), "company_id": company.pk},
        )
        run_placements_changed_handlers(student_ids=[student.pk])
    return placement
