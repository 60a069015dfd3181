"""Every service writes exactly its audit row, in the same transaction as the change."""

import datetime as dt

import pytest
from django.db import transaction

from stagekans.accounts import services as account_services
from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.audit.services import record
from stagekans.companies import services as company_services
from stagekans.education import services as education_services
from stagekans.register import services as register_services
from stagekans.register.workflow import ALL_CONDITIONS_MET
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _new_rows(before: int) -> list[AuditLog]:
    return list(AuditLog.objects.order_by("id")[before:])


def _only_event(before: int, event: AuditEvent, actor=None) -> AuditLog:
    rows = _new_rows(before)
    assert [r.event_type for r in rows] == [event.value]
    if actor is not None:
        assert rows[0].actor == actor
    return rows[0]


@pytest.fixture
def admin_user():
    return f.UserFactory(role=Role.ADMIN)


def test_create_user(admin_user):
    before = AuditLog.objects.count()
    user = account_services.create_user(
        acting_user=admin_user,
        username="nieuw",
        email="nieuw@example.nl",
        password=None,
        role=Role.ANALYST,
    )
    row = _only_event(before, AuditEvent.USER_CREATED, admin_user)
    assert row.object_id == str(user.pk) and row.details == {"role": "analyst"}


def test_set_role(admin_user):
    user = f.UserFactory(role=Role.ANALYST)
    before = AuditLog.objects.count()
    account_services.set_role(acting_user=admin_user, user=user, role=Role.SCHOOL_STAFF)
    _only_event(before, AuditEvent.USER_ROLE_CHANGED, admin_user)


def test_sensitive_role_request_and_approval(admin_user):
    user = f.UserFactory(role=Role.ANALYST)
    before = AuditLog.objects.count()
    grant = account_services.change_role(
        acting_user=admin_user, user=user, role=Role.MELDPUNT, reason="Nieuwe collega intake"
    )
    _only_event(before, AuditEvent.ROLE_GRANT_REQUESTED, admin_user)
    second = f.UserFactory(role=Role.ADMIN)
    before = AuditLog.objects.count()
    account_services.decide_role_grant(acting_user=second, grant=grant, approve=True)
    _only_event(before, AuditEvent.ROLE_GRANT_APPROVED, second)


def test_create_qualification(admin_user):
    before = AuditLog.objects.count()
    education_services.create_qualification(
        acting_user=admin_user, crebo="25655", title="Verpleegkundige", niveau=4, sector="zorg"
    )
    _only_event(before, AuditEvent.QUALIFICATION_CREATED, admin_user)


def test_create_school(admin_user):
    before = AuditLog.objects.count()
    school = education_services.create_school(
        acting_user=admin_user, name="ROC Utrecht", brin="25LJ", place="Utrecht"
    )
    _only_event(before, AuditEvent.SCHOOL_CREATED, admin_user)
    assert school.province == "UT"


def test_create_programme(admin_user):
    school, qualification = f.SchoolFactory(), f.QualificationFactory()
    before = AuditLog.objects.count()
    education_services.create_programme(
        acting_user=admin_user, school=school, qualification=qualification, leerweg="BBL"
    )
    _only_event(before, AuditEvent.PROGRAMME_CREATED, admin_user)


def test_add_school_staff(admin_user):
    school, user = f.SchoolFactory(), f.UserFactory(role=Role.SCHOOL_STAFF)
    before = AuditLog.objects.count()
    education_services.add_school_staff(acting_user=admin_user, school=school, user=user)
    _only_event(before, AuditEvent.SCHOOL_STAFF_ADDED, admin_user)


def test_enrol_student(admin_user):
    programme = f.ProgrammeFactory()
    before = AuditLog.objects.count()
    student = education_services.enrol_student(
        acting_user=admin_user,
        school=programme.school,
        programme=programme,
        student_number="1",
        given_name="Sara",
        family_name="Bakker",
        cohort=2026,
        date_of_birth=dt.date(2008, 1, 1),
        postcode="3511ab",
        place="Utrecht",
    )
    _only_event(before, AuditEvent.STUDENT_CREATED, admin_user)
    assert student.postcode == "3511 AB"
    assert 52.0 < student.latitude < 52.2


