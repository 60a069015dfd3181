"""Append-only tables, enforced by the database itself and by the ORM.

The audit log and every status history (and the other history rows built on
`core.models.AppendOnlyModel`) are written once and never changed or deleted:

* **PostgreSQL**: a row trigger (django-pgtrigger, declared in each model's `Meta.triggers` as
  `AppendOnlyTrigger`, installed by the migrations) refuses every UPDATE and DELETE, whether it
  comes from `save()`, `QuerySet.update()`, `.delete()`, a cascade, the admin or raw SQL.
* **SQLite** (the embedded default): the same triggers in SQLite's dialect, (re)installed after
  every `migrate` from the same `Meta.triggers` (SQLite drops a table's triggers when Django
  rebuilds the table, so they are not frozen in migrations).
* **ORM**: `save()` of an existing row, `delete()`, `QuerySet.update()`, `.delete()` and
  `.bulk_update()` raise `AppendOnlyError` before any SQL is sent; cascades are refused by a
  `pre_delete` receiver.

The one sanctioned exception is retention (AVG: personal data is not kept longer than needed).
`audit.erasure.erase_free_text()` (through `blank_erasable_fields()` here) blanks the free-text
fields a model lists as erasable (e.g. the note of a report's status change, which staff may
have written the reporter's name into) — to '' or
NULL, never to other content — and writes an audit row in the same transaction. It switches on
a transaction-local setting (`stagekans.append_only_erasure`) that the triggers recognise; even
then the trigger checks that every other column is unchanged and the erasable ones are blank, so
the history of *what* happened and *who* did it cannot be rewritten. DELETE is never allowed.

Whole-database resets (PostgreSQL TRUNCATE, Django's `flush` on SQLite as used by the test
runner) are administrative and not row changes; they are not blocked. See docs/security.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import pgtrigger
from django.db import connection as default_connection
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

ERASURE_SETTING = "stagekans.append_only_erasure"
SQLITE_MODE_FUNCTION = "stagekans_append_only_mode"
_MODE_ATTR = "stagekans_append_only_mode"
MODE_STRICT, MODE_ERASURE, MODE_FLUSH = 0, 1, 2


class AppendOnlyError(ValueError):
    """Raised by the ORM guard: the row belongs to an append-only table."""


def _refuse(model: type[models.Model], what: str) -> AppendOnlyError:
    return AppendOnlyError(f"{model.__name__} rows are append-only ({what} refused)")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise _refuse(self.model, "update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _refuse(self.model, "delete")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise _refuse(self.model, "bulk_update")

    def _erase(self, values: dict[str, Any]) -> int:
        """Only for erase_free_text(): the triggers check what may change."""
        return models.QuerySet.update(self, **values)


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnlyTrigger(pgtrigger.Trigger):
    """Refuse UPDATE and DELETE; allow only blanking `erasable` columns during erasure."""

    when = pgtrigger.Before
    operation = pgtrigger.Update | pgtrigger.Delete
    level = pgtrigger.Row

    def __init__(self, *, erasable: Sequence[str] = (), name: str = "append_only") -> None:
        self.erasable = tuple(erasable)
        super().__init__(name=name)

    def erasable_columns(self, model: type[models.Model]) -> list[str]:
        return [str(model._meta.get_field(name).column) for name in self.erasable]  # type: ignore[union-attr]

    def get_func(self, model: Any) -> str:
        columns = self.erasable_columns(model)
        erasure_clause = "FALSE"
        if columns:
            names = ", ".join(f"'{c}'" for c in columns)
            blanks = " AND ".join(
                f"(NEW.{c} IS NULL OR NEW.{c}::text IN ('', '{{}}', '[]'))" for c in columns
            )
            erasure_clause = (
                f"current_setting('{ERASURE_SETTING}', true) = 'on'"
                f" AND (to_jsonb(NEW) - ARRAY[{names}]::text[])"
                f" = (to_jsonb(OLD) - ARRAY[{names}]::text[])"
                f" AND {blanks}"
            )
        return self.format_sql(
            f"""
            IF TG_OP = 'UPDATE' AND ({erasure_clause}) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'stagekans: % rows are append-only (% refused)', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
            """
        )


def append_only_trigger(model: type[models.Model]) -> AppendOnlyTrigger | None:
    for trigger in getattr(model._meta, "triggers", []):
        if isinstance(trigger, AppendOnlyTrigger):
            return trigger
    return None


def append_only_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if append_only_trigger(m) is not None]


# --- the one sanctioned change: retention ---------------------------------------------------


@contextlib.contextmanager
def _mode(connection: BaseDatabaseWrapper, mode: int) -> Iterator[None]:
    previous = getattr(connection, _MODE_ATTR, MODE_STRICT)
    setattr(connection, _MODE_ATTR, mode)
    try:
        yield
    finally:
        setattr(connection, _MODE_ATTR, previous)


def blank_erasable_fields(*, queryset: models.QuerySet[Any], fields: Sequence[str]) -> int:
    """Blank the erasable free-text `fields` of the rows in `queryset`; returns the row count.

    The mechanics only: `audit.erasure.erase_free_text()` is the audited function that
    retention calls. Only fields the model's `AppendOnlyTrigger` lists as erasable can be
    blanked, and only inside a transaction.
    """
    model = queryset.model
    trigger = append_only_trigger(model)
    if trigger is None or not set(fields) <= set(trigger.erasable) or not fields:
        raise AppendOnlyError(f"{model.__name__}: {list(fields)} are not erasable")
    connection = transaction.get_connection(queryset.db)
    if not connection.in_atomic_block:
        raise RuntimeError("erase_free_text() must be called inside transaction.atomic()")
    blanks: dict[str, Any] = {}
    for name in fields:
        field = model._meta.get_field(name)
        blanks[name] = None if field.null else ({} if isinstance(field, models.JSONField) else "")
    qs = queryset if isinstance(queryset, AppendOnlyQuerySet) else queryset.all()
    with connection.cursor() as cursor, _mode(connection, MODE_ERASURE):
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
        try:
            changed: int = AppendOnlyQuerySet._erase(qs, blanks)  # type: ignore[arg-type]
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'off', true)", [ERASURE_SETTING])
    return changed


# --- ORM guard for cascades, SQLite triggers ------------------------------------------------


def refuse_cascade_delete(sender: type[models.Model], **kwargs: Any) -> None:
    """pre_delete receiver: a cascade from a parent would otherwise skip QuerySet.delete()."""
    raise _refuse(sender, "delete")


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """SQLite: the triggers ask this connection's mode through a SQL function; `flush` (the
    SQLite equivalent of TRUNCATE, used between transactional tests) runs in flush mode."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_MODE_FUNCTION, 0, lambda: getattr(connection, _MODE_ATTR, MODE_STRICT)
    )
    ops: Any = connection.ops
    if not getattr(ops, "_stagekans_flush_wrapped", False):
        original = ops.execute_sql_flush

        def execute_sql_flush(sql_list: Any) -> None:
            with _mode(connection, MODE_FLUSH):
                original(sql_list)

        ops.execute_sql_flush = execute_sql_flush
        ops._stagekans_flush_wrapped = True


