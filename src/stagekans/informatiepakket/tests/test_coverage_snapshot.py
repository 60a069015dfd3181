"""The national coverage pages read precomputed figures (core/snapshots.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.core import snapshots
from stagekans.core.models import AggregateSnapshot
from stagekans.informatiepakket import selectors, services
from stagekans.informatiepakket.models import HandoutDelivery
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshots_on(settings):
    settings.STAGEKANS_SNAPSHOT_MAX_AGE = 300


def _recognised_company_with_trainer():
    company = f.CompanyFactory()
    trainer = f.trainer_user(company)
    f.LocationFactory(company=company, postcode="3011 AD", place="Rotterdam")
    f.RecognitionFactory(company=company)
    return company, trainer


def _werving():
    return next(v for v in selectors.current_versions() if v.kind == "werving_selectie")


def _acknowledge(company, trainer):
    services.acknowledge(
        acting_user=trainer,
        delivery=HandoutDelivery.objects.get(company=company, version=_werving()),
    )


def _counts(rows):
    return [(r.label, r.recognised, r.acknowledged) for r in rows]


def test_a_snapshot_equals_the_live_count_and_is_served_until_it_ages(
    snapshots_on, django_capture_on_commit_callbacks
):
    company, trainer = _recognised_company_with_trainer()
    _recognised_company_with_trainer()
    werving = _werving()
    rows, first = selectors.coverage_snapshot(werving, "province")
    assert _counts(rows) == _counts(selectors.coverage(werving, "province"))
    assert _counts(rows) == [("Zuid-Holland", 2, 0)]
    assert AggregateSnapshot.objects.count() == 1

    _acknowledge(company, trainer)
    # within the maximum age the page serves the figures it has, without recounting
    rows, again = selectors.coverage_snapshot(werving, "province")
    assert _counts(rows) == [("Zuid-Holland", 2, 0)] and not again.stale
    assert again.computed_at == first.computed_at

    AggregateSnapshot.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows, aged = selectors.coverage_snapshot(werving, "province")
    assert aged.stale and _counts(rows) == [("Zuid-Holland", 2, 0)]  # stale served at once
    assert len(callbacks) == 1  # and one refresh queued, not one per view
    rows, fresh = selectors.coverage_snapshot(werving, "province")
    assert _counts(rows) == [("Zuid-Holland", 2, 1)] and not fresh.stale


def test_the_refresh_job_recounts_only_aged_snapshots_that_people_read(snapshots_on):
    company, trainer = _recognised_company_with_trainer()
    werving = _werving()
    selectors.coverage_snapshot(werving, "province")
    selectors.coverage_snapshot(werving, "sector")
    _acknowledge(company, trainer)
    assert snapshots.refresh_due() == 0  # both younger than the maximum age
    old = timezone.now() - dt.timedelta(minutes=10)
    AggregateSnapshot.objects.update(computed_at=old)
    AggregateSnapshot.objects.filter(name__endswith=":sector").update(
        last_read_at=timezone.now() - dt.timedelta(days=2)
    )
    assert snapshots.refresh_due() == 1  # the sector figures nobody reads are left alone
    rows, snap = selectors.coverage_snapshot(werving, "province")
    assert _counts(rows) == [("Zuid-Holland", 1, 1)] and not snap.stale


def test_the_coverage_page_says_when_its_figures_were_counted_and_reads_one_row_per_table(
    snapshots_on, django_assert_max_num_queries
):
    for _ in range(3):
        _recognised_company_with_trainer()
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    assert client.get("/informatiepakket/bereik/?per=provincie").status_code == 200
    for _ in range(5):
        _recognised_company_with_trainer()
    with django_assert_max_num_queries(12):
        page = client.get("/informatiepakket/bereik/?per=provincie")
    assert "Cijfers van" in page.content.decode()


def test_the_national_voorlichting_coverage_reads_a_snapshot(snapshots_on):
    from stagekans.voorlichting import selectors as voorlichting

    f.StudentFactory()
    f.StudentFactory()
    rows, snap = voorlichting.national_coverage_snapshot()
    live = voorlichting.coverage_by_school()
    assert [(r.label, r.total, r.informed) for r in rows] == [
        (r.label, r.total, r.informed) for r in live
    ]
    assert sum(r.total for r in rows) == 2 and not snap.stale
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    page = client.get("/voorlichting/dekking/")
    assert page.status_code == 200
    assert "Cijfers van" in page.content.decode()
