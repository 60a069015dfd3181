"""Student-year facts: one row per student and school year with what the outcome cube sums
(strategy of the first attempt, placed at the first attempt, applications, placed, first attempt,
placement, period start), and one row per student, school year and refusal reason.

The recompute aggregates these (~1M rows at national scale) instead of turning every
application and placement into attempts again. They are kept in step by `refresh`: the
application, placement and vacancy services run their hooks inside the transaction of the change
(insight/apps.py registers `refresh` there), and `refresh` recomputes the facts of those students
from their own rows with the same SQL as the full rebuild, so a fact is never patched by hand and
cannot drift from the rows it comes from. `rebuild` does the same for a range of student ids
(the back-fill: migration 0003 and the resumable command `rebuild_insight_facts`).

No background here: a fact holds the student id and outcome facts only. Who stated which
herkomst stays in background.BackgroundStatement, linked by the keyed pseudonym that is computed
at each recompute inside the recompute transaction (background.selectors.group_codes_table) and
never stored next to the student id (ADR 1300).

Strategy: the strategy of a student's first attempt in a school year. An attempt is an
application (open application), or a placement the school or a matching round made. When
matching rounds exist, their participations are one more branch of `attempts_sql` (a round the
student was not placed in is a failed attempt with the round's strategy); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from stagekans.applications.models import Application
from stagekans.education.models import Student

FACTS_TABLE = "insight_studentyear"
REFUSALS_TABLE = "insight_studentyearrefusal"
FACT_COLUMNS = (
    "student_id, school_year, strategy, placed_first, applications, placed, first_at, "
    "placed_at, period_start"
)
CHUNK = 1000  # student ids per refresh statement


def school_year(column: str) -> str:
    """SQL for the school year (starting 1 August) of a timestamp column."""
    if connection.vendor == "postgresql":
        return (
            f"CAST(EXTRACT(YEAR FROM ({column} AT TIME ZONE 'Europe/Amsterdam') "
            "- INTERVAL '7 months') AS integer)"
        )
    return f"CAST(strftime('%Y', {column}, '-7 months') AS integer)"


def days_between(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def date_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'Europe/Amsterdam') AS date)"
    return f"date({column})"


def attempts_sql(where: str = "1 = 1") -> str:
    """Every attempt of a student to find an internship, one row each; `where` is a condition on
    `student_id` (constants and %s placeholders only), applied to both branches."""
    application_where = where.replace("student_id", "a.student_id")
    placement_where = where.replace("student_id", "p.student_id")
    return f"""
        SELECT a.student_id, a.sent_at AS at, 'application' AS strategy,
               CASE WHEN a.status = 'accepted' THEN 1 ELSE 0 END AS success,
               a.decided_at AS success_at, 1 AS is_application, v.start_date AS period_start
          FROM applications_application a
          JOIN stagemarkt_vacancy v ON v.id = a.vacancy_id
         WHERE {application_where}
        UNION ALL
        SELECT p.student_id, p.created_at, p.source, 1, p.created_at, 0, p.start_date
          FROM placements_placement p
         WHERE p.source <> 'application' AND p.status <> 'cancelled' AND {placement_where}
    """  # noqa: S608 - only module constants are interpolated


def facts_sql(where: str = "1 = 1") -> str:
    """SELECT of the facts (FACT_COLUMNS) of the students matching `where`, from their rows."""
    sy = school_year("t.at")
    return f"""
        SELECT student_id, sy AS school_year,
               MAX(CASE WHEN rn = 1 THEN strategy END) AS strategy,
               MAX(CASE WHEN rn = 1 THEN success ELSE 0 END) AS placed_first,
               SUM(is_application) AS applications,
               MAX(success) AS placed,
               MIN(at) AS first_at,
               MIN(CASE WHEN success = 1 THEN success_at END) AS placed_at,
               MIN(period_start) AS period_start
          FROM (SELECT t.*, {sy} AS sy,
                       ROW_NUMBER() OVER (PARTITION BY t.student_id, {sy}
                                          ORDER BY t.at, t.strategy) AS rn
                  FROM ({attempts_sql(where)}) t) ranked
         GROUP BY student_id, sy
    """  # noqa: S608 - only module constants are interpolated


def refusals_sql(where: str = "1 = 1") -> str:
    """SELECT of (student_id, school_year, reason, refusals) of the students matching `where`."""
    return f"""
        SELECT a.student_id, {school_year("a.sent_at")} AS school_year,
               a.rejection_reason AS reason, COUNT(*) AS refusals
          FROM applications_application a
         WHERE a.status = 'rejected' AND {where.replace("student_id", "a.student_id")}
         GROUP BY 1, 2, 3
    """  # noqa: S608 - only module constants are interpolated


def _replace(cursor: object, where: str, params: list[int]) -> None:
    execute = cursor.execute  # type: ignore[attr-defined]
    execute(f"DELETE FROM {FACTS_TABLE} WHERE {where}", params)  # noqa: S608
    execute(f"DELETE FROM {REFUSALS_TABLE} WHERE {where}", params)  # noqa: S608
    execute(f"INSERT INTO {FACTS_TABLE} ({FACT_COLUMNS}) {facts_sql(where)}", params * 2)
    execute(
        f"INSERT INTO {REFUSALS_TABLE} (student_id, school_year, reason, refusals) "
        f"{refusals_sql(where)}",
        params,
    )


def refresh(student_ids: Iterable[int]) -> None:
    """Recompute the facts of these students from their applications and placements.

    Call inside the transaction that changed their rows (the services' hooks do). The students
    are locked (FOR NO KEY UPDATE: inserting an application for them elsewhere is not blocked,
    a second refresh of the same student waits), so a concurrent refresh or rebuild of the same
    student runs after this transaction and reads its rows."""
    ids = sorted({int(i) for i in student_ids})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        list(
            Student.objects.select_for_update(no_key=True)
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        where = f"student_id IN ({', '.join(['%s'] * len(chunk))})"
        with connection.cursor() as cursor:
            _replace(cursor, where, chunk)


def rebuild(after: int, up_to: int) -> None:
    """Recompute the facts of every student with after < id <= up_to (set-based, one range).
    Call inside a transaction; the range's students are locked as in `refresh`."""
    list(
        Student.objects.select_for_update(no_key=True)
        .filter(pk__gt=after, pk__lte=up_to)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        _replace(cursor, "student_id > %s AND student_id <= %s", [after, up_to])


def analyze() -> None:
    """Fresh planner statistics after a rebuild (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FACTS_TABLE}")
            cursor.execute(f"ANALYZE {REFUSALS_TABLE}")


def mismatches() -> int:
    """How many fact rows differ from a computation from the applications and placements (both
    directions; 0 = the facts are right). For checks after a back-fill and in tests."""
    facts_columns = FACT_COLUMNS
    refusal_columns = "student_id, school_year, reason, refusals"
    queries = [
        f"SELECT {facts_columns} FROM {FACTS_TABLE} EXCEPT {facts_sql()}",  # noqa: S608
        f"{facts_sql()} EXCEPT SELECT {facts_columns} FROM {FACTS_TABLE}",  # noqa: S608
        f"SELECT {refusal_columns} FROM {REFUSALS_TABLE} EXCEPT {refusals_sql()}",  # noqa: S608
        f"{refusals_sql()} EXCEPT SELECT {refusal_columns} FROM {REFUSALS_TABLE}",  # noqa: S608
    ]
    found = 0
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(f"SELECT COUNT(*) FROM ({query}) d")  # noqa: S608 - constants only
            found += int(cursor.fetchone()[0])
    return found


def on_students_changed(*, student_ids: Iterable[int]) -> None:
    """Hook of applications and placements: their rows of these students changed."""
    refresh(student_ids)


def on_vacancy_changed(*, vacancy: Any, fields: list[str]) -> None:
    """Hook of stagemarkt: a vacancy's start date is the period start of its applicants."""
    if "start_date" not in fields:
        return
    refresh(
        Application.objects.filter(vacancy_id=vacancy.pk)
        .values_list("student_id", flat=True)
        .distinct()
    )
