"""The staging step of the register import: the file's valid rows in a temporary table, and the
checks and the difference with the register as set-based SQL (issue 18).

A national file has half a million rows; holding them, and every company and recognition they
meet, as Python objects cost most of a gigabyte and minutes. Instead the validated rows go into
a session-local temporary table (PostgreSQL: one `COPY`, no WAL; SQLite: batched inserts), and
three queries do what dictionaries of the whole file and register did:

* `file_conflicts`: a KvK number with different company details, or a recognition with a
  different status or date, elsewhere in the file (the first valid row wins, as before);
* `register_conflicts`: rows that would overturn a decision already in the register;
* `changed_companies`: the companies with anything to write (new or changed company, a location
  or recognition that is missing, a recognition to re-request or grant).

The difference is conservative: it may name a company the writer then finds unchanged (a house
number that differs only in case is compared exactly here, case-insensitively there), never the
other way round, so the writer (`import_writer.write_chunk`) keeps the final say and the result is
the same as comparing every row. An unchanged register thus costs a constant number of queries
and no row locks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

TABLE = "register_import_staging"
# (name, SQL type) in the order of the row tuples the importer stages.
STAGED_COLUMNS = (
    ("line", "integer NOT NULL PRIMARY KEY"),
    ("kvk", "text NOT NULL"),
    ("company_name", "text NOT NULL"),
    ("sector", "text NOT NULL"),
    ("size_class", "text NOT NULL"),
    ("street", "text NOT NULL"),
    ("house_number", "text NOT NULL"),
    ("postcode", "text NOT NULL"),
    ("place", "text NOT NULL"),
    ("crebo", "text NOT NULL"),
    ("status", "text NOT NULL"),
    ("valid_from", "date"),
)
NAMES = ", ".join(name for name, _type in STAGED_COLUMNS)
SQLITE_BATCH = 10_000  # rows per executemany (PostgreSQL streams them in one COPY)

StagedRow = tuple[int, str, str, str, str, str, str, str, str, str, str, dt.date | None]


@contextmanager
def staging_table() -> Iterator[str]:
    """Create the (empty) temporary staging table for this connection; drop it afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGED_COLUMNS)
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} ({columns})")
    try:
        yield TABLE
    finally:
        # A broken connection took the table with it; a transaction that must roll back takes
        # it along when it does (it was created inside it) and refuses any statement till then.
        if connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def load(*, rows: Iterable[StagedRow]) -> None:
    """Stage `rows` (consumed as they come: the caller's validation runs as a generator), then
    index and analyse the table for the queries below.

    In one savepoint, so a file that turns out unreadable half-way leaves no failed COPY behind
    in the caller's transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {TABLE} ({NAMES}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join("%s" for _column in STAGED_COLUMNS)
            insert = f"INSERT INTO {TABLE} VALUES ({placeholders})"  # noqa: S608 - constants
            batch: list[StagedRow] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= SQLITE_BATCH:
                    cursor.executemany(insert, batch)
                    batch = []
            if batch:
                cursor.executemany(insert, batch)
        cursor.execute(f"CREATE INDEX {TABLE}_kvk ON {TABLE} (kvk, crebo)")
        cursor.execute(f"ANALYZE {TABLE}")  # autovacuum never analyses a temporary table


# The first row (lowest line) of each KvK number, and the rows that agree with it.
_CONSISTENT = f"""
    firsts AS (SELECT kvk, MIN(line) AS line FROM {TABLE} GROUP BY kvk),
    consistent AS (
        SELECT s.line, s.kvk, s.crebo, s.status, s.valid_from
        FROM {TABLE} s
        JOIN firsts m ON m.kvk = s.kvk
        JOIN {TABLE} f ON f.line = m.line
        WHERE s.company_name = f.company_name AND s.sector = f.sector
          AND s.size_class = f.size_class
    )"""  # noqa: S608 - as above


def file_conflicts() -> list[tuple[int, str, int]]:
    """(line, "company" or "recognition", first line) of every staged row that contradicts an
    earlier one about its company or its recognition, in line order.

    A row contradicting its company's first row is not compared again for its recognition;
    recognitions are compared with the first row of that KvK number and crebo among the rows
    that agree about the company, as the row-by-row check did."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH {_CONSISTENT},
            recognition_firsts AS (
                SELECT kvk, crebo, MIN(line) AS line FROM consistent GROUP BY kvk, crebo
            )
            SELECT s.line, 'company', f.line
            FROM {TABLE} s
            JOIN firsts m ON m.kvk = s.kvk
            JOIN {TABLE} f ON f.line = m.line
            WHERE s.company_name <> f.company_name OR s.sector <> f.sector
               OR s.size_class <> f.size_class
            UNION ALL
            SELECT o.line, 'recognition', f.line
            FROM consistent o
            JOIN recognition_firsts m ON m.kvk = o.kvk AND m.crebo = o.crebo
            JOIN {TABLE} f ON f.line = m.line
            WHERE o.status <> f.status OR o.valid_from <> f.valid_from
               OR (o.valid_from IS NULL) <> (f.valid_from IS NULL)
            ORDER BY 1
            """  # noqa: S608 - table names are ours, values are parameters
        )
        return [(int(line), str(kind), int(first)) for line, kind, first in cursor.fetchall()]


def register_conflicts() -> list[tuple[int, str, dt.date | None]]:
    """(line, current status, current start date) of every staged row that would overturn a
    decision in the register: a recognised recognition with another status or start date, or
    'recognised' for one that expired or was revoked. In line order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT s.line, r.status, r.valid_from
            FROM {TABLE} s
            JOIN companies_company c ON c.kvk_number = s.kvk
            JOIN education_qualification q ON q.crebo = s.crebo
            JOIN register_recognition r ON r.company_id = c.id AND r.qualification_id = q.id
            WHERE r.status <> 'requested'
              AND (r.status = 'recognised' OR s.status = 'recognised')
              AND NOT (r.status = 'recognised' AND s.status = 'recognised'
                       AND r.valid_from IS NOT NULL AND s.valid_from = r.valid_from)
            ORDER BY s.line
            """  # noqa: S608 - as above
        )
        return [
            (int(line), str(status), _date(valid_from))
            for line, status, valid_from in cursor.fetchall()
        ]


def changed_companies() -> list[tuple[str, int]]:
    """(KvK number, staged rows) of every company with something to write, in the order of
    their first row in the file. Each branch is an anti-join the planner can hash."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH changed AS (
                SELECT s.kvk
                FROM {TABLE} s
                LEFT JOIN companies_company c ON c.kvk_number = s.kvk
                WHERE c.id IS NULL OR c.name <> s.company_name OR c.sector <> s.sector
                   OR c.size_class <> s.size_class
                UNION
                SELECT s.kvk
                FROM {TABLE} s
                JOIN companies_company c ON c.kvk_number = s.kvk
                WHERE NOT EXISTS (
                    SELECT 1 FROM companies_location l
                    WHERE l.company_id = c.id AND l.postcode = s.postcode
                      AND l.house_number = s.house_number
                )
                UNION
                SELECT s.kvk
                FROM {TABLE} s
                JOIN companies_company c ON c.kvk_number = s.kvk
                JOIN education_qualification q ON q.crebo = s.crebo
                WHERE NOT EXISTS (
                    SELECT 1 FROM register_recognition r
                    WHERE r.company_id = c.id AND r.qualification_id = q.id
                      AND r.status NOT IN ('expired', 'revoked')
                      AND NOT (r.status = 'requested' AND s.status = 'recognised')
                )
            )
            SELECT s.kvk, MIN(s.line), COUNT(*)
            FROM {TABLE} s
            WHERE s.kvk IN (SELECT kvk FROM changed)
            GROUP BY s.kvk
            ORDER BY 2
            """  # noqa: S608 - as above
        )
        return [(str(kvk), int(rows)) for kvk, _first, rows in cursor.fetchall()]


def rows_of(*, kvks: Sequence[str]) -> list[StagedRow]:
    """The staged rows of these companies: company by company in the order given, each in line
    order (how `importer._chunks` orders a chunk)."""
    if not kvks:
        return []
    with connection.cursor() as cursor:
        select = f"SELECT {NAMES} FROM {TABLE} WHERE"  # noqa: S608 - constants
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} kvk = ANY(%s)", [list(kvks)])
        else:
            placeholders = ", ".join("%s" for _kvk in kvks)
            cursor.execute(f"{select} kvk IN ({placeholders})", kvks)
        fetched: list[Any] = cursor.fetchall()
    position = {kvk: index for index, kvk in enumerate(kvks)}
    fetched.sort(key=lambda row: (position[row[1]], row[0]))
    return [(*row[:-1], _date(row[-1])) for row in fetched]


def all_rows() -> list[StagedRow]:
    """Every staged row in line order (for tests and small files)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {NAMES} FROM {TABLE} ORDER BY line")  # noqa: S608
        return [(*row[:-1], _date(row[-1])) for row in cursor.fetchall()]


def distinct_crebos() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT crebo FROM {TABLE}")  # noqa: S608
        return [str(crebo) for (crebo,) in cursor.fetchall()]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
