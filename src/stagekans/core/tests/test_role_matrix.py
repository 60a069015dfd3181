"""Every page answers every role with the expected status: 200 for its own data,
403 without the permission, 404 for another school's or company's data, 302 to log in."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f

ROLES = [
    "anon",
    "student",
    "staff",
    "trainer",
    "advisor",
    "investigator",
    "meldpunt",
    "analyst",
    "admin",
]

# page name → expected status per role, in the order of ROLES.
MATRIX: dict[str, list[int]] = {
    #                        anon stud staf trai advi inve meld anal admi
    "home": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "about": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "school_list": [302, 403, 302, 403, 403, 403, 403, 403, 200],
    "own_school": [302, 403, 200, 403, 403, 403, 403, 403, 200],
    "other_school": [302, 403, 404, 403, 403, 403, 403, 403, 200],
    "own_students": [302, 403, 200, 403, 403, 403, 403, 403, 403],
    "other_students": [302, 403, 404, 403, 403, 403, 403, 403, 403],
    "own_student_create": [302, 403, 200, 403, 403, 403, 403, 403, 403],
    "other_student_create": [302, 403, 404, 403, 403, 403, 403, 403, 403],
    "own_student": [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "other_student": [302, 404, 404, 403, 403, 403, 403, 403, 403],
    "my_profile": [302, 200, 403, 403, 403, 403, 403, 403, 403],
    "company_list": [302, 403, 403, 200, 200, 200, 200, 403, 200],
    "company_create": [302, 403, 403, 403, 200, 403, 403, 403, 403],
    "own_company": [302, 403, 403, 200, 200, 200, 200, 403, 200],
    "other_company": [302, 403, 403, 404, 200, 200, 200, 403, 200],
    "own_location_create": [302, 403, 403, 200, 200, 403, 403, 403, 403],
    "other_location_create": [302, 403, 403, 404, 200, 403, 403, 403, 403],
    # only the company's own administrator (bedrijfsbeheerder) or SBB advisers
    "own_contact_edit": [302, 403, 403, 403, 200, 403, 403, 403, 403],
    "outbox": [302, 403, 403, 403, 403, 403, 403, 403, 200],
    "recognition_list": [302, 403, 200, 200, 200, 200, 403, 403, 200],
    "own_recognition": [302, 403, 200, 200, 200, 200, 403, 403, 200],
    "other_recognition": [302, 403, 200, 404, 200, 200, 403, 403, 200],
    "pending_recognition": [302, 403, 404, 404, 200, 200, 403, 403, 200],
    # only SBB advisers grant recognitions (and propose or approve revocations)
    "recognition_request": [302, 403, 403, 403, 200, 403, 403, 403, 403],
    "reassessment_list": [302, 403, 403, 403, 200, 403, 403, 403, 403],
    "revocation_list": [302, 403, 403, 403, 200, 403, 403, 403, 403],
    "register_import": [302, 403, 403, 403, 200, 403, 403, 403, 403],
    "public_register": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "public_company": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "public_pending_company": [404, 404, 404, 404, 404, 404, 404, 404, 404],
    "school_tasks": [302, 403, 200, 403, 403, 403, 403, 403, 403],
    "case_queue": [302, 403, 403, 403, 403, 200, 403, 403, 403],
    "case_open": [302, 403, 403, 403, 403, 200, 403, 403, 403],
    "case_requests": [302, 403, 200, 200, 403, 403, 403, 403, 403],
    "admin": [302, 302, 302, 302, 302, 302, 302, 302, 200],
    "api_qualifications": [200, 200, 200, 200, 200, 200, 200, 200, 200],
}


@pytest.fixture
def world(db):
    own_programme = f.ProgrammeFactory()
    other_programme = f.ProgrammeFactory()
    own_student = f.StudentFactory(programme=own_programme)
    other_student = f.StudentFactory(programme=other_programme)
    own_recognition = f.RecognitionFactory()
    other_recognition = f.RecognitionFactory()
    pending = f.RecognitionFactory(company=other_recognition.company, granted=False)
    users = {
        "anon": None,
        "student": f.student_user(own_student),
        "staff": f.school_staff_user(own_programme.school),
        "trainer": f.trainer_user(own_recognition.company),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "investigator": f.UserFactory(role=Role.SBB_INVESTIGATOR),
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "analyst": f.UserFactory(role=Role.ANALYST),
        "admin": f.UserFactory(role=Role.ADMIN),
    }
    own_school, other_school = own_programme.school.pk, other_programme.school.pk
    own_company, other_company = own_recognition.company.pk, other_recognition.company.pk
    urls = {
        "home": "/",
        "about": "/over/",
        "school_list": "/scholen/",
        "own_school": f"/scholen/{own_school}/",
        "other_school": f"/scholen/{other_school}/",
        "own_students": f"/scholen/{own_school}/studenten/",
        "other_students": f"/scholen/{other_school}/studenten/",
        "own_student_create": f"/scholen/{own_school}/studenten/nieuw/",
        "other_student_create": f"/scholen/{other_school}/studenten/nieuw/",
        "own_student": f"/studenten/{own_student.pk}/",
        "other_student": f"/studenten/{other_student.pk}/",
        "my_profile": "/mijn-profiel/",
        "company_list": "/bedrijven/",
        "company_create": "/bedrijven/nieuw/",
        "own_company": f"/bedrijven/{own_company}/",
        "other_company": f"/bedrijven/{other_company}/",
        "own_location_create": f"/bedrijven/{own_company}/vestigingen/nieuw/",
        "other_location_create": f"/bedrijven/{other_company}/vestigingen/nieuw/",
        "own_contact_edit": f"/bedrijven/{own_company}/contact/",
        "outbox": "/uitgaande-mail/",
        "recognition_list": "/erkenningen/",
        "own_recognition": f"/erkenningen/{own_recognition.pk}/",
        "other_recognition": f"/erkenningen/{other_recognition.pk}/",
        "pending_recognition": f"/erkenningen/{pending.pk}/",
        "recognition_request": "/erkenningen/aanvragen/",
        "reassessment_list": "/erkenningen/herbeoordeling/",
        "revocation_list": "/erkenningen/intrekkingen/",
        "register_import": "/erkenningen/import/",
        "public_register": "/register/?q=&plaats=Utrecht&straal=20",
        "public_company": f"/register/bedrijven/{own_company}/",
        "public_pending_company": f"/register/bedrijven/{f.CompanyFactory().pk}/",
        "school_tasks": "/taken/",
        "case_queue": "/onderzoek/",
        "case_open": "/onderzoek/nieuw/",
        "case_requests": "/onderzoek/verzoeken/",
        "admin": "/beheer/",
        "api_qualifications": "/api/v1/kwalificaties/",
    }
    return users, urls


def test_matrix_covers_every_page(world):
    _, urls = world
    assert set(urls) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_role_by_page(world, role):
    users, urls = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    failures = []
    for page, statuses in MATRIX.items():
        expected = statuses[ROLES.index(role)]
        response = client.get(urls[page])
        if response.status_code != expected:
            failures.append(
                f"{page} ({urls[page]}): expected {expected}, got {response.status_code}"
            )
        if expected == 302 and users[role] is None and page != "admin":
            assert "/account/inloggen/" in response["Location"]
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_forbidden_and_missing_pages_are_dutch(world):
    users, urls = world
    client = Client()
    client.force_login(users["trainer"])
    forbidden = client.get(urls["own_students"])
    assert forbidden.status_code == 403
    assert "Geen toegang" in forbidden.content.decode()
    missing = client.get(urls["other_company"])
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in missing.content.decode()