def sqlite_trigger_sql(model: type[models.Model], trigger: AppendOnlyTrigger) -> list[str]:
    table = model._meta.db_table
    erasable = set(trigger.erasable_columns(model))
    kept = [f.column for f in model._meta.concrete_fields if f.column not in erasable]
    unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in kept)
    blanks = " AND ".join(
        f'(NEW."{c}" IS OLD."{c}" OR NEW."{c}" IS NULL OR NEW."{c}" IN (\'\', \'{{}}\', \'[]\'))'
        for c in sorted(erasable)
    )
    allowed = (
        f"{SQLITE_MODE_FUNCTION}() = {MODE_ERASURE} AND {unchanged}"
        + (f" AND {blanks}" if blanks else "")
        if erasable
        else "0"
    )
    message = f"stagekans: {table} rows are append-only"
    return [
        f'DROP TRIGGER IF EXISTS "{table}_append_only_update"',
        f'DROP TRIGGER IF EXISTS "{table}_append_only_delete"',
        f'CREATE TRIGGER "{table}_append_only_update" BEFORE UPDATE ON "{table}" '
        f"WHEN NOT ({allowed}) BEGIN SELECT RAISE(ABORT, '{message} (UPDATE refused)'); END",
        f'CREATE TRIGGER "{table}_append_only_delete" BEFORE DELETE ON "{table}" '
        f"WHEN {SQLITE_MODE_FUNCTION}() != {MODE_FLUSH} "
        f"BEGIN SELECT RAISE(ABORT, '{message} (DELETE refused)'); END",
    ]


def install_sqlite_triggers(using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: (re)install the SQLite triggers for every append-only model."""
    from django.db import connections

    connection = connections[using] if using else default_connection
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in append_only_models():
            trigger = append_only_trigger(model)
            if trigger is None or model._meta.db_table not in tables:
                continue
            for statement in sqlite_trigger_sql(model, trigger):
                cursor.execute(statement)
