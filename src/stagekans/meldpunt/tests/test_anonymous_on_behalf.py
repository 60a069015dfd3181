"""School staff may report anonymously on a student's behalf (no student named, school kept)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stagekans.meldpunt.models import ReporterRole
from stagekans.testing import factories as f


@pytest.fixture
def staff(db):
    return f.school_staff_user(f.StudentFactory().school)


def test_anonymous_on_behalf_names_no_student_and_keeps_the_school(staff):
    report = f.submit_report(
        acting_user=staff, reporter_role=ReporterRole.SCHOOL_STAFF, anonymous_student=True
    ).report
    assert report.on_behalf_of is None
    assert report.school == staff.school_staff.school
    assert report.reporter_user == staff


def test_anonymous_on_behalf_with_a_student_is_refused(staff):
    student = staff.school_staff.school.students.get()
    with pytest.raises(ValidationError) as error:
        f.submit_report(
            acting_user=staff,
            reporter_role=ReporterRole.SCHOOL_STAFF,
            anonymous_student=True,
            on_behalf_of=student,
        )
    assert "on_behalf_of" in error.value.error_dict


def test_only_school_staff_report_anonymously_on_behalf(db):
    student_user = f.student_user(f.StudentFactory())
    with pytest.raises(ValidationError) as error:
        f.submit_report(acting_user=student_user, anonymous_student=True)
    assert "on_behalf_of" in error.value.error_dict
    with pytest.raises(ValidationError):
        f.submit_report(
            acting_user=None, reporter_role=ReporterRole.SCHOOL_STAFF, anonymous_student=True
        )
