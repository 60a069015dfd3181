"""Bulk inserts for national jobs: plain value tuples in, new primary keys out.

`bulk_create` builds a model instance per row and prepares every value through its field; at
national volume (a 250k-row register import writes about two million rows) that Python work,
not the database, is most of the time. `insert_rows` takes the values as they go into the
columns (ints, strings, dates, datetimes, booleans, None; dicts for JSON fields) and:

* on PostgreSQL takes the new primary keys from the table's sequence in one query and sends the
  rows with `COPY … FROM STDIN` (psycopg formats them in C);
* elsewhere (SQLite in development and tests) builds the instances and calls `bulk_create`, so
  the rows are the same as the ORM writes.

Columns not given get their field default ("" for a string field without one);
`auto_now`/`auto_now_add` columns the current time (one moment for the whole call). Run it
inside the caller's transaction, like `bulk_create`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = True,
) -> list[int]:
    """Insert `rows` (values for the columns named by `fields`, attnames such as
    "company_id") and return their new primary keys, in the order of `rows`.

    With `returning=False` (rows nobody refers to, such as audit rows) the database numbers
    the rows itself and the result is empty: one round trip less and no keys to transfer."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs)
        return [obj.pk for obj in objs] if returning else []

    meta = model._meta
    pk = meta.pk
    assert pk is not None
    by_name = {f.attname: f for f in meta.concrete_fields}
    given = [by_name[name] for name in fields]
    now = timezone.now()
    fixed: list[tuple[models.Field[Any, Any], Any]] = []
    for field in meta.concrete_fields:
        if field is pk or field.attname in fields:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        else:  # the default, or "" for a string field without one, as the ORM does
            value = field.get_default()
        fixed.append((field, _json(field, value) if isinstance(field, models.JSONField) else value))
    json_positions = [i for i, f in enumerate(given) if isinstance(f, models.JSONField)]
    constants = tuple(value for _field, value in fixed)
    table = connection.ops.quote_name(meta.db_table)
    if json_positions:
        prepared: Iterable[Sequence[Any]] = (_with_json(row, json_positions, given) for row in rows)
    else:
        prepared = rows
    if not returning:
        _copy(table, [*given, *(f for f, _v in fixed)], ((*row, *constants) for row in prepared))
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    _copy(
        table,
        [pk, *given, *(f for f, _v in fixed)],
        ((ident, *row, *constants) for ident, row in zip(ids, prepared, strict=True)),
    )
    return ids


def _copy(
    table: str, columns: Sequence[models.Field[Any, Any]], rows: Iterable[Sequence[Any]]
) -> None:
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _with_json(
    row: Sequence[Any], positions: list[int], given: list[models.Field[Any, Any]]
) -> list[Any]:
    values = list(row)
    for i in positions:
        values[i] = _json(given[i], values[i])
    return values


def _json(field: models.Field[Any, Any], value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, cls=getattr(field, "encoder", None))
