"""Test helpers for placements: a placement with every party (student, trainer, begeleider)
made through the services, and a POK signed by everyone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.companies.models import Location
from stagekans.education.models import School, SchoolStaff, Student
from stagekans.placements.models import Agreement, Placement
from stagekans.placements.services import agreements
from stagekans.placements.services.agreements import AgreementTerms
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import PlacementSource
from stagekans.testing import factories as f

START = dt.date(2026, 9, 7)
END = dt.date(2027, 6, 25)


@dataclass
class World:
    placement: Placement
    student: Student
    student_user: User
    trainer_user: User
    staff_user: User
    staff: SchoolStaff
    school: School
    location: Location


def terms(**overrides: Any) -> AgreementTerms:
    values: dict[str, Any] = {
        "start_date": START,
        "end_date": END,
        "hours": 800,
        "work_processes": "B1-K1-W1 Stelt een werkplanning op\nB1-K1-W2 Voert werkzaamheden uit",
        "assessment": "Praktijkbeoordeling door de praktijkopleider met de bpv-begeleider.",
        "contact_every_weeks": 4,
        "min_site_visits": 2,
        "weekdays": 1 | 2 | 4,
        "keuzedeel": "",
    }
    values.update(overrides)
    return AgreementTerms(**values)


def world(
    *,
    date_of_birth: dt.date = dt.date(2004, 3, 1),
    start: dt.date = START,
    end: dt.date = END,
    school: School | None = None,
    place: str = "Utrecht",
) -> World:
    school = school or cast(School, f.SchoolFactory(place=place))
    programme = f.ProgrammeFactory(school=school)
    student = cast(
        Student,
        f.StudentFactory(programme=programme, school=school, date_of_birth=date_of_birth),
    )
    student_user = f.student_user(student)
    location = cast(Location, f.LocationFactory())
    f.RecognitionFactory(
        company=location.company,
        qualification=programme.qualification,
        valid_from=start - dt.timedelta(days=400),
    )
    trainer_user = f.trainer_user(location.company, first_name="Piet", last_name="Opleider")
    staff_user = f.school_staff_user(school, first_name="Bea", last_name="Begeleider")
    staff = SchoolStaff.objects.get(user=staff_user)
    placement = create_placement(
        acting_user=staff_user,
        student=student,
        location=location,
        start_date=start,
        end_date=end,
        source=PlacementSource.SCHOOL,
        trainer=trainer_user.trainer,
        supervisor=staff,
    )
    return World(
        placement, student, student_user, trainer_user, staff_user, staff, school, location
    )


def signed_pok(w: World, **term_overrides: Any) -> Agreement:
    """Draft, send and sign version 1 by the three parties (and a guardian for a minor)."""
    agreement = agreements.draft_agreement(
        acting_user=w.staff_user,
        placement=w.placement,
        terms=terms(
            start_date=w.placement.start_date, end_date=w.placement.end_date, **term_overrides
        ),
    )
    agreements.send_for_signing(acting_user=w.staff_user, agreement=agreement)
    for user in (w.student_user, w.trainer_user, w.staff_user):
        agreements.sign_agreement(acting_user=user, agreement=agreement)
    agreement.refresh_from_db()
    if agreement.status != "active":
        agreements.record_guardian_signature(
            acting_user=w.staff_user,
            agreement=agreement,
            guardian_name="J. de Ouder",
            signed_on=timezone.localdate() - dt.timedelta(days=1),
        )
        agreement.refresh_from_db()
    w.placement.refresh_from_db()
    return agreement
