"""The one way to write an audit row. Call it inside the service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.core.bulk import insert_rows


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
    _check(event)
    by_type: dict[type[models.Model], list[tuple[Any, dict[str, Any]]]] = {}
    for obj, details in items:
        by_type.setdefault(type(obj), []).append((obj.pk, details))
    written = 0
    for model, rows in by_type.items():
        written += record_many_by_pk(actor=actor, event=event, model=model, items=rows)
    return written


def record_many_by_pk(
    *,
    actor: Any,
    event: AuditEvent,
    model: type[models.Model],
    items: Iterable[tuple[Any, dict[str, Any]]],
) -> int:
    """`record_many` for objects known by primary key only (rows a national job wrote without
    building model instances): one audit row per (pk, details) of `model`."""
    _check(event)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    object_type = model._meta.label_lower
    rows = [(actor_id, event.value, object_type, str(pk), details or {}) for pk, details in items]
    insert_rows(
        AuditLog,
        ("actor_id", "event_type", "object_type", "object_id", "details"),
        rows,
        returning=False,
    )
    return len(rows)


def _check(event: AuditEvent) -> None:
    if not isinstance(event, AuditEvent):
        raise TypeError("event must be an AuditEvent member")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many() must be called inside transaction.atomic()")
