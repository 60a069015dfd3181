"""Reads for investigation cases."""

from __future__ import annotations

from django.db.models import QuerySet

from stagekans.cases.models import Case, CaseReporter


def reporters_of(case: Case) -> QuerySet[CaseReporter]:
    return CaseReporter.objects.filter(case=case).order_by("id")
