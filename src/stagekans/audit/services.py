"""The one way to write an audit row. Call it inside the service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from stagekans.audit.models import AuditEvent, AuditLog


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
    if not isinstance(event, AuditEvent):
        raise TypeError("event must be an AuditEvent member")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
    actor = actor if getattr(actor, "pk", None) else None
    rows = [
        AuditLog(
            actor=actor,
            event_type=event.value,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            details=details or {},
        )
        for obj, details in items
    ]
    AuditLog.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
