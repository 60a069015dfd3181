"""Every equal-chances screen shows demo content after seed_demo."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from stagekans.accounts.models import User
from stagekans.equalchances.models import (
    RecruitmentPolicy,
    ScanResult,
    ScanVersion,
    WebinarAttendance,
)
from stagekans.equalchances.workflow import ScanVersionStatus

pytestmark = pytest.mark.django_db


def test_demo_fills_every_equal_chances_screen():
    call_command(
        "seed_demo",
        "--seed",
        "7",
        "--schools",
        "2",
        "--students",
        "40",
        "--companies",
        "60",
        "--history-reports",
        "0",
        stdout=StringIO(),
    )
    trainer = User.objects.get(username="praktijkopleider")
    company = trainer.trainer.company
    assert ScanResult.objects.filter(company=company).count() == 3
    latest = ScanResult.objects.get(company=company, is_latest=True)
    first = ScanResult.objects.filter(company=company).order_by("completed_at").first()
    assert latest.percentage > first.percentage  # progress over time
    assert RecruitmentPolicy.objects.filter(company=company).count() == 2
    assert WebinarAttendance.objects.filter(company=company).count() == 2
    assert ScanResult.objects.exclude(company=company).exists()
    assert RecruitmentPolicy.objects.exclude(company=company).exists()
    assert ScanVersion.objects.filter(status=ScanVersionStatus.DRAFT).exists()

    client = Client()
    client.force_login(trainer)
    page = client.get("/gelijke-kansen/zelfscan/").content.decode()
    assert "Totaalscore per keer dat u de zelfscan invulde" in page
    assert "wervingsbeleid.pdf" in client.get("/gelijke-kansen/beleid/").content.decode()
    assert "Objectief oordelen" in client.get("/gelijke-kansen/webinars/").content.decode()

    client.force_login(User.objects.get(username="adviseur"))
    recognition = company.recognitions.first()
    page = client.get(f"/erkenningen/{recognition.pk}/").content.decode()
    assert "Wervingsbeleid gelijke kansen" in page and "wervingsbeleid.pdf" in page
    assert client.get("/gelijke-kansen/zelfscan/cijfers/").status_code == 200
    assert client.get("/gelijke-kansen/webinars/bereik/").status_code == 200
    assert "concept" in client.get("/gelijke-kansen/zelfscan/versies/").content.decode()
