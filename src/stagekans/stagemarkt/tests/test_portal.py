"""Trainers manage their own company's vacancies; nobody else's."""

import datetime as dt

import pytest

from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus
from stagekans.testing.factories import (
    LocationFactory,
    RecognitionFactory,
    VacancyFactory,
    trainer_user,
)


@pytest.mark.django_db
def test_trainer_creates_and_publishes_own_vacancy(client):
    location = LocationFactory()
    qualification = RecognitionFactory(company=location.company).qualification
    client.force_login(trainer_user(location.company))
    start = dt.date.today() + dt.timedelta(days=10)
    response = client.post(
        "/stagemarkt/mijn-vacatures/nieuw/",
        {
            "location": location.pk,
            "qualification": qualification.pk,
            "leerweg": "BOL",
            "title": "Stage zorg",
            "description": "Leren in de praktijk.",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=100)).isoformat(),
            "days_per_week": 4,
            "allowance": "250",
            "places": 2,
            "features": ["begeleiding", "parttime"],
        },
    )
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302 and vacancy.features == 5
    client.post(f"/stagemarkt/mijn-vacatures/{vacancy.pk}/publish/")
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED


@pytest.mark.django_db
def test_trainer_cannot_touch_another_companys_vacancy(client):
    mine = LocationFactory()
    theirs = VacancyFactory()
    client.force_login(trainer_user(mine.company))
    assert client.get(f"/stagemarkt/mijn-vacatures/{theirs.pk}/").status_code == 404
    assert client.post(f"/stagemarkt/mijn-vacatures/{theirs.pk}/publish/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == VacancyStatus.DRAFT


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/stagemarkt/mijn-vacatures/")
    assert response.status_code == 302 and "/account/" in response["Location"]
