"""The recruitment policy: recorded by the company, a PDF in private storage, shown to the
adviser beside the safety condition with a reminder when absent or older than four years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.core.storage import RANDOM_NAME
from stagekans.equalchances import selectors, services
from stagekans.equalchances.models import RecruitmentPolicy
from stagekans.testing import factories as f
from stagekans.testing.equalchances import POLICY_ANSWERS

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(db):
    recognition = f.RecognitionFactory()
    company = recognition.company
    return {
        "recognition": recognition,
        "trainer": f.trainer_user(company),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "other_trainer": f.trainer_user(f.CompanyFactory()),
    }


def _record(world, **kwargs):
    return services.record_policy(
        acting_user=world["trainer"],
        company=world["trainer"].trainer.company,
        answers=POLICY_ANSWERS,
        **kwargs,
    )


def test_record_policy_with_document_and_keep_it_on_the_next_version(world):
    first = _record(world, document=SimpleUploadedFile("beleid 2026.pdf", PDF))
    assert first.document and first.document_name == "beleid 2026.pdf"
    assert first.measures_taken == 3
    # The file has a random name in private storage; the name says nothing about the company.
    assert RANDOM_NAME.match(first.document.name)
    second = _record(world)
    assert second.document.name == first.document.name
    third = _record(world, keep_document=False)
    assert not third.document
    assert selectors.current_policy(first.company) == third
    assert RecruitmentPolicy.objects.filter(company=first.company).count() == 3
    assert AuditLog.objects.filter(event_type=AuditEvent.RECRUITMENT_POLICY_RECORDED).count() == 3


def test_bad_input_is_refused_and_writes_nothing(world):
    with pytest.raises(ValidationError) as error:
        _record(world, document=SimpleUploadedFile("beleid.docx", b"PK\x03\x04 not a pdf"))
    assert "pdf" in str(error.value)
    with pytest.raises(ValidationError):
        services.record_policy(
            acting_user=world["trainer"],
            company=world["trainer"].trainer.company,
            answers={**POLICY_ANSWERS, "complaint_route": "  "},
        )
    assert not RecruitmentPolicy.objects.exists()
    client = Client()
    client.force_login(world["trainer"])
    response = client.post("/gelijke-kansen/beleid/", {"responsible": "HR"})
    assert response.status_code == 400
    assert "Verbeter het volgende" in response.content.decode()
    assert not RecruitmentPolicy.objects.exists()


def test_only_the_own_company(world):
    with pytest.raises(PermissionDenied):
        services.record_policy(
            acting_user=world["other_trainer"],
            company=world["trainer"].trainer.company,
            answers=POLICY_ANSWERS,
        )


def test_policy_page_records_through_the_form(world):
    client = Client()
    client.force_login(world["trainer"])
    data = {
        "covers_interns": "on",
        "criteria_in_advance": "on",
        "complaint_route": "Vertrouwenspersoon, en het Meldpunt stagediscriminatie.",
        "responsible": "Praktijkopleider",
        "document": SimpleUploadedFile("beleid.pdf", PDF, content_type="application/pdf"),
    }
    response = client.post("/gelijke-kansen/beleid/", data)
    assert response.status_code == 302
    policy = selectors.current_policy(world["trainer"].trainer.company)
    assert policy.covers_interns and policy.criteria_in_advance and not policy.anonymised_selection
    page = client.get("/gelijke-kansen/beleid/").content.decode()
    assert "Uw huidige beleid" in page and "1 van 5" in page


def test_document_download_is_scoped_and_audited(world):
    policy = _record(world, document=SimpleUploadedFile("beleid.pdf", PDF))
    url = f"/gelijke-kansen/beleid/{policy.pk}/document/"
    for user, status in [
        (world["trainer"], 200),
        (world["advisor"], 200),
        (world["other_trainer"], 404),
        (f.UserFactory(role=Role.ANALYST), 404),
    ]:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
    assert (
        AuditLog.objects.filter(
            event_type=AuditEvent.RECRUITMENT_POLICY_DOCUMENT_VIEWED, object_id=str(policy.pk)
        ).count()
        == 2
    )


def _recognition_page(world):
    client = Client()
    client.force_login(world["advisor"])
    response = client.get(f"/erkenningen/{world['recognition'].pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_adviser_sees_reminder_when_no_policy(world):
    page = _recognition_page(world)
    assert "Wervingsbeleid gelijke kansen" in page
    assert "nog geen wervingsbeleid" in page
    # The panel stands before the reassessment form with the five conditions.
    assert page.index("Wervingsbeleid gelijke kansen") < page.index("Herbeoordelen")


def test_adviser_sees_the_policy_beside_the_conditions(world):
    _record(world)
    page = _recognition_page(world)
    assert "Hoofd HR" in page and "3 van 5" in page
    assert "Herinnering" not in page


def test_reminder_when_older_than_a_recognition_period(world):
    policy = _record(world)
    today = timezone.localdate()
    assert selectors.policy_status(policy.company, today).reminder == ""
    later = today + dt.timedelta(days=4 * 365 + 2)
    status = selectors.policy_status(policy.company, later)
    assert status.is_outdated and "ouder dan een erkenningsperiode" in status.reminder


def test_the_company_does_not_see_the_adviser_panel(world):
    _record(world)
    client = Client()
    client.force_login(world["trainer"])
    page = client.get(f"/erkenningen/{world['recognition'].pk}/").content.decode()
    assert "Wervingsbeleid gelijke kansen" not in page
