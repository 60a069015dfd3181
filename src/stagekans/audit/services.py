"""The one way to write an audit row. Call it inside the service's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from stagekans.audit.models import AuditEvent, AuditLog

BATCH = 50_000


def record(
    *,
    actor: Any,
    event: AuditEvent,
    obj: models.Model | None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Write one audit row. Must run inside the transaction of the change it records.

    `obj` is None only for an event without an object of ours (a failed login for a username
    that does not exist)."""
    if not isinstance(event, AuditEvent):
        raise TypeError("event must be an AuditEvent member")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        event_type=event.value,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
    )


def record_many(
    *,
    actor: Any,
    event: AuditEvent,
    items: Iterable[tuple[models.Model, dict[str, Any]]],
) -> int:
    """Write one audit row per (object, details) in bulk, inside the change's transaction.

    The rows are the same as `record()` would write one by one; used by national jobs that
    change thousands of objects per chunk.
    """
    return _insert_many(
        actor=actor,
        event=event,
        rows=[(obj._meta.label_lower, str(obj.pk), details) for obj, details in items],
    )


def record_many_ids(
    *,
    actor: Any,
    event: AuditEvent,
    model: type[models.Model],
    items: Iterable[tuple[int | str, dict[str, Any]]],
) -> int:
    """As `record_many`, for objects known only by primary key (no model instance per row)."""
    object_type = model._meta.label_lower
    return _insert_many(
        actor=actor,
        event=event,
        rows=[(object_type, str(pk), details) for pk, details in items],
    )


def _insert_many(
    *, actor: Any, event: AuditEvent, rows: list[tuple[str, str, dict[str, Any] | None]]
) -> int:
    if not isinstance(event, AuditEvent):
        raise TypeError("event must be an AuditEvent member")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    actor = actor if getattr(actor, "pk", None) else None
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        AuditLog.objects.bulk_create(
            [
                AuditLog(
                    actor=actor,
                    event_type=event.value,
                    object_type=object_type,
                    object_id=object_id,
                    details=details or {},
                )
                for object_type, object_id, details in rows
            ],
            batch_size=5000,
        )
        return len(rows)
    # PostgreSQL: one INSERT … SELECT FROM jsonb_to_recordset per batch — the same rows as
    # bulk_create writes, without a model instance and a placeholder per value (the batch goes
    # over as one JSON document, encoded in C).
    table = AuditLog._meta.db_table
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            document = json.dumps(
                [{"t": t, "i": i, "d": d or {}} for t, i, d in rows[start : start + BATCH]]
            )
            cursor.execute(
                f"""
                INSERT INTO {table} (actor_id, event_type, object_type, object_id, at, details)
                SELECT %s, %s, r.t, r.i, %s, r.d
                FROM jsonb_to_recordset(%s::jsonb) AS r(t text, i text, d jsonb)
                """,  # noqa: S608 - the table name is ours, values are parameters
                [actor_id, event.value, now, document],
            )
    return len(rows)
