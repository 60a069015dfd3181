"""Test helpers for keuzedelen and study advice, built through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from typing import Any, cast

from stagekans.accounts.models import User
from stagekans.companies.models import Location
from stagekans.education.models import School, Student
from stagekans.keuzedelen.checks import FRIDAY, WEDNESDAY
from stagekans.keuzedelen.models import AgreementVersion, Keuzedeel, Offering
from stagekans.keuzedelen.services import agreements, catalogue
from stagekans.keuzedelen.workflow import Examiner
from stagekans.testing import factories as f

_codes = count(100)


def terms(**overrides: Any) -> agreements.AgreementTerms:
    values: dict[str, Any] = {
        "examiner": Examiner.EACH_OWN,
        "finance_per_student": Decimal("450.00"),
        "finance_terms": "De eigen instelling betaalt de gastinstelling per geplaatste student.",
        "insurance": "De student blijft verzekerd via de eigen instelling.",
        "responsibility": "De gastinstelling is verantwoordelijk tijdens de lesdag.",
        "progress_reporting": "Voortgang na elke periode aan de eigen instelling.",
        "attendance_reporting": "Aanwezigheid per les, direct zichtbaar voor de eigen instelling.",
        "shared_day": WEDNESDAY,
        "absence_threshold_percent": 20,
    }
    values.update(overrides)
    return agreements.AgreementTerms(**values)


def keuzedeel(**overrides: Any) -> Keuzedeel:
    values: dict[str, Any] = {
        "code": f"K{next(_codes):04d}",
        "title": "Voorbereiding pabo",
        "study_load_hours": 240,
        "niveau": 4,
    }
    values.update(overrides)
    return catalogue.create_keuzedeel(acting_user=None, **values)


@dataclass
class Network:
    """A signed cooperation agreement between a host and a home school, with a coordinator at
    each, an offering on the shared day (Wednesday) and a student of the home school."""

    host: School
    home: School
    host_staff: User
    home_staff: User
    version: AgreementVersion
    offering: Offering
    student: Student
    student_user: User
    extra: dict[str, Any] = field(default_factory=dict)


def sign_by_all(version: AgreementVersion, staff: dict[int, User]) -> AgreementVersion:
    """Every partner that has not signed yet signs with its coordinator from `staff`."""
    for partner in version.partners.filter(signed_at__isnull=True):
        version = agreements.sign_version(acting_user=staff[partner.school_id], version=version)
    return version


def network(
    *,
    home_place: str = "Assen",
    host_place: str = "Groningen",
    student_place: str = "Assen",
    student_postcode: str = "9401 AB",
    date_of_birth: dt.date = dt.date(2005, 1, 10),
    weekdays: int = WEDNESDAY,
    shared_day: int = WEDNESDAY,
    places: int = 10,
    start: dt.date | None = None,
    signed: bool = True,
) -> Network:
    host = cast(School, f.SchoolFactory(name=f"Noorderpoort {host_place}", place=host_place))
    home = cast(School, f.SchoolFactory(name=f"Drenthe College {home_place}", place=home_place))
    host_staff = f.school_staff_user(host)
    home_staff = f.school_staff_user(home)
    version = agreements.create_agreement(
        acting_user=host_staff,
        title="Keuzedelen Noord",
        host=host,
        partners=[host, home],
        terms=terms(shared_day=shared_day),
    )
    if signed:
        version = sign_by_all(version, {host.pk: host_staff, home.pk: home_staff})
    start = start or dt.date.today() - dt.timedelta(days=42)
    offering = catalogue.create_offering(
        acting_user=host_staff,
        keuzedeel=keuzedeel(),
        agreement=version.agreement,
        location_name="Campus Zernike",
        place=host_place,
        weekdays=weekdays,
        start_date=start,
        end_date=start + dt.timedelta(days=150),
        places=places,
        min_niveau=3,
    )
    programme = f.ProgrammeFactory(school=home, qualification=f.QualificationFactory(niveau=4))
    student = cast(
        Student,
        f.StudentFactory(
            programme=programme,
            date_of_birth=date_of_birth,
            postcode=student_postcode,
            place=student_place,
            cohort=2025,
        ),
    )
    return Network(
        host=host,
        home=home,
        host_staff=host_staff,
        home_staff=home_staff,
        version=version,
        offering=offering,
        student=student,
        student_user=f.student_user(student),
    )


def running_placement_days(student: Student, weekdays: int, start: dt.date, end: dt.date) -> Any:
    """A planned placement of the student with a POK (version 1, being signed) on `weekdays`.

    The POK is written directly: placements has no agreement service yet (issue 13 adds it);
    the row is what that service will write."""
    from stagekans.placements.models import Agreement
    from stagekans.placements.services.creation import create_placement
    from stagekans.placements.workflow import AgreementStatus, PlacementSource

    location = cast(Location, f.LocationFactory())
    f.RecognitionFactory(
        company=location.company,
        qualification=student.programme.qualification,
        valid_from=start - dt.timedelta(days=30),
    )
    placement = create_placement(
        acting_user=None,
        student=student,
        location=location,
        start_date=start,
        end_date=end,
        source=PlacementSource.SCHOOL,
    )
    Agreement.objects.create(
        placement=placement,
        version=1,
        status=AgreementStatus.SIGNING,
        start_date=start,
        end_date=end,
        hours=400,
        work_processes="Meewerken in de groep.",
        assessment="Praktijkbeoordeling.",
        contact_every_weeks=4,
        weekdays=weekdays,
    )
    return placement


__all__ = ["FRIDAY", "WEDNESDAY", "Network", "keuzedeel", "network", "terms"]
