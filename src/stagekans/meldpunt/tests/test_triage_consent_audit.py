"""Forwarding to SBB (identity only with consent), referral, and audit of every staff view."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases.models import Case, CaseReporter, CaseStatus
from stagekans.meldpunt import services
from stagekans.meldpunt.models import MessageSender
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
CONTACT = services.ContactDetails(
    name="Samira El Amrani", email="samira@example.nl", phone="0612345678"
)


@pytest.fixture
def meldpunt():
    return f.UserFactory(role=Role.MELDPUNT)


def triaged(consent: bool, **kwargs):
    report = f.submit_report(
        contact=CONTACT, consent_share_identity_with_sbb=consent, **kwargs
    ).report
    return report


def test_forward_without_consent_shares_no_identity(meldpunt):
    company = f.RecognitionFactory().company
    report = triaged(False, company=company, company_name="")
    services.start_triage(acting_user=meldpunt, report=report)
    report = services.forward_to_sbb(
        acting_user=meldpunt, report=report, summary="Studente werd afgewezen om haar hoofddoek."
    )
    case = Case.objects.get()
    assert report.case == case and report.status == ReportStatus.FORWARDED_TO_SBB
    assert case.company == company and case.status == CaseStatus.NEW
    assert case.reporter_identity_shared is False
    assert not CaseReporter.objects.exists()
    # Nothing of the identity anywhere in the case.
    values = [case.summary, case.company_name]
    for value in values:
        for secret in ("Samira", "El Amrani", "samira@example.nl", "0612345678"):
            assert secret not in value
    audit = AuditLog.objects.get(event_type=AuditEvent.CASE_OPENED)
    assert audit.details == {
        "reports": [report.reference],
        "identity_shared": False,
        "team": None,
    }


def test_forward_without_consent_refuses_a_summary_with_the_name(meldpunt):
    report = triaged(False)
    services.start_triage(acting_user=meldpunt, report=report)
    for leaky, fragment in (
        ("Samira werd afgewezen.", "Samira"),
        ("Bel 06-12 34 56 78", "06-12 34 56 78"),
        ("mail samira@example.nl", "samira@example.nl"),
    ):
        with pytest.raises(ValidationError) as error:
            services.forward_to_sbb(acting_user=meldpunt, report=report, summary=leaky)
        assert f"“{fragment}”" in str(error.value)
        assert "haal het eruit" in str(error.value)
    assert not Case.objects.exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_TRIAGE


def test_forward_with_consent_shares_identity(meldpunt):
    report = triaged(True)
    services.start_triage(acting_user=meldpunt, report=report)
    # Consent is for SBB only: the summary, which the company and school will read, may still
    # not name the reporter; the identity travels apart.
    with pytest.raises(ValidationError):
        services.forward_to_sbb(
            acting_user=meldpunt, report=report, summary="Samira werd afgewezen."
        )
    services.forward_to_sbb(
        acting_user=meldpunt, report=report, summary="De studente werd afgewezen."
    )
    case = Case.objects.get()
    assert case.reporter_identity_shared is True
    reporter = CaseReporter.objects.get(case=case)
    assert (reporter.name, reporter.email, reporter.phone) == (
        "Samira El Amrani",
        "samira@example.nl",
        "0612345678",
    )
    assert case.company_name == "Bakkerij De Gouden Korst"


def test_consent_for_school_is_separate_from_consent_for_sbb(meldpunt):
    report = triaged(False, consent_share_identity_with_school=True)
    services.start_triage(acting_user=meldpunt, report=report)
    services.forward_to_sbb(acting_user=meldpunt, report=report, summary="Afgewezen om afkomst.")
    assert not CaseReporter.objects.exists()


def test_logged_in_student_identity_only_with_consent(meldpunt):
    student = f.StudentFactory(given_name="Noor", family_name="Visser")
    user = f.student_user(student)
    without = f.submit_report(acting_user=user).report
    with_consent = f.submit_report(acting_user=user, consent_share_identity_with_sbb=True).report
    for report in (without, with_consent):
        services.start_triage(acting_user=meldpunt, report=report)
    services.forward_to_sbb(acting_user=meldpunt, report=without, summary="Afgewezen.")
    services.forward_to_sbb(acting_user=meldpunt, report=with_consent, summary="Afgewezen.")
    shared = list(CaseReporter.objects.values_list("report_reference", "name", "email"))
    assert shared == [(with_consent.reference, "Noor Visser", user.email)]


def test_referral_tells_the_reporter_where_to_go(meldpunt):
    report = triaged(False)
    services.start_triage(acting_user=meldpunt, report=report)
    report = services.refer_to_support(
        acting_user=meldpunt,
        report=report,
        organisation="Antidiscriminatievoorziening in de regio",
        contact_details="Discriminatie meldpunt regio Utrecht, info@adv.example.nl",
    )
    message = report.messages.get()
    assert message.sender == MessageSender.MELDPUNT
    assert "info@adv.example.nl" in message.body
    assert report.first_reply_at is not None
    with pytest.raises(ValidationError):
        services.refer_to_support(
            acting_user=meldpunt, report=triaged(False), organisation="", contact_details=""
        )


def test_every_staff_view_is_audited(meldpunt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = f.submit_report(attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF")]).report
    client = Client()
    client.force_login(meldpunt)
    for _ in range(3):
        assert client.get(f"/meldpunt/meldingen/{report.reference}/").status_code == 200
    views = AuditLog.objects.filter(
        event_type=AuditEvent.REPORT_VIEWED, object_id=str(report.pk), actor=meldpunt
    )
    assert views.count() == 3
    attachment = report.attachments.get()
    response = client.get(f"/meldpunt/meldingen/{report.reference}/bijlagen/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        AuditLog.objects.filter(
            event_type=AuditEvent.REPORT_ATTACHMENT_VIEWED, object_id=str(report.pk)
        ).count()
        == 1
    )


def test_triage_through_the_ui(meldpunt):
    report = triaged(False)
    client = Client()
    client.force_login(meldpunt)
    url = f"/meldpunt/meldingen/{report.reference}/status/"
    assert client.post(url, {"action": "start_triage"}).status_code == 302
    bad = client.post(url, {"action": "forward", "summary": ""})
    assert bad.status_code == 400
    assert "Samenvatting: vul een geanonimiseerde samenvatting in." in bad.content.decode()
    client.post(url, {"action": "forward", "summary": "Afgewezen om afkomst."})
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED_TO_SBB
    # A forbidden step through the UI is refused with a message, status unchanged.
    response = client.post(url, {"action": "register_only"}, follow=True)
    assert "kan niet naar" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED_TO_SBB
