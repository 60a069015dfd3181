"""Every equal-chances screen of issue 17 (company side: self-scan, policy, webinars; school and
meldpunt side: signals, expert team, referral directory) shows demo content after seed_demo."""

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
    Webinar,
    WebinarAttendance,
)
from stagekans.equalchances.workflow import ScanVersionStatus
from stagekans.support.models import (
    ReportReferral,
    SchoolSignal,
    SignalConsent,
    SupportOrganisation,
    SupportRequest,
)
from stagekans.support.workflow import SupportRequestStatus

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

    # Webinars: each its own demo source link (not SBB's home page), maintained by the adviser.
    links = list(Webinar.objects.values_list("source_url", flat=True))
    assert len(links) == len(set(links)) == 4
    assert all(link.startswith("https://www.s-bb.nl/bedrijven/webinars/") for link in links)
    listing = client.get("/gelijke-kansen/webinars/beheer/").content.decode()
    assert all(link in listing for link in links)
    coverage = client.get("/gelijke-kansen/webinars/bereik/").content.decode()
    assert all(link in coverage for link in links)
    # School signals: SBB sees counts per company, some published.
    counts = client.get("/steun/signalen/per-bedrijf/")
    assert counts.status_code == 200
    assert any(row["total"] for row in counts.context["page_obj"].object_list)

    coordinator = User.objects.get(username="stagecoordinator")
    own = SchoolSignal.objects.filter(school=coordinator.school_staff.school)
    assert own.filter(report__isnull=False).count() == SignalConsent.objects.count() == 2
    assert own.filter(closed_at__isnull=False, anonymised_at__isnull=True).exists()
    assert own.filter(anonymised_at__isnull=False, observed="", student=None).exists()
    client.force_login(coordinator)
    page = client.get("/steun/signalen/").content.decode()
    assert "afgesloten" in page
    anonymised = own.get(anonymised_at__isnull=False)
    page = client.get(f"/steun/signalen/{anonymised.pk}/").content.decode()
    assert 'data-testid="anonymised"' in page
    assert client.get("/steun/hulpvragen/").status_code == 200

    # Expert team: requests in every state; the adviescommissie's overview.
    states = set(SupportRequest.objects.values_list("status", flat=True))
    assert states == set(SupportRequestStatus.values)
    client.force_login(User.objects.get(username="deskundigteam"))
    assert client.get("/steun/deskundig-team/").status_code == 200
    client.force_login(User.objects.get(username="analist"))
    assert client.get("/steun/deskundig-team/overzicht/").status_code == 200
    # Referral directory and a referral the reporter sees.
    assert SupportOrganisation.objects.filter(active=True).count() >= 5
    assert ReportReferral.objects.count() == 1