def test_student_view_by_staff_is_audited_but_own_view_is_not():
    student = f.StudentFactory()
    staff = f.school_staff_user(student.school)
    own = f.student_user(student)
    before = AuditLog.objects.count()
    education_services.record_student_view(acting_user=staff, student=student)
    _only_event(before, AuditEvent.STUDENT_VIEWED, staff)
    before = AuditLog.objects.count()
    education_services.record_student_view(acting_user=own, student=student)
    assert _new_rows(before) == []


def test_register_company(admin_user):
    before = AuditLog.objects.count()
    company_services.register_company(
        acting_user=admin_user,
        kvk_number="1234 5678",
        name="Zorggroep Noord",
        sector="zorg",
        size_class="250+",
    )
    row = _only_event(before, AuditEvent.COMPANY_CREATED, admin_user)
    assert row.details == {"kvk_number": "12345678"}


def test_update_company(admin_user):
    company = f.CompanyFactory()
    before = AuditLog.objects.count()
    company_services.update_company(acting_user=admin_user, company=company, name="Nieuwe naam")
    row = _only_event(before, AuditEvent.COMPANY_UPDATED, admin_user)
    assert row.details["after"] == {"name": "Nieuwe naam"}


def test_add_location(admin_user):
    company = f.CompanyFactory()
    before = AuditLog.objects.count()
    company_services.add_location(
        acting_user=admin_user,
        company=company,
        street="Coolsingel",
        house_number="40",
        postcode="3011 AD",
        place="Rotterdam",
    )
    _only_event(before, AuditEvent.LOCATION_CREATED, admin_user)


def test_add_trainer(admin_user):
    company, user = f.CompanyFactory(), f.UserFactory(role=Role.COMPANY_TRAINER)
    before = AuditLog.objects.count()
    company_services.add_trainer(acting_user=admin_user, company=company, user=user)
    _only_event(before, AuditEvent.TRAINER_ADDED, admin_user)


def test_recognition_services(admin_user):
    company, qualification = f.CompanyFactory(), f.QualificationFactory()
    before = AuditLog.objects.count()
    recognition = register_services.request_recognition(
        acting_user=admin_user, company=company, qualification=qualification, reason="Aanvraag"
    )
    _only_event(before, AuditEvent.RECOGNITION_REQUESTED, admin_user)
    before = AuditLog.objects.count()
    register_services.grant_recognition(
        acting_user=admin_user,
        recognition=recognition,
        reason="Voldoet",
        conditions=ALL_CONDITIONS_MET,
        valid_from=dt.date.today() - dt.timedelta(days=1500),
    )
    # The grant writes its own row; the informatiepakket hook (same transaction) then issues the
    # two hand-outs, each with its own row.
    rows = _new_rows(before)
    assert [r.event_type for r in rows] == [
        AuditEvent.RECOGNITION_GRANTED.value,
        AuditEvent.HANDOUT_ISSUED.value,
        AuditEvent.HANDOUT_ISSUED.value,
    ]
    assert rows[0].actor == admin_user
    before = AuditLog.objects.count()
    register_services.expire_recognition(acting_user=None, recognition=recognition)
    _only_event(before, AuditEvent.RECOGNITION_EXPIRED)


def test_failed_service_leaves_no_audit_row(admin_user):
    before = AuditLog.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any validation failure
        company_services.register_company(
            acting_user=admin_user, kvk_number="123", name="X", sector="zorg", size_class="250+"
        )
    assert AuditLog.objects.count() == before


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    company = f.CompanyFactory()
    with pytest.raises(RuntimeError):
        record(actor=None, event=AuditEvent.COMPANY_UPDATED, obj=company)
    with transaction.atomic():
        record(actor=None, event=AuditEvent.COMPANY_UPDATED, obj=company)
