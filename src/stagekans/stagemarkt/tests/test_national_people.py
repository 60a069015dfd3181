"""The national seed also creates schools, students, staff and trainers, consistent with the
rules the services keep; tried small here (the benchmark loads the full size)."""

from __future__ import annotations

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
