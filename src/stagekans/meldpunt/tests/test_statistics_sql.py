"""Meldpunt statistics are aggregated in SQL: one query whatever the number of reports, and the
same counts as counting report by report in local time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stagekans.meldpunt import selectors
from stagekans.meldpunt.models import Ground, Report, ReportGround
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _reports(n: int, year: int) -> None:
    grounds = list(Ground.values)
    for i in range(n):
        report = f.submit_report(
            grounds=[grounds[i % len(grounds)], grounds[(i + 3) % len(grounds)]]
        )
        # spread over the year, including the first and last local hours of a month
        month = i % 12 + 1
        moment = dt.datetime(year, month, 1, 0, 30) if i % 3 == 0 else dt.datetime(
            year, month, 28, 23, 30)  # fmt: skip
        Report.objects.filter(pk=report.report.pk).update(received_at=timezone.make_aware(moment))


def _reference(dimension: str, year: int) -> dict[tuple[str, int], int]:
    counts: dict[tuple[str, int], int] = {}
    if dimension == "ground":
        pairs = ReportGround.objects.values_list("ground", "report__received_at")
    else:
        pairs = Report.objects.values_list(dimension, "received_at")
    for key, received in pairs:
        local = timezone.localtime(received)
        if local.year == year:
            k = (key or selectors.UNKNOWN, local.month - 1)
            counts[k] = counts.get(k, 0) + 1
    return counts


@pytest.mark.parametrize("n", [3, 15])
def test_one_query_and_the_same_counts(n, django_assert_num_queries):
    year = timezone.localdate().year - 1
    _reports(n, year)
    for dimension in ("ground", "phase", "sector", "province"):
        with django_assert_num_queries(1):
            table = selectors.report_counts(dimension, year=year)
        found = {
            (table.row_keys[r], c): int(table.counts[r, c])
            for r in range(len(table.row_keys))
            for c in range(12)
            if table.counts[r, c]
        }
        assert found == _reference(dimension, year), dimension
