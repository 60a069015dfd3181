from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from stagekans.audit.models import AuditLog


def history_of(obj: models.Model) -> QuerySet[AuditLog]:
    return AuditLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
