"""The recompute job: outcome tables and company signals, precomputed for the pages."""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.background.selectors import group_codes_table
from stagekans.insight import outcomes, signals
from stagekans.insight.models import CompanySignal, OutcomeTable, RecomputeRun


def recompute(*, acting_user: Any, with_combinations: bool = False) -> RecomputeRun:
    """Compute everything into a new run and make it current in one transaction; the previous
    run's tables are deleted. Idempotent: running twice gives the same tables."""
    clock = time.perf_counter()
    k = settings.INSIGHT_SUPPRESSION_THRESHOLD
    with transaction.atomic():
        # One recompute at a time: a second waits here, then recomputes on fresh data.
        RecomputeRun.objects.select_for_update().filter(is_current=True).first()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Sorts and hash joins of millions of rows in memory, for this transaction only;
                # no JIT: compiling the few aggregate queries costs more than it saves.
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
        with group_codes_table() as groups:
            cubes = outcomes.load_cubes(groups)
            signal_result = signals.compute(groups, k)
        published = outcomes.publish_all(cubes, k, with_combinations=with_combinations)
        RecomputeRun.objects.filter(is_current=True).delete()
        run = RecomputeRun.objects.create(
            threshold=k,
            student_years=cubes.student_years,
            applications=int(cubes.outcome[..., outcomes.SUMS.index("applications")].sum()),
            companies_tested=signal_result.tested_companies,
            signals=len(signal_result.signals),
            is_current=True,
        )
        _store_tables(run, published)
        CompanySignal.objects.bulk_create(
            [
                CompanySignal(
                    run=run,
                    company_id=s.company_id,
                    measure=s.measure,
                    n_reference=s.published[0][0],
                    yes_reference=s.published[0][1],
                    n_comparison=s.published[1][0],
                    yes_comparison=s.published[1][1],
                    p_value=s.p_value,
                    q_value=s.q_value,
                    exact_test=s.exact,
                    comparison_lower=s.comparison_lower,
                    signalled=True,
                )
                for s in signal_result.signals
            ],
            batch_size=2000,
        )
        run.finished_at = timezone.now()
        run.seconds = time.perf_counter() - clock
        run.save(update_fields=["finished_at", "seconds"])
        record(
            actor=acting_user,
            event=AuditEvent.INSIGHT_RECOMPUTED,
            obj=run,
            details={"tables": len(published), "signals": run.signals, "seconds": run.seconds},
        )
    return run


def _store_tables(run: RecomputeRun, published: list[outcomes.Published]) -> None:
    """The published tables of `run`: COPY in PostgreSQL (binding ~1,400 JSON payloads as query
    parameters cost about a second), bulk_create elsewhere."""
    if connection.vendor == "postgresql":
        columns = "run_id, measure, attribute, school_year, sector, region, breakdown, payload"
        sql = f"COPY insight_outcometable ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for p in published:
                copy.write_row(
                    (
                        run.pk,
                        p.measure,
                        p.attribute,
                        p.school_year,
                        p.sector,
                        p.region,
                        p.breakdown,
                        json.dumps(p.payload),
                    )
                )
        return
    OutcomeTable.objects.bulk_create(
        [
            OutcomeTable(
                run=run,
                measure=p.measure,
                attribute=p.attribute,
                school_year=p.school_year,
                sector=p.sector,
                region=p.region,
                breakdown=p.breakdown,
                payload=p.payload,
            )
            for p in published
        ],
        batch_size=2000,
    )
