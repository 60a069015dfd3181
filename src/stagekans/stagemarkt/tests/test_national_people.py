"""The national seed also creates schools, students, staff and trainers, consistent with the
rules the services keep; tried small here (the benchmark loads the full size)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role
from stagekans.companies.models import Trainer
from stagekans.education.models import SchoolStaff, Student
from stagekans.informatiepakket.models import HandoutDelivery
from stagekans.meldpunt.models import Report
from stagekans.stagemarkt.national_people import NATIONAL_PASSWORD

pytestmark = pytest.mark.django_db


def test_small_national_seed_has_people_in_every_role():
    call_command(
        "seed_national",
        companies=150,
        vacancies=50,
        students=400,
        schools=3,
        reports=60,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert Student.objects.count() == 400
    assert not Student.objects.exclude(programme__school=F("school")).exists()
    with_account = Student.objects.filter(user__isnull=False)
    assert 250 < with_account.count() < 400
    assert not with_account.exclude(user__groups__name=ROLES[Role.STUDENT].group_name).exists()
    assert Trainer.objects.count() > 50
    assert not Trainer.objects.exclude(
        user__groups__name=ROLES[Role.COMPANY_TRAINER].group_name
    ).exists()
    # Three coordinators per school; the placements step adds bpv-begeleiders (issue 11).
    assert SchoolStaff.objects.exclude(function="bpv-begeleider").count() == 9
    assert Report.objects.count() == 60 and all(r.grounds.exists() for r in Report.objects.all())
    assert HandoutDelivery.objects.exists()
    assert User.objects.filter(groups__name=ROLES[Role.SBB_ADVISOR].group_name).count() == 20

    advisor = User.objects.filter(groups__name=ROLES[Role.SBB_ADVISOR].group_name).first()
    staff = SchoolStaff.objects.select_related("user").first()
    client = Client()
    # The password works (through the lockout backend, which needs a request); the second
    # factor is given by force_login as in every other staff test.
    request = RequestFactory().post("/account/inloggen/", REMOTE_ADDR="192.0.2.10")
    assert authenticate(request, username=advisor.username, password=NATIONAL_PASSWORD)
    client.force_login(advisor)
    for url in ("/erkenningen/", "/informatiepakket/bereik/"):
        assert client.get(url).status_code == 200, url
    assert authenticate(request, username=staff.user.username, password=NATIONAL_PASSWORD)
    client.force_login(staff.user)
    assert client.get("/voorlichting/dekking/").status_code == 200


def test_if_empty_loads_beside_demo_data_and_only_once():
    """The load benchmark seeds the demo data first: demo vacancies must not stop the national
    seed, but a second run with --if-empty must add nothing."""
    from stagekans.companies.models import Company
    from stagekans.stagemarkt.models import Vacancy
    from stagekans.testing.factories import VacancyFactory

    VacancyFactory()  # what seed_demo leaves behind, in small
    small = {"companies": 40, "vacancies": 20, "students": 30, "schools": 1, "reports": 3}
    small |= {"placements": 5, "applications": 20}
    quiet = io.StringIO()
    call_command("seed_national", seed=7, if_empty=True, stdout=quiet, **small)
    companies, vacancies = Company.objects.count(), Vacancy.objects.count()
    assert companies > small["companies"] and vacancies > small["vacancies"]
    out = io.StringIO()
    call_command("seed_national", seed=8, if_empty=True, stdout=out, **small)
    assert "niets gedaan" in out.getvalue()
    assert (Company.objects.count(), Vacancy.objects.count()) == (companies, vacancies)
