"""Reads for the recognition register."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from stagekans.companies.models import Company
from stagekans.register.models import Recognition, RecognitionStatusChange
from stagekans.register.workflow import RecognitionStatus


def valid_recognitions(on: Any = None) -> QuerySet[Recognition]:
    """Recognitions that are in force on a day (today by default)."""
    day = on or timezone.localdate()
    return Recognition.objects.filter(
        status=RecognitionStatus.RECOGNISED, valid_from__lte=day
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))


def is_validly_recognised(company: Company, qualification_id: int, on: Any = None) -> bool:
    return (
        valid_recognitions(on).filter(company=company, qualification_id=qualification_id).exists()
    )


def recognitions_visible_to(user: Any) -> QuerySet[Recognition]:
    qs = Recognition.objects.select_related("company", "qualification")
    if not user.is_authenticated or not user.has_perm("register.view_recognition"):
        return qs.none()
    if user.has_perm("companies.view_all_companies"):
        return qs
    if hasattr(user, "trainer"):
        return qs.filter(company_id=user.trainer.company_id)
    return qs.filter(status=RecognitionStatus.RECOGNISED)


def history(recognition: Recognition) -> QuerySet[RecognitionStatusChange]:
    return recognition.history.select_related("actor").order_by("at", "id")


def due_for_expiry(on: Any = None) -> QuerySet[Recognition]:
    day = on or timezone.localdate()
    return Recognition.objects.filter(status=RecognitionStatus.RECOGNISED, valid_until__lte=day)
