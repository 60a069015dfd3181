from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.informatiepakket import selectors, services
from stagekans.informatiepakket.models import HandoutDelivery, HandoutKind, HandoutVersion
from stagekans.informatiepakket.rendering import render_text
from stagekans.notifications.models import OutboxMessage
from stagekans.register import services as register_services
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _recognised_company_with_trainer():
    company = f.CompanyFactory()
    trainer = f.trainer_user(company)
    f.LocationFactory(company=company, postcode="3011 AD", place="Rotterdam")
    recognition = f.RecognitionFactory(company=company)
    return company, trainer, recognition


def test_first_versions_exist_with_real_content():
    versions = selectors.current_versions()
    assert {v.kind for v in versions} == set(HandoutKind.values)
    for version in versions:
        assert version.version == 1
        assert len(version.body_nl) > 1000 and len(version.body_en) > 1000
    werving = next(v for v in versions if v.kind == HandoutKind.WERVING_SELECTIE)
    assert "Algemene wet gelijke behandeling" in werving.body_nl
    assert "gestructureerd" in werving.body_nl


def test_recognition_issues_current_handouts_once_with_mail_to_trainers():
    company, trainer, recognition = _recognised_company_with_trainer()
    deliveries = HandoutDelivery.objects.filter(company=company)
    assert deliveries.count() == 2
    mails = OutboxMessage.objects.filter(to=trainer.email)
    assert mails.count() == 2
    assert all("/informatiepakket/" in m.body for m in mails)
    assert AuditLog.objects.filter(event_type=AuditEvent.HANDOUT_ISSUED).count() == 2
    # reassessment (recognised → recognised) issues nothing new
    register_services.grant_recognition(
        acting_user=None,
        recognition=recognition,
        reason="Herbeoordeling",
        conditions=f.ALL_CONDITIONS_MET,
    )
    assert deliveries.count() == 2
    assert OutboxMessage.objects.filter(to=trainer.email).count() == 2


def test_requested_recognition_issues_nothing():
    recognition = f.RecognitionFactory(granted=False)
    assert not HandoutDelivery.objects.filter(company=recognition.company).exists()


