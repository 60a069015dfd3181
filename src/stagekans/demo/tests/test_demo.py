from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from stagekans.accounts.roles import ROLES
from stagekans.companies.models import Company
from stagekans.demo.builder import DEMO_LOGINS, DEMO_PASSWORD
from stagekans.education.models import School, Student
from stagekans.register.models import Recognition
from stagekans.stagemarkt.models import Vacancy

pytestmark = pytest.mark.django_db


def _fingerprint() -> str:
    rows = [
        *School.objects.order_by("brin").values_list("brin", "name", "place"),
        *Student.objects.order_by("student_number").values_list(
            "student_number", "given_name", "family_name", "postcode", "date_of_birth"
        ),
        *Company.objects.order_by("kvk_number").values_list("kvk_number", "name", "sector"),
        *Recognition.objects.order_by("company__kvk_number", "qualification__crebo").values_list(
            "company__kvk_number", "qualification__crebo", "status"
        ),
        *Vacancy.objects.order_by("company__kvk_number", "title", "start_date").values_list(
            "company__kvk_number", "title", "start_date", "features", "status"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _seed(seed: int) -> str:
    call_command(
        "seed_demo",
        "--seed",
        str(seed),
        "--schools",
        "2",
        "--students",
        "40",
        "--companies",
        "30",
        "--history-reports",
        "0",
        stdout=StringIO(),
    )
    return _fingerprint()


class _RollBack(Exception):
    pass


def _fingerprint_of_a_seed(seed: int) -> str:
    """Seed inside a savepoint, fingerprint it, then roll it back so the next seed starts empty."""
    result = ""
    with pytest.raises(_RollBack), transaction.atomic():
        result = _seed(seed)
        # --schools 2 --students 40, plus the keuzedelen demo's own six partner schools and
        # their 24 students (demo/keuzedelen.py: the Groningen model and a host school).
        assert School.objects.count() == 2 + 6
        assert Student.objects.count() == 40 + 24
        assert Company.objects.count() == 30
        raise _RollBack
    assert not School.objects.exists()
    return result


def test_seed_is_deterministic_and_sized():
    first = _fingerprint_of_a_seed(7)
    assert _fingerprint_of_a_seed(7) == first
    assert _fingerprint_of_a_seed(8) != first


def test_every_demo_login_works_and_seed_refuses_a_filled_database():
    _seed(1)
    for role, username, _ in DEMO_LOGINS:
        client = Client()
        response = client.post(
            "/account/inloggen/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        if ROLES[role].second_factor:
            # Staff: the second step with the code `demo_totp` prints (the known demo secret).
            assert response["Location"].startswith("/account/tweede-stap/"), username
            assert client.get("/").status_code == 302
            code = StringIO()
            call_command("demo_totp", username, stdout=code, stderr=StringIO())
            response = client.post("/account/tweede-stap/", {"token": code.getvalue().strip()})
            assert response.status_code == 302, username
        assert client.get("/").status_code == 200
    logins = StringIO()
    call_command("demo_logins", stdout=logins)
    assert "demo_totp" in logins.getvalue()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "niets gedaan" in out.getvalue()


def test_demo_places_are_real_dutch_places():
    _seed(3)
    from stagekans.geo.places import find_place

    for place in Company.objects.values_list("locations__place", flat=True).distinct():
        assert find_place(place) is not None, place
