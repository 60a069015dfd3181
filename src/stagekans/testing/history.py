"""Tests only: move an append-only row back in time (a deadline that has passed).

The application never changes these rows (ADR 0007); a test that needs "seven weeks later"
rewrites the dates directly, as the table owner can: the triggers of that one table are switched
off inside the test's transaction and switched on again before it returns.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection, models, transaction

from stagekans.core import append_only


@contextlib.contextmanager
def _triggers_off(model: type[models.Model]) -> Iterator[None]:
    table = connection.ops.quote_name(model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks of this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            trigger = append_only.append_only_trigger(model)
            assert trigger is not None
            for name in ("update", "delete"):
                cursor.execute(
                    f'DROP TRIGGER IF EXISTS "{model._meta.db_table}_append_only_{name}"'
                )
            yield
            for statement in append_only.sqlite_trigger_sql(model, trigger):
                cursor.execute(statement)


def backdate(queryset: models.QuerySet[Any], **values: Any) -> int:
    """UPDATE append-only rows for a test scenario; nothing in the application calls this."""
    with _triggers_off(queryset.model):
        return models.QuerySet.update(queryset, **values)