def test_trainer_acknowledges_with_version_and_audit():
    company, trainer, _ = _recognised_company_with_trainer()
    delivery = HandoutDelivery.objects.filter(company=company).first()
    services.acknowledge(acting_user=trainer, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == trainer and delivery.acknowledged_at is not None
    row = AuditLog.objects.get(event_type=AuditEvent.HANDOUT_ACKNOWLEDGED)
    assert row.details["version"] == delivery.version.version
    with pytest.raises(ValidationError):
        services.acknowledge(acting_user=trainer, delivery=delivery)


def test_other_company_or_role_cannot_acknowledge():
    company, _, _ = _recognised_company_with_trainer()
    other_trainer = f.trainer_user(f.CompanyFactory())
    advisor = f.UserFactory(role=Role.SBB_ADVISOR)
    delivery = HandoutDelivery.objects.filter(company=company).first()
    for user in (other_trainer, advisor):
        with pytest.raises(PermissionDenied):
            services.acknowledge(acting_user=user, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None


def test_reminders_after_14_days_and_not_before_or_twice():
    company, trainer, _ = _recognised_company_with_trainer()
    read = HandoutDelivery.objects.filter(company=company).first()
    services.acknowledge(acting_user=trainer, delivery=read)
    now = timezone.now()
    assert services.send_due_reminders(now=now + dt.timedelta(days=13)) == 0
    assert services.send_due_reminders(now=now + dt.timedelta(days=15)) == 1
    assert services.send_due_reminders(now=now + dt.timedelta(days=16)) == 0
    assert services.send_due_reminders(now=now + dt.timedelta(days=30)) == 1
    unread = HandoutDelivery.objects.get(company=company, acknowledged_at__isnull=True)
    assert unread.reminder_count == 2
    reminders = OutboxMessage.objects.filter(subject__startswith="Herinnering")
    assert reminders.count() == 2


def test_new_version_is_issued_to_all_recognised_companies(django_capture_on_commit_callbacks):
    companies = [_recognised_company_with_trainer()[0] for _ in range(3)]
    not_recognised = f.RecognitionFactory(granted=False).company
    advisor = f.UserFactory(role=Role.SBB_ADVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.publish_version(
            acting_user=advisor,
            kind=HandoutKind.VEILIGHEID,
            title_nl="Veiligheid v2",
            body_nl="Nieuwe tekst.",
            title_en="Safety v2",
            body_en="New text.",
        )
    version.refresh_from_db()
    assert version.version == 2
    assert version.issue_target == 3 and version.issued_count == 3
    assert version.issue_finished_at is not None
    for company in companies:
        assert HandoutDelivery.objects.filter(company=company, version=version).exists()
    assert not HandoutDelivery.objects.filter(company=not_recognised).exists()
    current = {v.kind: v.version for v in selectors.current_versions()}
    assert current[HandoutKind.VEILIGHEID] == 2
    # re-running the (idempotent) background job issues nothing twice
    assert services.issue_version_in_batches(version_id=version.pk) == 0


def test_publish_refuses_empty_fields_and_other_roles():
    advisor = f.UserFactory(role=Role.SBB_ADVISOR)
    with pytest.raises(ValidationError) as info:
        services.publish_version(
            acting_user=advisor,
            kind="veiligheid",
            title_nl="",
            body_nl="x",
            title_en="y",
            body_en="z",
        )
    assert "title_nl" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.publish_version(
            acting_user=f.UserFactory(role=Role.ANALYST),
            kind="veiligheid",
            title_nl="a",
            body_nl="b",
            title_en="c",
            body_en="d",
        )
    assert HandoutVersion.objects.count() == 2


def test_coverage_by_sector_and_province_and_csv():
    company, trainer, _ = _recognised_company_with_trainer()
    _recognised_company_with_trainer()
    werving = next(v for v in selectors.current_versions() if v.kind == "werving_selectie")
    services.acknowledge(
        acting_user=trainer, delivery=HandoutDelivery.objects.get(company=company, version=werving)
    )
    rows = selectors.coverage(werving, "province")
    assert [(r.label, r.recognised, r.acknowledged) for r in rows] == [("Zuid-Holland", 2, 1)]
    assert rows[0].percentage == 50.0
    sector_rows = selectors.coverage(werving, "sector")
    assert selectors.coverage_total(sector_rows).recognised == 2

    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    page = client.get("/informatiepakket/bereik/?per=provincie")
    assert page.status_code == 200
    assert "50.0%" in page.content.decode() or "50,0%" in page.content.decode()
    export = client.get("/informatiepakket/bereik/?per=provincie&formaat=csv")
    assert export["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(export.content.decode()), delimiter=";"))
    assert lines[0][:3] == ["handout", "versie", "provincie"]
    assert ["werving_selectie", "1", "Zuid-Holland", "2", "1", "50.0"] in lines


def test_pages_are_scoped():
    company, trainer, _ = _recognised_company_with_trainer()
    _other, other_trainer, _ = _recognised_company_with_trainer()
    delivery = HandoutDelivery.objects.filter(company=company).first()
    own = Client()
    own.force_login(trainer)
    response = own.get(f"/informatiepakket/{delivery.pk}/")
    assert response.status_code == 200
    assert "Ik heb deze hand-out gelezen" in response.content.decode()
    assert own.post(f"/informatiepakket/{delivery.pk}/gelezen/").status_code == 302
    foreign = Client()
    foreign.force_login(other_trainer)
    assert foreign.get(f"/informatiepakket/{delivery.pk}/").status_code == 404
    assert foreign.post(f"/informatiepakket/{delivery.pk}/gelezen/").status_code == 404
    student = Client()
    student.force_login(f.UserFactory(role=Role.STUDENT))
    assert student.get("/informatiepakket/").status_code == 403
    assert student.get("/informatiepakket/bereik/").status_code == 403


def test_english_text_when_english_is_chosen():
    company, trainer, _ = _recognised_company_with_trainer()
    delivery = HandoutDelivery.objects.filter(
        company=company, version__kind="werving_selectie"
    ).first()
    client = Client()
    client.force_login(trainer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(f"/informatiepakket/{delivery.pk}/").content.decode()
    assert "Recruitment and selection without discrimination" in body


def test_rendering_escapes_html():
    html = render_text("## Kop <b>\n\nTekst <script>alert(1)</script>\n\n- een\n- twee")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<h2 class="utrecht-heading-2">Kop &lt;b&gt;</h2>' in html
    assert "<li>een</li><li>twee</li>" in html
