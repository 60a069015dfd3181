"""Outcome measures from applications in SQL, published through suppression; company signals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.insight import selectors
from stagekans.insight.models import CompanySignal, Measure, RecomputeRun
from stagekans.insight.services.recompute import recompute
from stagekans.testing import insight as t

pytestmark = pytest.mark.django_db


def _scenario():
    s = t.setting()
    sent = timezone.make_aware(dt.datetime(2025, 10, 1, 10, 0))
    dutch = t.students(s["programme"], 30, "nl")
    outside = t.students(s["programme"], 30, "africa")
    for i, student in enumerate(dutch):
        ok = i < 20
        t.apply(
            student,
            s["vacancy"],
            status="accepted" if ok else "rejected",
            sent_at=sent,
            offered=ok,
            invited=ok or i < 25,
            reason="" if ok else "competences",
        )
    for i, student in enumerate(outside):
        ok = i < 10
        t.apply(
            student,
            s["vacancy"],
            status="accepted" if ok else "rejected",
            sent_at=sent,
            offered=ok,
            invited=ok,
            reason="" if ok else "language",
        )
    return s


def test_placed_at_first_attempt_by_herkomst_with_ci_ratio_and_flag():
    _scenario()
    run = recompute(acting_user=None)
    assert run.is_current and run.student_years == 60
    table = selectors.outcome_table(
        measure=Measure.PLACED_FIRST, attribute="herkomst", school_year=2025, breakdown="total"
    )
    assert table is not None
    cells = {
        code: cell
        for (code, _label), cell in zip(table["groups"], table["rows"][0]["cells"], strict=True)
    }
    nl, outside, unknown = cells[1], cells[3], cells[0]
    assert (nl["numerator"], nl["n"]) == (20, 30)
    assert (outside["numerator"], outside["n"]) == (10, 30)
    assert outside["ratio"] == pytest.approx(0.5)
    assert outside["four_fifths"] is True
    assert 0.0 < outside["low"] < 1 / 3 < outside["high"] < 1.0
    assert unknown["n"] == 0  # nobody without a statement: a zero is published
    assert AuditLog.objects.filter(event_type=AuditEvent.INSIGHT_RECOMPUTED).exists()


def test_refusal_reasons_and_company_signal():
    _scenario()
    recompute(acting_user=None)
    reasons = selectors.outcome_table(
        measure=Measure.REFUSAL_REASON, attribute="herkomst", school_year=2025, breakdown="reason"
    )
    assert reasons is not None
    by_key = {row["key"]: row["cells"] for row in reasons["rows"]}
    assert by_key["language"][3]["numerator"] == 20
    assert by_key["competences"][1]["numerator"] == 10
    # 25/30 invited vs 10/30: one company, tested and signalled after BH.
    signal = CompanySignal.objects.get(measure="invitation")
    assert signal.signalled and signal.comparison_lower and signal.q_value < 0.05
    # 5 Dutch applicants were not invited: below k, so that row's split is suppressed.
    assert (signal.n_reference, signal.yes_reference) == (30, None)


def test_recompute_is_idempotent_and_replaces_the_current_run():
    _scenario()
    first = recompute(acting_user=None)
    second = recompute(acting_user=None)
    assert RecomputeRun.objects.count() == 1 and RecomputeRun.objects.get().pk == second.pk
    assert first.pk != second.pk
    assert second.tables.count() > 0
