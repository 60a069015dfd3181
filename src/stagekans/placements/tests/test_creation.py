from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.companies.models import Location
from stagekans.education.models import Student
from stagekans.placements.models import Placement
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import PlacementSource, PlacementStatus
from stagekans.testing import factories

pytestmark = pytest.mark.django_db

START = dt.date(2027, 2, 1)
END = dt.date(2027, 6, 30)


def _recognised_location(student: Student) -> Location:
    location = factories.LocationFactory()
    factories.RecognitionFactory(
        company=location.company,
        qualification=student.programme.qualification,
        valid_from=dt.date(2026, 1, 1),
    )
    return location


def test_a_placement_at_a_recognised_company_is_planned_and_audited() -> None:
    student = factories.StudentFactory()
    location = _recognised_location(student)
    placement = create_placement(
        acting_user=None,
        student=student,
        location=location,
        start_date=START,
        end_date=END,
        source=PlacementSource.SCHOOL,
    )
    assert placement.status == PlacementStatus.PLANNED
    assert placement.company_id == location.company_id
    assert placement.school_id == student.school_id
    assert placement.qualification_id == student.programme.qualification_id
    assert AuditLog.objects.filter(
        event_type=AuditEvent.PLACEMENT_CREATED.value, object_id=str(placement.pk)
    ).exists()


def test_a_company_not_recognised_for_the_crebo_on_the_start_date_is_refused() -> None:
    student = factories.StudentFactory()
    location = factories.LocationFactory()
    factories.RecognitionFactory(company=location.company)  # another qualification
    with pytest.raises(ValidationError, match="niet erkend"):
        create_placement(
            acting_user=None,
            student=student,
            location=location,
            start_date=START,
            end_date=END,
            source=PlacementSource.SCHOOL,
        )
    assert not Placement.objects.exists()


def test_an_overlapping_running_placement_is_refused() -> None:
    student = factories.StudentFactory()
    location = _recognised_location(student)
    kwargs = {"acting_user": None, "student": student, "location": location}
    create_placement(**kwargs, start_date=START, end_date=END, source=PlacementSource.SCHOOL)
    with pytest.raises(ValidationError, match="al een stage"):
        create_placement(
            **kwargs,
            start_date=END - dt.timedelta(days=10),
            end_date=END + dt.timedelta(days=60),
            source=PlacementSource.APPLICATION,
        )
    assert Placement.objects.count() == 1


def test_an_empty_period_is_refused() -> None:
    student = factories.StudentFactory()
    location = _recognised_location(student)
    with pytest.raises(ValidationError, match="einddatum"):
        create_placement(
            acting_user=None,
            student=student,
            location=location,
            start_date=END,
            end_date=START,
            source=PlacementSource.SCHOOL,
        )
