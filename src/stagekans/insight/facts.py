"""Student-year facts: one row per student and school year with what the outcome cube sums
(strategy of the first attempt, placed at the first attempt, applications, placed, first attempt,
placement, period start, refused applications per reason) and what it is broken down by (the
student's sector, region and level).

The recompute aggregates these (~1M rows at national scale) instead of turning every
application and placement into attempts again. They are kept in step by `refresh`: the
application, placement and vacancy services run their hooks inside the transaction of the change
(insight/apps.py registers `refresh` there), and `refresh` recomputes the facts of those students
from their own rows with the same SQL as the full rebuild, so a fact is never patched by hand and
cannot drift from the rows it comes from. `rebuild` does the same for a range of student ids
(the back-fill: migration 0004 and the resumable command `rebuild_insight_facts`). With them it
keeps the number of applications per company (CompanyVolume), so the company signals read only
the applications of companies that can be tested at all.

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

from django.db import connection, transaction

from stagekans.applications.models import Application
from stagekans.applications.workflow import RejectionReason
from stagekans.companies.models import Company
from stagekans.education.models import Student

FACTS_TABLE = "insight_studentyear"
VOLUME_TABLE = "insight_companyvolume"
# One column per refusal reason: refused applications of the student in the school year.
REFUSAL_COLUMNS: dict[str, str] = {str(r): f"refused_{r}" for r in RejectionReason.values}
FACT_COLUMNS = ", ".join(
    [
        "student_id",
        "school_year",
        "strategy",
        "placed_first",
        "applications",
        "placed",
        "first_at",
        "placed_at",
        "period_start",
        *REFUSAL_COLUMNS.values(),
        "days",
        "days_sq",
        "unplaced_start",
        "sector",
        "region",
        "level",
    ]
)
CHUNK = 1000  # student ids per refresh statement


def school_year(column: str) -> str:
    """SQL for the school year (starting 1 August) of a timestamp column."""
    if connection.vendor == "postgresql":
        return (
            f"CAST(EXTRACT(YEAR FROM ({column} AT TIME ZONE 'Europe/Amsterdam') "
            "- INTERVAL '7 months') AS integer)"
        )
    # The year of datetime(…) without a '%' in the SQL: this text runs with and without query
    # parameters (and through Django's debug formatting), where a literal '%' means different
    # things.
    return f"CAST(substr(datetime({column}, '-7 months'), 1, 4) AS integer)"


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
               a.decided_at AS success_at, 1 AS is_application, v.start_date AS period_start,
               CASE WHEN a.status = 'rejected' THEN a.rejection_reason END AS reason
          FROM applications_application a
          JOIN stagemarkt_vacancy v ON v.id = a.vacancy_id
         WHERE {application_where}
        UNION ALL
        SELECT p.student_id, p.created_at, p.source, 1, p.created_at, 0, p.start_date, NULL
          FROM placements_placement p
         WHERE p.source <> 'application' AND p.status <> 'cancelled' AND {placement_where}
    """  # noqa: S608 - only module constants are interpolated


def facts_sql(where: str = "1 = 1") -> str:
    """SELECT of the facts (FACT_COLUMNS) of the students matching `where`, from their rows: the
    outcome of each school year, the refusals per reason, and the student's sector, region
    (province of the school) and level, which the cube is broken down by. Days to placement and
    their square are the exact values (numeric in PostgreSQL) the cube sums."""
    sy = school_year("t.at")
    days = days_between("f.placed_at", "f.first_at")
    placed_date = date_of("f.placed_at")
    refused = "".join(
        f",\n SUM(CASE WHEN reason = '{reason}' THEN 1 ELSE 0 END) AS {column}"
        for reason, column in REFUSAL_COLUMNS.items()
    )
    return f"""
        SELECT f.student_id, f.school_year, f.strategy, f.placed_first, f.applications, f.placed,
               f.first_at, f.placed_at, f.period_start,
               {", ".join(f"f.{c}" for c in REFUSAL_COLUMNS.values())},
               CASE WHEN f.placed = 1 THEN {days} END,
               CASE WHEN f.placed = 1 THEN {days} * {days} END,
               CASE WHEN f.placed_at IS NULL OR {placed_date} > f.period_start THEN 1 ELSE 0 END,
               q.sector, sc.province, q.niveau
          FROM (SELECT student_id, sy AS school_year,
                       MAX(CASE WHEN rn = 1 THEN strategy END) AS strategy,
                       MAX(CASE WHEN rn = 1 THEN success ELSE 0 END) AS placed_first,
                       SUM(is_application) AS applications,
                       MAX(success) AS placed,
                       MIN(at) AS first_at,
                       MIN(CASE WHEN success = 1 THEN success_at END) AS placed_at,
                       MIN(period_start) AS period_start{refused}
                  FROM (SELECT t.*, {sy} AS sy,
                               ROW_NUMBER() OVER (PARTITION BY t.student_id, {sy}
                                                  ORDER BY t.at, t.strategy) AS rn
                          FROM ({attempts_sql(where)}) t) ranked
                 GROUP BY student_id, sy) f
          JOIN education_student s ON s.id = f.student_id
          JOIN education_school sc ON sc.id = s.school_id
          JOIN education_programme pr ON pr.id = s.programme_id
          JOIN education_qualification q ON q.id = pr.qualification_id
    """  # noqa: S608 - only module constants are interpolated


