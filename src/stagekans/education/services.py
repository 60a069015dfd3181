"""Writes for schools, qualifications, programmes, staff and students."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.identifiers import normalise_brin, normalise_postcode
from stagekans.education.models import (
    Leerweg,
    Programme,
    Qualification,
    School,
    SchoolStaff,
    Student,
)
from stagekans.geo.places import find_place
from stagekans.geo.services import locate


@transaction.atomic
def create_qualification(
    *, acting_user: Any, crebo: str, title: str, niveau: int, sector: str
) -> Qualification:
    qualification = Qualification(
        crebo=str(crebo).strip(), title=title.strip(), niveau=niveau, sector=sector
    )
    qualification.full_clean()
    qualification.save()
    record(
        actor=acting_user,
        event=AuditEvent.QUALIFICATION_CREATED,
        obj=qualification,
        details={"crebo": qualification.crebo},
    )
    return qualification


@transaction.atomic
def create_school(*, acting_user: Any, name: str, brin: str, place: str) -> School:
    found = find_place(place)
    if found is None:
        raise ValidationError({"place": _("Plaats '%(place)s' is niet bekend.") % {"place": place}})
    school = School(
        name=name.strip(), brin=normalise_brin(brin), place=found.name, province=found.province
    )
    school.full_clean()
    school.save()
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_CREATED,
        obj=school,
        details={"brin": school.brin},
    )
    return school


@transaction.atomic
def create_programme(
    *, acting_user: Any, school: School, qualification: Qualification, leerweg: str
) -> Programme:
    programme = Programme(school=school, qualification=qualification, leerweg=Leerweg(leerweg))
    programme.full_clean()
    programme.save()
    record(
        actor=acting_user,
        event=AuditEvent.PROGRAMME_CREATED,
        obj=programme,
        details={"school": school.pk, "crebo": qualification.crebo, "leerweg": leerweg},
    )
    return programme


@transaction.atomic
def add_school_staff(
    *, acting_user: Any, school: School, user: Any, function: str = "stagecoördinator"
) -> SchoolStaff:
    staff = SchoolStaff.objects.create(user=user, school=school, function=function)
    record(
        actor=acting_user,
        event=AuditEvent.SCHOOL_STAFF_ADDED,
        obj=school,
        details={"user": user.pk, "function": function},
    )
    return staff


@transaction.atomic
def enrol_student(
    *,
    acting_user: Any,
    school: School,
    programme: Programme,
    student_number: str,
    given_name: str,
    family_name: str,
    cohort: int,
    date_of_birth: dt.date,
    postcode: str,
    place: str,
    user: Any = None,
) -> Student:
    """Enrol a student in a programme of their school; home coordinates from postcode/place."""
    if programme.school_id != school.pk:
        raise ValidationError({"programme": _("Deze opleiding hoort niet bij deze school.")})
    if date_of_birth > dt.date.today():
        raise ValidationError({"date_of_birth": _("De geboortedatum ligt in de toekomst.")})
    student = Student(
        user=user,
        school=school,
        programme=programme,
        student_number=student_number.strip(),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        cohort=cohort,
        date_of_birth=date_of_birth,
        postcode=normalise_postcode(postcode),
        latitude=0.0,
        longitude=0.0,
    )
    student.full_clean(exclude=["latitude", "longitude"])
    located = locate(postcode=student.postcode, place=place)
    student.latitude, student.longitude = located.latitude, located.longitude
    student.save()
    record(
        actor=acting_user,
        event=AuditEvent.STUDENT_CREATED,
        obj=student,
        details={"school": school.pk, "programme": programme.pk, "cohort": cohort},
    )
    return student


@transaction.atomic
def record_student_view(*, acting_user: Any, student: Student) -> None:
    """Viewing a student's personal data by someone else is itself audited."""
    if getattr(student, "user_id", None) != getattr(acting_user, "pk", None):
        record(actor=acting_user, event=AuditEvent.STUDENT_VIEWED, obj=student)
