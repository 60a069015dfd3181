"""Retention of school signals: SCHOOL_SIGNAL_RETENTION_DAYS after closing, the texts and the
links to student and staff member are erased; open and young signals are kept; every chunk is
audited with its count; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.support import selectors, services
from stagekans.support.models import SchoolSignal, SignalOutcome
from stagekans.support.tasks import anonymise_expired_signals
from stagekans.testing import factories as f
from stagekans.testing.support import school_signal

DAYS = 730


@pytest.fixture
def world(db, settings):
    settings.SCHOOL_SIGNAL_RETENTION_DAYS = DAYS
    student = f.StudentFactory(given_name="Noor", family_name="El Amrani")
    return {
        "student": student,
        "staff": f.school_staff_user(student.school),
        "company": f.CompanyFactory(),
    }


def _closed(world, *, days_ago: int, **overrides) -> SchoolSignal:
    signal = school_signal(
        staff=world["staff"], company=world["company"], student=world["student"], **overrides
    )
    services.close_signal(acting_user=world["staff"], signal=signal)
    SchoolSignal.objects.filter(pk=signal.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return signal


def _retention_rows():
    return AuditLog.objects.filter(event_type=AuditEvent.SCHOOL_SIGNALS_ANONYMISED)


def test_default_is_two_years_after_closing():
    assert settings.SCHOOL_SIGNAL_RETENTION_DAYS == 730


def test_beat_runs_the_retention_job_daily():
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "support.anonymise_expired_signals"
    )
    assert entry["schedule"] == 60 * 60 * 24


def test_old_closed_signal_is_anonymised_open_and_young_are_kept(world):
    old = _closed(world, days_ago=DAYS + 1)
    young = _closed(world, days_ago=DAYS - 1)
    still_open = school_signal(
        staff=world["staff"], company=world["company"], student=world["student"]
    )
    SchoolSignal.objects.filter(pk=still_open.pk).update(
        created_at=timezone.now() - dt.timedelta(days=5 * DAYS)
    )

    assert services.anonymise_expired_signals() == 1

    old.refresh_from_db()
    assert old.observed == "" and old.conversation == ""
    assert old.student_id is None and old.logged_by_id is None
    assert old.anonymised_at is not None
    # What the counts for SBB are made of stays.
    assert old.company == world["company"] and old.school == world["student"].school
    assert old.outcome == SignalOutcome.COMPANY_DISPUTES and old.grounds and old.phase
    for kept in (young, still_open):
        kept.refresh_from_db()
        assert kept.observed and kept.conversation and kept.student == world["student"]
        assert kept.anonymised_at is None


def test_each_run_is_audited_with_its_count(world):
    for _ in range(3):
        _closed(world, days_ago=DAYS + 10)
    assert services.anonymise_expired_signals(chunk_size=2) == 3
    rows = list(_retention_rows().order_by("pk"))
    assert [r.details["count"] for r in rows] == [2, 1]
    assert all(r.details["retention_days"] == DAYS and r.actor is None for r in rows)
    # The audit rows name no student and hold no text.
    assert "Noor" not in str([r.details for r in rows])


def test_idempotent(world):
    _closed(world, days_ago=DAYS + 1)
    assert anonymise_expired_signals() == 1  # the Celery task
    before = list(SchoolSignal.objects.values())
    assert anonymise_expired_signals() == 0
    assert services.anonymise_expired_signals() == 0
    assert list(SchoolSignal.objects.values()) == before
    assert _retention_rows().count() == 1


def test_counts_for_sbb_do_not_change(world, settings):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = 2
    for _ in range(3):
        _closed(world, days_ago=DAYS + 1)
    advisor = f.UserFactory(role=Role.SBB_ADVISOR)
    before = selectors.signal_count_for_company(advisor, world["company"])
    assert services.anonymise_expired_signals() == 3
    assert selectors.signal_count_for_company(advisor, world["company"]) == before == 3


def test_only_the_own_school_closes_and_a_closed_signal_is_read_only(world):
    signal = school_signal(staff=world["staff"], company=world["company"])
    other = f.school_staff_user(f.StudentFactory().school)
    with pytest.raises(PermissionDenied):
        services.close_signal(acting_user=other, signal=signal)
    services.close_signal(acting_user=world["staff"], signal=signal)
    assert AuditLog.objects.filter(
        event_type=AuditEvent.SCHOOL_SIGNAL_CLOSED, object_id=str(signal.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.close_signal(acting_user=world["staff"], signal=signal)
    with pytest.raises(ValidationError):
        services.update_signal(
            acting_user=world["staff"],
            signal=signal,
            conversation="Nog een gesprek.",
            conversation_on=dt.date.today(),
            outcome=SignalOutcome.RESOLVED,
        )


def test_close_and_anonymised_pages(world):
    signal = school_signal(staff=world["staff"], company=world["company"])
    client = Client()
    client.force_login(world["staff"])
    page = client.get(f"/steun/signalen/{signal.pk}/").content.decode()
    assert "Signaal afsluiten" in page and "730 dagen later" in page
    assert client.post(f"/steun/signalen/{signal.pk}/afsluiten/").status_code == 302
    page = client.get(f"/steun/signalen/{signal.pk}/").content.decode()
    assert 'data-testid="closed"' in page and "Gesprek opslaan" not in page
    assert "afgesloten" in client.get("/steun/signalen/").content.decode()
    SchoolSignal.objects.filter(pk=signal.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=DAYS + 1)
    )
    services.anonymise_expired_signals()
    page = client.get(f"/steun/signalen/{signal.pk}/").content.decode()
    assert 'data-testid="anonymised"' in page and "hoofddoek" not in page


def test_privacy_statement_names_the_retention(client, world):
    assert "730 dagen na het afsluiten van het signaal" in client.get("/privacy/").content.decode()
