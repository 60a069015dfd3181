"""The outcome cube computed from every application and placement, as the recompute did before
the student-year facts (insight.facts) existed: kept verbatim as the reference that the
recompute from the facts must equal (test_facts.py). Not used by the application."""

# ruff: noqa: S608

from __future__ import annotations

import numpy as np
from django.db import connection

from stagekans.background.selectors import GROUP_CODES
from stagekans.insight.outcomes import (
    ATTRIBUTES,
    LEVELS,
    REASONS,
    REGIONS,
    SECTORS,
    STRATEGIES,
    SUMS,
    Cubes,
)


def _school_year(column: str) -> str:
    """SQL for the school year (starting 1 August) of a timestamp column."""
    if connection.vendor == "postgresql":
        return (
            f"CAST(EXTRACT(YEAR FROM ({column} AT TIME ZONE 'Europe/Amsterdam') "
            "- INTERVAL '7 months') AS integer)"
        )
    return f"CAST(strftime('%Y', {column}, '-7 months') AS integer)"


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def _date_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'Europe/Amsterdam') AS date)"
    return f"date({column})"


def attempts_sql() -> str:
    """Every attempt of a student to find an internship, one row each."""
    return """
        SELECT a.student_id, a.sent_at AS at, 'application' AS strategy,
               CASE WHEN a.status = 'accepted' THEN 1 ELSE 0 END AS success,
               a.decided_at AS success_at, 1 AS is_application, v.start_date AS period_start
          FROM applications_application a
          JOIN stagemarkt_vacancy v ON v.id = a.vacancy_id
        UNION ALL
        SELECT p.student_id, p.created_at, p.source, 1, p.created_at, 0, p.start_date
          FROM placements_placement p
         WHERE p.source <> 'application' AND p.status <> 'cancelled'
    """


def _facts_cte() -> str:
    """WITH … facts: one row per student and school year with her outcome facts."""
    sy = _school_year("t.at")
    return f"""
        WITH ranked AS (
            SELECT t.*, {sy} AS sy,
                   ROW_NUMBER() OVER (PARTITION BY t.student_id, {sy} ORDER BY t.at, t.strategy)
                       AS rn
              FROM ({attempts_sql()}) t
        ), facts AS (
            SELECT student_id, sy,
                   MAX(CASE WHEN rn = 1 THEN strategy END) AS strategy,
                   MAX(CASE WHEN rn = 1 THEN success ELSE 0 END) AS placed_first,
                   SUM(is_application) AS applications,
                   MAX(success) AS placed,
                   MIN(at) AS first_at,
                   MIN(CASE WHEN success = 1 THEN success_at END) AS placed_at,
                   MIN(period_start) AS period_start
              FROM ranked GROUP BY student_id, sy
        )
    """


_DIMENSION_JOINS = """
          JOIN education_student s ON s.id = f.student_id
          JOIN education_school sc ON sc.id = s.school_id
          JOIN education_programme pr ON pr.id = s.programme_id
          JOIN education_qualification q ON q.id = pr.qualification_id
"""


def student_years_sql(groups_table: str) -> str:
    days = _days("f.placed_at", "f.first_at")
    placed_date = _date_of("f.placed_at")
    return f"""{_facts_cte()}
        SELECT f.sy, f.strategy, q.sector, sc.province, q.niveau,
               COALESCE(g.herkomst, 0), COALESCE(g.disability, 0), COALESCE(g.gender, 0),
               COUNT(*), SUM(f.placed_first), SUM(f.applications), SUM(f.placed),
               SUM(CASE WHEN f.placed = 1 THEN {days} ELSE 0 END),
               SUM(CASE WHEN f.placed = 1 THEN {days} * {days} ELSE 0 END),
               SUM(CASE WHEN f.placed_at IS NULL OR {placed_date} > f.period_start
                        THEN 1 ELSE 0 END)
          FROM facts f {_DIMENSION_JOINS}
          LEFT JOIN {groups_table} g ON g.student_id = f.student_id
         GROUP BY f.sy, f.strategy, q.sector, sc.province, q.niveau,
                  COALESCE(g.herkomst, 0), COALESCE(g.disability, 0), COALESCE(g.gender, 0)
    """


def refusals_sql(groups_table: str) -> str:
    sy = _school_year("a.sent_at")
    return f"""
        SELECT {sy}, q.sector, sc.province, a.rejection_reason,
               COALESCE(g.herkomst, 0), COALESCE(g.disability, 0), COALESCE(g.gender, 0),
               COUNT(*)
          FROM applications_application a
          JOIN education_student s ON s.id = a.student_id
          JOIN education_school sc ON sc.id = s.school_id
          JOIN education_programme pr ON pr.id = s.programme_id
          JOIN education_qualification q ON q.id = pr.qualification_id
          LEFT JOIN {groups_table} g ON g.student_id = a.student_id
         WHERE a.status = 'rejected'
         GROUP BY 1, 2, 3, 4, 5, 6, 7
    """


def _index(options: list[tuple[str, str]]) -> dict[str, int]:
    return {key: i for i, (key, _label) in enumerate(options)}


def reference_cubes(groups_table: str) -> Cubes:
    with connection.cursor() as cursor:
        cursor.execute(student_years_sql(groups_table))
        outcome_rows = cursor.fetchall()
        cursor.execute(refusals_sql(groups_table))
        refusal_rows = cursor.fetchall()
    years = sorted({int(r[0]) for r in outcome_rows} | {int(r[0]) for r in refusal_rows})
    yi = {y: i for i, y in enumerate(years)}
    si, seci, ri, li = _index(STRATEGIES), _index(SECTORS), _index(REGIONS), _index(LEVELS)
    reason_i = _index(REASONS)
    hn, dn, gn = (len(GROUP_CODES[a]) for a in ATTRIBUTES)
    outcome = np.zeros(
        (
            len(years),
            len(STRATEGIES),
            len(SECTORS),
            len(REGIONS),
            len(LEVELS),
            hn,
            dn,
            gn,
            len(SUMS),
        )
    )
    for row in outcome_rows:
        strategy = si.get(row[1])
        sector, region, level = seci.get(row[2]), ri.get(row[3]), li.get(str(row[4]))
        if None in (strategy, sector, region, level):
            continue
        outcome[yi[int(row[0])], strategy, sector, region, level, row[5], row[6], row[7]] = [
            float(v or 0) for v in row[8:15]
        ]
    refusals = np.zeros(
        (len(years), len(SECTORS), len(REGIONS), len(REASONS), hn, dn, gn), dtype=np.int64
    )
    for row in refusal_rows:
        sector, region, reason = seci.get(row[1]), ri.get(row[2]), reason_i.get(row[3])
        if None in (sector, region, reason):
            continue
        refusals[yi[int(row[0])], sector, region, reason, row[4], row[5], row[6]] += int(row[7])
    return Cubes(years, outcome, refusals, int(outcome[..., 0].sum()))
