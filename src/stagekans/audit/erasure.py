"""Retention's one way through the append-only guard: blank free text, audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.core.append_only import blank_erasable_fields


def erase_free_text(
    *,
    acting_user: Any,
    queryset: models.QuerySet[Any],
    fields: Sequence[str],
    obj: models.Model,
    reason: str,
) -> int:
    """Retention: blank the erasable free-text `fields` of the rows in `queryset`; audited.

    Must run inside the transaction of the retention step it belongs to. Only fields the model's
    `AppendOnlyTrigger` lists as erasable can be blanked; the audit row (`HISTORY_ERASED` on
    `obj`) records model, fields, number of rows and the reason, never the erased text.
    """
    changed = blank_erasable_fields(queryset=queryset, fields=fields)
    record(
        actor=acting_user,
        event=AuditEvent.HISTORY_ERASED,
        obj=obj,
        details={
            "model": queryset.model._meta.label_lower,
            "fields": list(fields),
            "rows": changed,
            "reason": reason,
        },
    )
    return changed
