"""Test factories for applications: one school, one company recognised for the student's
qualification, a published vacancy, and the logins of the three parties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from stagekans.accounts.models import User
from stagekans.applications import services
from stagekans.applications.models import Application
from stagekans.companies.models import Company
from stagekans.education.models import School, Student
from stagekans.stagemarkt.models import Vacancy
from stagekans.testing import factories

# Distinctive on purpose: the privacy tests look for these strings in what a company gets.
GIVEN_NAME = "Zoëlla"
FAMILY_NAME = "Quarantijn-Boekestein"
EMAIL = "zoella.quarantijn@student.roc-test.nl"
STUDENT_NUMBER = "7319428"
DATE_OF_BIRTH = dt.date(2008, 3, 14)
POSTCODE = "9712 CP"


@dataclass
class World:
    school: School
    coordinator: User
    student: Student
    student_login: User
    company: Company
    trainer: User
    vacancy: Vacancy

    def vacancy_for(self, *, places: int = 1, start_in_days: int = 30, days: int = 170) -> Vacancy:
        location = factories.LocationFactory(company=self.company)
        return cast(
            Vacancy,
            factories.VacancyFactory(
                location=location,
                company=self.company,
                qualification=self.student.programme.qualification,
                places=places,
                start_date=dt.date.today() + dt.timedelta(days=start_in_days),
                end_date=dt.date.today() + dt.timedelta(days=start_in_days + days),
                publish=True,
            ),
        )

    def other_student(self, **kwargs: Any) -> tuple[Student, User]:
        student = cast(
            Student,
            factories.StudentFactory(
                programme=self.student.programme, school=self.school, **kwargs
            ),
        )
        return student, factories.student_user(student)


def world(*, places: int = 1) -> World:
    qualification = factories.QualificationFactory()
    school = cast(School, factories.SchoolFactory())
    programme = factories.ProgrammeFactory(school=school, qualification=qualification)
    student: Student = factories.StudentFactory(  # type: ignore[assignment]
        programme=programme,
        school=school,
        given_name=GIVEN_NAME,
        family_name=FAMILY_NAME,
        student_number=STUDENT_NUMBER,
        date_of_birth=DATE_OF_BIRTH,
        postcode=POSTCODE,
        place="Groningen",
    )
    login = factories.student_user(student, email=EMAIL, first_name="", last_name="")
    location = factories.LocationFactory()
    company = cast(Company, location.company)
    factories.RecognitionFactory(
        company=company, qualification=qualification, valid_from=dt.date(2025, 1, 1)
    )
    vacancy = cast(
        Vacancy,
        factories.VacancyFactory(
            location=location,
            company=company,
            qualification=qualification,
            places=places,
            publish=True,
        ),
    )
    return World(
        school=school,
        coordinator=factories.school_staff_user(school),
        student=student,
        student_login=login,
        company=company,
        trainer=factories.trainer_user(company),
        vacancy=vacancy,
    )


def send(
    w: World,
    *,
    student: Student | None = None,
    login: User | None = None,
    vacancy: Vacancy | None = None,
    motivation: str = "Ik werk graag met mensen en wil leren in de zorg.",
    **kwargs: Any,
) -> Application:
    return services.apply(
        acting_user=login or w.student_login,
        student=student or w.student,
        vacancy=vacancy or w.vacancy,
        motivation=motivation,
        competences=kwargs.pop("competences", "EHBO-diploma, bijbaan in de thuiszorg."),
        availability=kwargs.pop("availability", "Maandag tot en met donderdag."),
        **kwargs,
    )


def offered(w: World, **kwargs: Any) -> Application:
    application = send(w, **kwargs)
    services.invite(acting_user=w.trainer, application=application)
    return services.offer(acting_user=w.trainer, application=application)
