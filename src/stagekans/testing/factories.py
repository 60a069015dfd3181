"""factory_boy factories that build objects through the real services (so audit rows exist)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import factory

from stagekans.accounts.models import User
from stagekans.accounts.roles import Role
from stagekans.accounts.services import create_user
from stagekans.companies import services as company_services
from stagekans.companies.models import Company, Location
from stagekans.education import services as education_services
from stagekans.education.models import Leerweg, Programme, Qualification, School, Sector, Student
from stagekans.register import services as register_services
from stagekans.register.models import Recognition
from stagekans.register.workflow import ALL_CONDITIONS_MET

PASSWORD = "Test-wachtwoord-2026"  # noqa: S105 - test logins

_BRIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class ServiceFactory(factory.Factory):
    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("Build through the service: use .create()")


class UserFactory(ServiceFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nl")
    role = Role.STUDENT
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> User:
        return create_user(acting_user=None, password=PASSWORD, **kwargs)


class QualificationFactory(ServiceFactory):
    class Meta:
        model = Qualification

    crebo = factory.Sequence(lambda n: f"{30000 + n:05d}")
    title = factory.Sequence(lambda n: f"Kwalificatie {n}")
    niveau = 3
    sector = Sector.ZORG

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Qualification:
        return education_services.create_qualification(acting_user=None, **kwargs)


class SchoolFactory(ServiceFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"ROC Test {n}")
    brin = factory.Sequence(
        lambda n: f"{10 + n % 90:02d}{_BRIN_LETTERS[n % 23]}{_BRIN_LETTERS[(n // 23) % 23]}"
    )
    place = "Utrecht"

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> School:
        return education_services.create_school(acting_user=None, **kwargs)


class ProgrammeFactory(ServiceFactory):
    class Meta:
        model = Programme

    school = factory.SubFactory(SchoolFactory)
    qualification = factory.SubFactory(QualificationFactory)
    leerweg = Leerweg.BOL

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Programme:
        return education_services.create_programme(acting_user=None, **kwargs)


class StudentFactory(ServiceFactory):
    class Meta:
        model = Student

    programme = factory.SubFactory(ProgrammeFactory)
    school = factory.LazyAttribute(lambda o: o.programme.school)
    student_number = factory.Sequence(lambda n: f"{500000 + n}")
    given_name = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    cohort = 2026
    date_of_birth = dt.date(2008, 5, 17)
    postcode = "3511 AB"
    place = "Utrecht"
    user = None

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Student:
        return education_services.enrol_student(acting_user=None, **kwargs)


class CompanyFactory(ServiceFactory):
    class Meta:
        model = Company

    kvk_number = factory.Sequence(lambda n: f"{40000000 + n}")
    name = factory.Sequence(lambda n: f"Leerbedrijf {n} B.V.")
    sector = Sector.ZORG
    size_class = "10-49"

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Company:
        return company_services.register_company(acting_user=None, **kwargs)


class LocationFactory(ServiceFactory):
    class Meta:
        model = Location

    company = factory.SubFactory(CompanyFactory)
    street = "Oudegracht"
    house_number = "1"
    postcode = "3511 AB"
    place = "Utrecht"

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Location:
        return company_services.add_location(acting_user=None, **kwargs)


class RecognitionFactory(ServiceFactory):
    """A recognition; `granted=True` (default) also recognises it for four years."""

    class Meta:
        model = Recognition

    company = factory.SubFactory(CompanyFactory)
    qualification = factory.SubFactory(QualificationFactory)
    granted = True
    valid_from = None

    @classmethod
    def _create(
        cls, model_class: Any, *, granted: bool, valid_from: dt.date | None, **kwargs: Any
    ) -> Recognition:
        recognition = register_services.request_recognition(
            acting_user=None, reason="Aanvraag (test)", **kwargs
        )
        if granted:
            recognition = register_services.grant_recognition(
                acting_user=None,
                recognition=recognition,
                reason="Voldoet (test)",
                conditions=ALL_CONDITIONS_MET,
                valid_from=valid_from,
            )
        return recognition


def school_staff_user(school: School, **kwargs: Any) -> User:
    user = cast(User, UserFactory(role=Role.SCHOOL_STAFF, **kwargs))
    education_services.add_school_staff(acting_user=None, school=school, user=user)
    return user


def trainer_user(company: Company, **kwargs: Any) -> User:
    user = cast(User, UserFactory(role=Role.COMPANY_TRAINER, **kwargs))
    company_services.add_trainer(acting_user=None, company=company, user=user)
    return user


def student_user(student: Student, **kwargs: Any) -> User:
    user = cast(User, UserFactory(role=Role.STUDENT, **kwargs))
    student.user = user
    student.save(update_fields=["user"])
    return user


class VacancyFactory(ServiceFactory):
    """A draft vacancy (through stagemarkt.services) of a company validly recognised for the
    qualification; pass `publish=True` to publish it too."""

    class Meta:
        model = "stagemarkt.Vacancy"

    location = factory.SubFactory(LocationFactory)
    company = factory.LazyAttribute(lambda o: o.location.company)
    qualification = factory.LazyAttribute(
        lambda o: RecognitionFactory(company=o.company).qualification
    )
    leerweg = Leerweg.BOL
    title = factory.Sequence(lambda n: f"Stage {n}")
    description = "Meelopen en leren in de praktijk."
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=200))
    days_per_week = 4
    allowance = 300
    places = 1
    features = 0
    publish = False

    @classmethod
    def _create(cls, model_class: Any, *, publish: bool, **kwargs: Any) -> Any:
        from stagekans.stagemarkt import services as stagemarkt_services

        vacancy = stagemarkt_services.create_vacancy(acting_user=None, **kwargs)
        if publish:
            vacancy = stagemarkt_services.publish_vacancy(acting_user=None, vacancy=vacancy)
        return vacancy


def submit_report(**overrides: Any) -> Any:
    """A report through the meldpunt's intake service; anonymous unless acting_user is given.

    Returns the service's SubmittedReport (with .report and the one-time .receipt_code).
    """
    from stagekans.meldpunt import services as meldpunt_services
    from stagekans.meldpunt.models import FollowUp, Ground, Phase, ReporterRole

    values: dict[str, Any] = {
        "acting_user": None,
        "reporter_role": ReporterRole.STUDENT,
        "what_happened": "Bij het sollicitatiegesprek vroeg de manager naar mijn afkomst.",
        "occurred_on": dt.date.today() - dt.timedelta(days=3),
        "grounds": [Ground.ORIGIN],
        "phase": Phase.RECRUITMENT,
        "follow_up": FollowUp.SUPPORT,
        "company_name": "Bakkerij De Gouden Korst",
    }
    values.update(overrides)
    return meldpunt_services.submit_report(**values)


def investigation_case(*, company: Any, investigator: Any, summary: str = "") -> Any:
    """An investigation case opened by an SBB investigator (through cases.services)."""
    from stagekans.cases import services as case_services

    return case_services.open_case(
        acting_user=investigator,
        company=company,
        summary=summary or "Vermoeden van afwijzing op afkomst bij de sollicitatie (test).",
    )


# A fixed TOTP secret for test logins (hex, 20 bytes): tests compute the current code from it.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device(user: User) -> Any:
    """A confirmed authenticator-app device with TEST_TOTP_KEY for `user`."""
    from stagekans.accounts.two_factor import install_known_totp_device

    return install_known_totp_device(user, TEST_TOTP_KEY)
