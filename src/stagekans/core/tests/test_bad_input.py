"""Invalid KvK, BRIN, crebo or postcode is refused in every form with a Dutch message naming
the field, and nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditLog
from stagekans.companies.models import Company, Location
from stagekans.education.models import Qualification, School, Student
from stagekans.register.models import Recognition
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assert_refused(response, field_label: str, fragment: str) -> None:
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert fragment in body, body[:2000]
    assert field_label in body


def _count_all() -> tuple[int, ...]:
    return (
        Company.objects.count(),
        Location.objects.count(),
        School.objects.count(),
        Qualification.objects.count(),
        Student.objects.count(),
        Recognition.objects.count(),
        AuditLog.objects.count(),
    )


VALID_COMPANY = {
    "kvk_number": "12345678",
    "name": "Zorggroep Zuid",
    "sector": "zorg",
    "size_class": "10-49",
    "sbi_code": "",
    "website": "",
}


@pytest.mark.parametrize("kvk", ["1234567", "abcdefgh", "123456789", "00000000"])
def test_company_form_refuses_bad_kvk(kvk):
    client = _client(f.UserFactory(role=Role.SBB_ADVISOR))
    before = _count_all()
    response = client.post("/bedrijven/nieuw/", {**VALID_COMPANY, "kvk_number": kvk})
    _assert_refused(response, "KvK-nummer", "Het KvK-nummer moet uit precies 8 cijfers bestaan")
    assert _count_all() == before


def test_company_form_accepts_good_kvk():
    client = _client(f.UserFactory(role=Role.SBB_ADVISOR))
    response = client.post("/bedrijven/nieuw/", VALID_COMPANY)
    assert response.status_code == 302
    assert Company.objects.filter(kvk_number="12345678").exists()


def test_duplicate_kvk_is_refused_in_dutch():
    f.CompanyFactory(kvk_number="12345678")
    client = _client(f.UserFactory(role=Role.SBB_ADVISOR))
    before = _count_all()
    response = client.post("/bedrijven/nieuw/", VALID_COMPANY)
    _assert_refused(response, "KvK-nummer", "bestaat al")
    assert _count_all() == before


@pytest.mark.parametrize("postcode", ["0123 AB", "3511 SS", "35111", "AB12 34"])
def test_location_form_refuses_bad_postcode(postcode):
    company = f.CompanyFactory()
    client = _client(f.trainer_user(company))
    before = _count_all()
    response = client.post(
        f"/bedrijven/{company.pk}/vestigingen/nieuw/",
        {"street": "Oudegracht", "house_number": "1", "postcode": postcode, "place": "Utrecht"},
    )
    _assert_refused(response, "Postcode", "De postcode is ongeldig")
    assert _count_all() == before


def test_location_form_refuses_unknown_place():
    company = f.CompanyFactory()
    client = _client(f.trainer_user(company))
    before = _count_all()
    response = client.post(
        f"/bedrijven/{company.pk}/vestigingen/nieuw/",
        {"street": "Dorpsstraat", "house_number": "1", "postcode": "9999 ZZ", "place": "Atlantis"},
    )
    _assert_refused(response, "Plaats", "is niet bekend")
    assert _count_all() == before


@pytest.mark.parametrize("postcode", ["0123 AB", "12345", ""])
def test_student_form_refuses_bad_postcode(postcode):
    programme = f.ProgrammeFactory()
    client = _client(f.school_staff_user(programme.school))
    before = _count_all()
    response = client.post(
        f"/scholen/{programme.school.pk}/studenten/nieuw/",
        {
            "given_name": "Noor",
            "family_name": "Jansen",
            "student_number": "77",
            "programme": programme.pk,
            "cohort": 2026,
            "date_of_birth": "2008-04-01",
            "postcode": postcode,
            "place": "Utrecht",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Postcode woonadres" in body
    assert ("De postcode is ongeldig" in body) or ("Postcode woonadres: vul dit in." in body)
    assert _count_all() == before


def test_student_form_refuses_another_schools_programme():
    programme, foreign = f.ProgrammeFactory(), f.ProgrammeFactory()
    client = _client(f.school_staff_user(programme.school))
    before = _count_all()
    response = client.post(
        f"/scholen/{programme.school.pk}/studenten/nieuw/",
        {
            "given_name": "Noor",
            "family_name": "Jansen",
            "student_number": "77",
            "programme": foreign.pk,
            "cohort": 2026,
            "date_of_birth": "2008-04-01",
            "postcode": "3511 AB",
            "place": "Utrecht",
        },
    )
    assert response.status_code == 400
    # the project's message, not Django's generic "Selecteer een geldige keuze"
    assert ": kies een van de mogelijkheden." in response.content.decode()
    assert _count_all() == before


@pytest.mark.parametrize(
    ("kvk", "crebo", "message"),
    [
        ("1234", "25655", "Het KvK-nummer moet uit precies 8 cijfers bestaan"),
        ("12345678", "2565", "De crebocode moet uit precies 5 cijfers bestaan"),
        ("12345678", "abcde", "De crebocode moet uit precies 5 cijfers bestaan"),
    ],
)
def test_recognition_request_refuses_bad_identifiers(kvk, crebo, message):
    f.CompanyFactory(kvk_number="12345678")
    f.QualificationFactory(crebo="25655")
    client = _client(f.UserFactory(role=Role.SBB_ADVISOR))
    before = _count_all()
    response = client.post(
        "/erkenningen/aanvragen/", {"kvk_number": kvk, "crebo": crebo, "reason": "Aanvraag"}
    )
    _assert_refused(response, "Crebocode" if "crebo" in message else "KvK-nummer", message)
    assert _count_all() == before


def test_admin_refuses_bad_brin_and_crebo():
    client = _client(f.UserFactory(role=Role.ADMIN))
    before = _count_all()
    response = client.post(
        "/beheer/education/school/add/",
        {"name": "ROC Nergens", "brin": "XX99", "place": "Utrecht", "province": "UT"},
    )
    _assert_refused(response, "BRIN-code", "De BRIN-code is ongeldig")
    response = client.post(
        "/beheer/education/qualification/add/",
        {"crebo": "123", "title": "Kok", "niveau": "2", "sector": "voedsel"},
    )
    _assert_refused(response, "Crebocode", "De crebocode moet uit precies 5 cijfers bestaan")
    response = client.post(
        "/beheer/education/qualification/add/",
        {"crebo": "25178", "title": "Kok", "niveau": "7", "sector": "voedsel"},
    )
    assert response.status_code == 200
    assert _count_all() == before


def test_admin_save_is_audited():
    client = _client(f.UserFactory(role=Role.ADMIN))
    response = client.post(
        "/beheer/education/qualification/add/",
        {"crebo": "25178", "title": "Kok", "niveau": "2", "sector": "voedsel"},
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get(crebo="25178")
    row = AuditLog.objects.get(
        object_type="education.qualification", object_id=str(qualification.pk)
    )
    assert row.details["via"] == "admin"
