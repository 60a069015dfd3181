from __future__ import annotations

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def test_home_is_dutch_with_landmarks_and_skip_link():
    body = Client().get("/").content.decode()
    assert '<html lang="nl"' in body
    assert 'href="#inhoud"' in body and 'id="inhoud"' in body
    assert "<main" in body and "<header" in body and "<footer" in body and "<nav" in body
    assert "Iedere mbo-student een eerlijke kans op een stage" in body


def test_language_switch_to_english_and_back():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en"' in body
    assert "Every MBO student a fair chance at an internship" in body
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"}, follow=True)
    assert '<html lang="nl"' in response.content.decode()


def test_login_with_username_and_with_email():
    # A student: staff go on to the second step (tests/security/test_f02_*).
    user = f.UserFactory(role=Role.STUDENT, username="ana", email="ana@example.nl")
    for login in ("ana", "ANA@example.nl"):
        client = Client()
        response = client.post("/account/inloggen/", {"username": login, "password": f.PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/").context["user"] == user


def test_wrong_password_gives_dutch_message():
    f.UserFactory(username="ana")
    response = Client().post("/account/inloggen/", {"username": "ana", "password": "fout"})
    assert "Onjuiste gebruikersnaam of wachtwoord" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.STUDENT, "Mijn profiel"),
        (Role.SCHOOL_STAFF, "Studenten van mijn school"),
        (Role.COMPANY_TRAINER, "Mijn leerbedrijf, vestigingen en erkenningen"),
        (Role.SBB_ADVISOR, "Aanvragen beoordelen"),
        (Role.SBB_INVESTIGATOR, "Mijn onderzoekszaken"),
        (Role.MELDPUNT, "Leerbedrijven opzoeken"),
        (Role.ANALYST, "Landelijke cijfers"),
        (Role.ADMIN, "Gebruikers, scholen en kwalificaties beheren"),
    ],
)
def test_home_page_per_role_shows_next_steps(role, expected):
    if role == Role.STUDENT:
        user = f.student_user(f.StudentFactory())
    elif role == Role.SCHOOL_STAFF:
        user = f.school_staff_user(f.SchoolFactory())
    elif role == Role.COMPANY_TRAINER:
        user = f.trainer_user(f.CompanyFactory())
    else:
        user = f.UserFactory(role=role)
    client = Client()
    client.force_login(user)
    body = client.get("/").content.decode()
    assert expected in body


def test_analyst_home_shows_only_aggregates():
    student = f.StudentFactory(family_name="Uniekenaam")
    assert student.pk
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    body = client.get("/").content.decode()
    assert "Landelijke cijfers" in body
    assert "Uniekenaam" not in body


def test_student_list_paginates_and_searches():
    programme = f.ProgrammeFactory()
    for _ in range(30):
        f.StudentFactory(programme=programme)
    target = f.StudentFactory(programme=programme, family_name="Zoekbaar")
    client = Client()
    client.force_login(f.school_staff_user(programme.school))
    url = f"/scholen/{programme.school.pk}/studenten/"
    first = client.get(url)
    assert len(first.context["page_obj"].object_list) == 25
    assert "Pagina 1 van 2" in first.content.decode()
    found = client.get(url, {"q": "Zoekbaar"})
    assert list(found.context["page_obj"].object_list) == [target]
    empty = client.get(url, {"q": "Bestaatniet"})
    assert "Geen studenten gevonden" in empty.content.decode()


def test_500_page_is_dutch():
    from django.test import RequestFactory

    from stagekans.portal.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_dutch_even_when_the_browser_prefers_english():
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/")
    assert '<html lang="nl"' in response.content.decode()
    assert response["Content-Language"] == "nl"