def _replace(cursor: object, where: str, params: list[int]) -> None:
    execute = cursor.execute  # type: ignore[attr-defined]
    execute(f"DELETE FROM {FACTS_TABLE} WHERE {where}", params)  # noqa: S608
    execute(f"INSERT INTO {FACTS_TABLE} ({FACT_COLUMNS}) {facts_sql(where)}", params * 2)


def _count_companies(company_ids: list[int]) -> None:
    """Recount the applications of these companies (locked first: a second transaction adding an
    application to one of them counts after this one commits, so no count is lost)."""
    for start in range(0, len(company_ids), CHUNK):
        chunk = company_ids[start : start + CHUNK]
        list(
            Company.objects.select_for_update(no_key=True)
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {VOLUME_TABLE} (company_id, applications) "  # noqa: S608
                "SELECT a.company_id, COUNT(*) FROM applications_application a "
                f"WHERE a.company_id IN ({marks}) GROUP BY a.company_id "
                "ON CONFLICT (company_id) DO UPDATE SET applications = EXCLUDED.applications",
                chunk,
            )


def refresh(student_ids: Iterable[int]) -> None:
    """Recompute the facts of these students from their applications and placements.

    Call inside the transaction that changed their rows (the services' hooks do). The students
    are locked (FOR NO KEY UPDATE: inserting an application for them elsewhere is not blocked,
    a second refresh of the same student waits), so a concurrent refresh or rebuild of the same
    student runs after this transaction and reads its rows. Outside a transaction (a script
    writing rows directly) it makes one of its own."""
    with transaction.atomic():
        _refresh(sorted({int(i) for i in student_ids}))


def _refresh(ids: list[int]) -> None:
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
    companies = (
        Application.objects.filter(student_id__in=ids)
        .order_by()
        .values_list("company_id", flat=True)
        .distinct()
    )
    _count_companies(sorted(companies))


def rebuild(after: int, up_to: int) -> None:
    """Recompute the facts of every student with after < id <= up_to (set-based, one range).
    The range's students are locked as in `refresh` (in the caller's transaction, or one of its
    own)."""
    with transaction.atomic():
        _rebuild(after, up_to)


def _rebuild(after: int, up_to: int) -> None:
    list(
        Student.objects.select_for_update(no_key=True)
        .filter(pk__gt=after, pk__lte=up_to)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        _replace(cursor, "student_id > %s AND student_id <= %s", [after, up_to])


def rebuild_volumes() -> None:
    """Recount the applications of every company (set-based; after a back-fill)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {VOLUME_TABLE}")  # noqa: S608
        # Upsert: a service may count a company in the meantime (the WHERE lets SQLite parse it).
        cursor.execute(
            f"INSERT INTO {VOLUME_TABLE} (company_id, applications) "  # noqa: S608
            "SELECT company_id, COUNT(*) FROM applications_application WHERE 1 = 1 "
            "GROUP BY company_id "
            "ON CONFLICT (company_id) DO UPDATE SET applications = EXCLUDED.applications"
        )


def analyze() -> None:
    """Fresh planner statistics after a rebuild (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FACTS_TABLE}")
            cursor.execute(f"ANALYZE {VOLUME_TABLE}")


_volumes = "SELECT company_id, COUNT(*) FROM applications_application GROUP BY company_id"


def mismatches() -> int:
    """How many fact rows differ from a computation from the applications and placements (both
    directions; 0 = the facts are right). For checks after a back-fill and in tests."""
    queries = [
        f"SELECT {FACT_COLUMNS} FROM {FACTS_TABLE} EXCEPT {facts_sql()}",  # noqa: S608
        f"{facts_sql()} EXCEPT SELECT {FACT_COLUMNS} FROM {FACTS_TABLE}",  # noqa: S608
    ]
    queries += [
        f"SELECT company_id, applications FROM {VOLUME_TABLE} EXCEPT {_volumes}",  # noqa: S608
        f"{_volumes} EXCEPT SELECT company_id, applications FROM {VOLUME_TABLE}",  # noqa: S608
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
