"""The meldpunt refers a report in one step; the reporter sees where to go."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.support import services
from stagekans.support.models import ReportReferral
from stagekans.testing import factories as f
from stagekans.testing.support import organisation


@pytest.fixture
def world(db):
    student = f.StudentFactory()
    reporter = f.student_user(student)
    return {
        "reporter": reporter,
        "report": f.submit_report(acting_user=reporter, province="UT").report,
        "meldpunt": f.UserFactory(role=Role.MELDPUNT),
        "adv": organisation(),
    }


def test_refer_in_one_step_from_received(world):
    report = services.refer_report(
        acting_user=world["meldpunt"], report=world["report"], organisation=world["adv"]
    )
    assert report.status == ReportStatus.REFERRED_TO_SUPPORT
    assert report.referral_organisation == world["adv"].name
    assert world["adv"].phone in report.referral_contact
    referral = ReportReferral.objects.get(report=report)
    assert referral.organisation == world["adv"] and referral.referred_by == world["meldpunt"]
    assert AuditLog.objects.filter(
        event_type=AuditEvent.REPORT_REFERRED, object_id=str(report.pk)
    ).exists()
    assert [h.to_status for h in report.history.all()] == [
        ReportStatus.RECEIVED,
        ReportStatus.IN_TRIAGE,
        ReportStatus.REFERRED_TO_SUPPORT,
    ]
    assert report.messages.filter(body__contains=world["adv"].name).exists()


def test_reporter_sees_where_to_go(world):
    services.refer_report(
        acting_user=world["meldpunt"], report=world["report"], organisation=world["adv"]
    )
    client = Client()
    client.force_login(world["reporter"])
    page = client.get(f"/meldpunt/mijn-meldingen/{world['report'].reference}/").content.decode()
    assert "Hier kun je terecht" in page
    assert world["adv"].name in page and world["adv"].phone in page


def test_inactive_organisation_and_other_roles_are_refused(world):
    world["adv"].active = False
    world["adv"].save()
    with pytest.raises(ValidationError):
        services.refer_report(
            acting_user=world["meldpunt"], report=world["report"], organisation=world["adv"]
        )
    with pytest.raises(PermissionDenied):
        services.refer_report(
            acting_user=f.UserFactory(role=Role.EXPERT_TEAM),
            report=world["report"],
            organisation=organisation(code="other"),
        )
    assert not ReportReferral.objects.exists()
    world["report"].refresh_from_db()
    assert world["report"].status == ReportStatus.RECEIVED


def test_refer_page(world):
    client = Client()
    client.force_login(world["meldpunt"])
    url = f"/steun/doorverwijzen/{world['report'].reference}/"
    page = client.get(url)
    assert page.status_code == 200 and world["adv"].name in page.content.decode()
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"organisation": world["adv"].pk})
    assert response.status_code == 302
    assert ReportReferral.objects.count() == 1
    again = client.get(url).content.decode()
    assert "kan niet (meer) worden doorverwezen" in again


def test_public_directory_search(db):
    organisation(municipalities=["Utrecht", "Amersfoort"])
    organisation(
        code="politie",
        kind="police",
        name="Politie",
        region="Heel Nederland",
        municipalities=[],
        province="",
        phone="0900-8844",
    )
    organisation(code="radar", name="RADAR", municipalities=["Rotterdam"], province="ZH")
    client = Client()
    found = client.get("/steun/verwijsgids/?q=amersfoort").content.decode()
    assert "Testregio" in found and "RADAR" not in found
    utrecht = client.get("/steun/verwijsgids/?provincie=UT").content.decode()
    assert "Politie" in utrecht and "RADAR" not in utrecht
    police = client.get("/steun/verwijsgids/?soort=police").content.decode()
    assert "Politie" in police and "Testregio" not in police
