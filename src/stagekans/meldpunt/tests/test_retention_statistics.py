"""Retention erases what identifies the reporter; statistics are suppressed (page and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.core.storage import private_storage
from stagekans.meldpunt import selectors, services
from stagekans.meldpunt.models import Ground, Report, ReporterContact
from stagekans.meldpunt.tasks import erase_expired_contacts
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def closed_report(meldpunt, **kwargs):
    report = f.submit_report(
        contact=services.ContactDetails(name="Jan", email="jan@example.nl"), **kwargs
    ).report
    services.start_triage(acting_user=meldpunt, report=report)
    services.register_only(acting_user=meldpunt, report=report)
    services.send_message_to_reporter(acting_user=meldpunt, report=report, body="Geregistreerd.")
    return services.close_report(acting_user=meldpunt, report=report)


def test_retention_erases_contact_after_the_configured_months(
    settings, django_capture_on_commit_callbacks
):
    settings.MELDPUNT_RETENTION_MONTHS = 6
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    student_user = f.student_user(f.StudentFactory())
    old = closed_report(meldpunt, attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF")])
    old_by_account = closed_report(meldpunt, acting_user=student_user)
    recent = closed_report(meldpunt)
    still_open = f.submit_report(contact=services.ContactDetails(email="open@example.nl")).report
    long_ago = timezone.now() - dt.timedelta(days=200)
    Report.objects.filter(pk__in=[old.pk, old_by_account.pk]).update(closed_at=long_ago)
    Report.objects.filter(pk=still_open.pk).update(received_at=long_ago)
    file_name = old.attachments.get().file.name
    assert private_storage().exists(file_name)

    with django_capture_on_commit_callbacks(execute=True):
        assert erase_expired_contacts() == 2  # the scheduled task
    for report in (old, old_by_account):
        report.refresh_from_db()
        assert report.contact_erased_at is not None
        assert report.reporter_user is None and report.receipt_code_hash == ""
        assert report.what_happened == ""
        assert not ReporterContact.objects.filter(report=report).exists()
        assert report.messages.count() == 0 and report.attachments.count() == 0
        # The anonymised report stays for statistics.
        assert list(report.grounds.values_list("ground", flat=True)) == [Ground.ORIGIN]
        assert report.phase and report.company_name == "Bakkerij De Gouden Korst"
    assert not private_storage().exists(file_name)
    for report in (recent, still_open):
        report.refresh_from_db()
        assert report.contact_erased_at is None
        assert ReporterContact.objects.filter(report=report).exists()
    assert AuditLog.objects.filter(event_type=AuditEvent.REPORT_CONTACT_ERASED).count() == 2
    assert services.erase_expired_contacts() == 0  # idempotent
    assert selectors.find_by_receipt_code("") is None


def test_statistics_page_and_csv_are_suppressed(settings):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = 10
    for _ in range(12):
        f.submit_report(grounds=[Ground.ORIGIN])
    for _ in range(3):
        f.submit_report(grounds=[Ground.AGE])
    for _ in range(15):
        f.submit_report(grounds=[Ground.DISABILITY])
    # Only complete calendar years are published: these reports fall in the last one.
    Report.objects.update(received_at=_in_last_complete_year())
    analyst = f.UserFactory(role=Role.ANALYST)
    client = Client()
    client.force_login(analyst)
    response = client.get("/meldpunt/statistiek/?indeling=ground")
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["rows"]}
    assert (
        rows["Handicap of chronische ziekte"]["total"] is None
        or rows["Handicap of chronische ziekte"]["total"] >= 10
    )
    assert rows["Leeftijd"]["total"] is None  # 3 < 10
    published = [v for r in rows.values() for v in [*r["cells"], r["total"]] if v is not None]
    assert all(v == 0 or v >= 10 for v in published)
    # The hidden 3 cannot be recovered: its row has another hidden entry among cells+total.
    html = response.content.decode()
    assert "<svg" in html and "afgeschermd" in html
    export = client.get("/meldpunt/statistiek/?indeling=ground&formaat=csv")
    assert export["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(export.content.decode())))
    age = next(line for line in lines if line[0] == "Leeftijd")
    assert "3" not in age[1:]
    for line in lines[1:]:
        for value in line[1:]:
            assert value == "afgeschermd" or int(value) == 0 or int(value) >= 10


@pytest.mark.parametrize("dimension", ["phase", "sector", "province"])
def test_other_dimensions_render(dimension):
    f.submit_report()
    client = Client()
    client.force_login(f.UserFactory(role=Role.MELDPUNT))
    response = client.get(f"/meldpunt/statistiek/?indeling={dimension}")
    assert response.status_code == 200
    assert response.context["dimension"] == dimension


def test_report_counts_by_month_and_category():
    f.submit_report(grounds=[Ground.ORIGIN, Ground.RELIGION])
    f.submit_report(grounds=[Ground.AGE])  # this year: not in last year's table
    Report.objects.filter(grounds__ground=Ground.RELIGION).update(
        received_at=_in_last_complete_year()
    )
    year = timezone.localdate().year - 1
    table = selectors.report_counts("ground", year=year)
    assert table.counts.sum() == 2
    assert table.counts[table.row_keys.index("origin"), 11] == 1  # December
    phase = selectors.report_counts("phase", year=year)
    assert phase.counts.sum() == 1


def _in_last_complete_year() -> dt.datetime:
    return timezone.make_aware(dt.datetime(timezone.localdate().year - 1, 12, 15, 12, 0))


def test_retention_leaves_nothing_that_links_the_reporter(
    settings, django_capture_on_commit_callbacks
):
    """After erasure no history row, audit row, outbox mail or case identity points to the
    reporter, and the reporter's account can be deleted."""
    from stagekans.cases.models import CaseReporter
    from stagekans.meldpunt.models import ReportStatusChange
    from stagekans.notifications.models import OutboxMessage

    settings.MELDPUNT_RETENTION_MONTHS = 6
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    student_user = f.student_user(f.StudentFactory(), email="samira@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        report = f.submit_report(
            acting_user=student_user, consent_share_identity_with_sbb=True
        ).report
    assert OutboxMessage.objects.filter(to="samira@example.nl").exists()
    services.start_triage(acting_user=meldpunt, report=report)
    services.forward_to_sbb(acting_user=meldpunt, report=report, summary="Afgewezen om afkomst.")
    assert CaseReporter.objects.filter(report_reference=report.reference).exists()
    report.refresh_from_db()
    services.close_report(acting_user=meldpunt, report=report, note="Afgehandeld.")
    Report.objects.filter(pk=report.pk).update(closed_at=timezone.now() - dt.timedelta(days=200))
    # Nothing written at intake names the student as actor, even before erasure.
    first = ReportStatusChange.objects.filter(report=report).order_by("pk").first()
    assert first.actor is None
    submitted = AuditLog.objects.get(
        event_type=AuditEvent.REPORT_SUBMITTED, object_id=str(report.pk)
    )
    assert submitted.actor is None

    assert erase_expired_contacts() == 1
    assert not OutboxMessage.objects.filter(to="samira@example.nl").exists()
    assert not CaseReporter.objects.filter(report_reference=report.reference).exists()
    assert not ReportStatusChange.objects.filter(actor=student_user).exists()
    assert (
        not AuditLog.objects.filter(actor=student_user)
        .exclude(event_type=AuditEvent.USER_CREATED)
        .exists()
    )
