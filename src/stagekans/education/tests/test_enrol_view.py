"""Issue 9, defect 1: a stagecoördinator enrols a student through the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stagekans.audit.models import AuditLog
from stagekans.education.models import Student
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _staff_client(school):
    user = f.school_staff_user(school)
    client = Client()
    client.force_login(user)
    return client


def test_school_staff_enrols_a_student_through_the_form():
    programme = f.ProgrammeFactory()
    school = programme.school
    client = _staff_client(school)
    url = reverse("education:student_create", kwargs={"pk": school.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "given_name": "Noor",
            "family_name": "El Amrani",
            "student_number": "700001",
            "programme": programme.pk,
            "cohort": 2026,
            "date_of_birth": "2008-03-14",
            "postcode": "3511 AB",  # the form's own example
            "place": "Utrecht",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    student = Student.objects.get(student_number="700001")
    assert response["Location"] == reverse("education:student_detail", kwargs={"pk": student.pk})
    assert student.school == school and student.programme == programme
    assert AuditLog.objects.filter(event_type="student.created", object_id=str(student.pk)).exists()


def test_invalid_enrolment_marks_the_field_and_keeps_choices():
    programme = f.ProgrammeFactory()
    client = _staff_client(programme.school)
    url = reverse("education:student_create", kwargs={"pk": programme.school.pk})
    response = client.post(url, {"given_name": "Noor", "programme": programme.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Selecteer een geldige keuze" not in html
    assert 'aria-invalid="true"' in html
    assert Student.objects.count() == 0


def test_another_schools_programme_is_refused():
    programme = f.ProgrammeFactory()
    other = f.ProgrammeFactory()
    client = _staff_client(programme.school)
    url = reverse("education:student_create", kwargs={"pk": programme.school.pk})
    response = client.post(
        url,
        {
            "given_name": "Noor",
            "family_name": "El Amrani",
            "student_number": "700002",
            "programme": other.pk,
            "cohort": 2026,
            "date_of_birth": "2008-03-14",
            "postcode": "3511 AB",
            "place": "Utrecht",
        },
    )
    assert response.status_code == 400
    assert Student.objects.count() == 0
