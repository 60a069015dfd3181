"""The training record: who followed which webinar, registered by themselves or by SBB, and the
coverage per sector and province (SQL aggregation, constant query count, suppressed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.education.models import Sector
from stagekans.equalchances import selectors, services
from stagekans.equalchances.models import TrainingSource, Webinar, WebinarAttendance
from stagekans.testing import factories as f

SEEDED = [
    "Selecteren zonder vooroordelen",
    "Objectief oordelen",
    "Sociale veiligheid",
    "Gelijke behandeling op de werkvloer",
]


@pytest.fixture
def advisor(db):
    return f.UserFactory(role=Role.SBB_ADVISOR)


def test_the_four_sbb_webinars_are_seeded(db):
    webinars = selectors.active_webinars()
    assert [w.title for w in webinars] == SEEDED
    assert all(w.source_url.startswith("https://") for w in webinars)


def test_self_registration_and_by_sbb(advisor):
    trainer = f.trainer_user(f.CompanyFactory(), email="p.jansen@bedrijf.nl")
    webinar = Webinar.objects.get(title="Objectief oordelen")
    own = services.record_attendance(
        acting_user=trainer,
        trainer=trainer.trainer,
        webinar=webinar,
        attended_on=timezone.localdate(),
    )
    assert own.source == TrainingSource.SELF and own.company == trainer.trainer.company
    client = Client()
    client.force_login(advisor)
    response = client.post(
        "/gelijke-kansen/webinars/registreren/",
        {
            "email": "P.Jansen@bedrijf.nl",
            "webinar": Webinar.objects.get(title="Sociale veiligheid").pk,
            "attended_on": "2026-03-12",
        },
    )
    assert response.status_code == 302
    by_sbb = WebinarAttendance.objects.get(webinar__title="Sociale veiligheid")
    assert by_sbb.source == TrainingSource.SBB and by_sbb.registered_by == advisor
    assert AuditLog.objects.filter(event_type=AuditEvent.WEBINAR_ATTENDANCE_RECORDED).count() == 2
    # The company sees both on its page.
    client.force_login(trainer)
    page = client.get("/gelijke-kansen/webinars/").content.decode()
    assert "Objectief oordelen" in page and "door SBB" in page


def test_bad_input_is_refused(advisor):
    trainer = f.trainer_user(f.CompanyFactory())
    webinar = Webinar.objects.first()
    with pytest.raises(ValidationError):
        services.record_attendance(
            acting_user=trainer,
            trainer=trainer.trainer,
            webinar=webinar,
            attended_on=timezone.localdate() + dt.timedelta(days=1),
        )
    services.record_attendance(
        acting_user=trainer,
        trainer=trainer.trainer,
        webinar=webinar,
        attended_on=dt.date(2026, 1, 5),
    )
    with pytest.raises(ValidationError):
        services.record_attendance(
            acting_user=advisor,
            trainer=trainer.trainer,
            webinar=webinar,
            attended_on=dt.date(2026, 1, 6),
        )
    assert WebinarAttendance.objects.count() == 1
    client = Client()
    client.force_login(advisor)
    response = client.post(
        "/gelijke-kansen/webinars/registreren/",
        {"email": "onbekend@example.nl", "webinar": webinar.pk, "attended_on": "2026-01-05"},
    )
    assert response.status_code == 400
    assert "Er is geen praktijkopleider met dit e-mailadres" in response.content.decode()


def test_a_trainer_cannot_register_a_colleague_elsewhere(db):
    trainer = f.trainer_user(f.CompanyFactory())
    other = f.trainer_user(f.CompanyFactory())
    with pytest.raises(PermissionDenied):
        services.record_attendance(
            acting_user=trainer,
            trainer=other.trainer,
            webinar=Webinar.objects.first(),
            attended_on=dt.date(2026, 1, 5),
        )


def test_remove_own_record_only(db):
    trainer = f.trainer_user(f.CompanyFactory())
    other = f.trainer_user(f.CompanyFactory())
    attendance = services.record_attendance(
        acting_user=trainer,
        trainer=trainer.trainer,
        webinar=Webinar.objects.first(),
        attended_on=dt.date(2026, 1, 5),
    )
    client = Client()
    client.force_login(other)
    assert client.post(f"/gelijke-kansen/webinars/{attendance.pk}/verwijderen/").status_code == 404
    client.force_login(trainer)
    assert client.post(f"/gelijke-kansen/webinars/{attendance.pk}/verwijderen/").status_code == 302
    assert not WebinarAttendance.objects.exists()


def _recognised_companies(n, sector, *, trained=0, webinar=None):
    qualification = f.QualificationFactory(sector=sector)
    for i in range(n):
        company = f.CompanyFactory(sector=sector)
        f.LocationFactory(company=company)
        f.RecognitionFactory(company=company, qualification=qualification)
        if i < trained:
            user = f.trainer_user(company)
            services.record_attendance(
                acting_user=user,
                trainer=user.trainer,
                webinar=webinar,
                attended_on=dt.date(2026, 2, 1),
            )


def test_coverage_counts_in_sql_and_suppresses_small_cells(db, django_assert_max_num_queries):
    webinar = Webinar.objects.get(title="Selecteren zonder vooroordelen")
    _recognised_companies(12, Sector.ZORG, trained=11, webinar=webinar)
    _recognised_companies(3, Sector.ICT, trained=1, webinar=webinar)
    with django_assert_max_num_queries(4):
        coverage = selectors.training_coverage("sector")
    rows = {row.key: row for row in coverage.rows}
    index = [w.pk for w in coverage.webinars].index(webinar.pk)
    # ICT: 3 companies (1 trained) — too small: nothing of it is published.
    assert rows["ict"].recognised is None and rows["ict"].webinars[index].count is None
    # Zorg: 12 recognised, 11 trained — but with ICT hidden the totals would give it away, so
    # every published figure is 0 or at least 10.
    published = [
        v
        for row in coverage.rows
        for v in [row.recognised, *[c.count for c in row.webinars]]
        if v is not None
    ]
    assert all(v == 0 or v >= 10 for v in published)
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    page = client.get("/gelijke-kansen/webinars/bereik/").content.decode()
    assert "afgeschermd" in page
    csv = client.get("/gelijke-kansen/webinars/bereik/?per=provincie&formaat=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "afgeschermd" in csv.content.decode()


def test_coverage_query_count_does_not_grow_with_rows(db, django_assert_max_num_queries):
    webinar = Webinar.objects.first()
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    _recognised_companies(2, Sector.ZORG, trained=1, webinar=webinar)
    with django_assert_max_num_queries(20) as small:
        client.get("/gelijke-kansen/webinars/bereik/")
    _recognised_companies(25, Sector.HANDEL, trained=12, webinar=webinar)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/gelijke-kansen/webinars/bereik/?per=provincie")
    assert response.status_code == 200
