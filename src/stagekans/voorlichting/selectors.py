"""Reads for voorlichting: the current text, who is informed, coverage per school/programme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from stagekans.core import snapshots
from stagekans.education.models import Programme, School, Student
from stagekans.voorlichting.models import Acknowledgement, InformationText, InternshipPeriod, Moment

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def current_text(now: dt.datetime | None = None) -> InformationText | None:
    return (
        InformationText.objects.filter(published_at__lte=now or timezone.now())
        .order_by("-version")
        .first()
    )


def latest_period_of(programme_id: int) -> InternshipPeriod | None:
    return (
        InternshipPeriod.objects.filter(programme_id=programme_id).order_by("-announced_at").first()
    )


def with_informed(students: QuerySet[Student], text: InformationText | None) -> QuerySet[Student]:
    """Annotate `informed`: read the current version after the latest announced period."""
    if text is None:
        return students.annotate(informed=Value(True))
    latest_period = Subquery(
        InternshipPeriod.objects.filter(programme_id=OuterRef("programme_id"))
        .order_by("-announced_at")
        .values("announced_at")[:1],
        output_field=DateTimeField(),
    )
    return students.annotate(
        period_at=Coalesce(latest_period, Value(EPOCH, output_field=DateTimeField()))
    ).annotate(
        informed=Exists(
            Acknowledgement.objects.filter(
                student_id=OuterRef("pk"), text=text, acknowledged_at__gte=OuterRef("period_at")
            )
        )
    )


def pending_moment(student: Student, text: InformationText | None = None) -> str | None:
    """Which reading the student still owes for the current text, or None when informed."""
    text = text or current_text()
    if text is None:
        return None
    annotated: Any = with_informed(Student.objects.filter(pk=student.pk), text)
    if annotated.filter(informed=True).exists():
        return None
    acknowledgements = Acknowledgement.objects.filter(student=student)
    if not acknowledgements.exists():
        return Moment.ONBOARDING
    period = latest_period_of(student.programme_id)
    if (
        period is not None
        and not acknowledgements.filter(acknowledged_at__gte=period.announced_at).exists()
    ):
        return Moment.BEFORE_INTERNSHIP
    return Moment.NEW_VERSION


def needs_reading(user: Any) -> tuple[InformationText, str] | None:
    """For the home page banner: the text and moment a logged-in student still has to read."""
    student = getattr(user, "student", None) if user.is_authenticated else None
    if student is None:
        return None
    text = current_text()
    if text is None:
        return None
    moment = pending_moment(student, text)
    return (text, moment) if moment else None


@dataclass(frozen=True)
class CoverageRow:
    label: str
    total: int
    informed: int

    @property
    def percentage(self) -> float:
        return round(100.0 * self.informed / self.total, 1) if self.total else 0.0


def _coverage(students: QuerySet[Student], group_field: str) -> dict[Any, tuple[int, int]]:
    text = current_text()
    rows = (
        with_informed(students, text)
        .values(group_field)
        .annotate(total=Count("pk"), informed_count=Count("pk", filter=Q(informed=True)))
        .order_by(group_field)
    )
    return {row[group_field]: (row["total"], row["informed_count"]) for row in rows}


def coverage_by_programme(school: School) -> list[CoverageRow]:
    counts = _coverage(Student.objects.filter(school=school), "programme_id")
    programmes = Programme.objects.filter(pk__in=counts).select_related("qualification")
    return [
        CoverageRow(f"{p.qualification.title} ({p.leerweg})", *counts[p.pk])
        for p in sorted(programmes, key=lambda p: (p.qualification.title, p.leerweg))
    ]


def coverage_by_school() -> list[CoverageRow]:
    counts = _coverage(Student.objects.all(), "school_id")
    return _school_rows(counts)


def _school_rows(counts: dict[Any, tuple[int, int]]) -> list[CoverageRow]:
    schools = School.objects.filter(pk__in=counts).order_by("name")
    return [CoverageRow(s.name, *counts[s.pk]) for s in schools]


def _national_counts(text_id: str) -> list[list[int]]:
    counts = _coverage(Student.objects.all(), "school_id")
    return [[int(school_id), n, informed] for school_id, (n, informed) in sorted(counts.items())]


snapshots.define("voorlichting_coverage", _national_counts)


def national_coverage_snapshot() -> tuple[list[CoverageRow], snapshots.Snapshot]:
    """`coverage_by_school` from the precomputed snapshot (core/snapshots.py), per current
    text: the national page reads one row instead of counting 500k students per view."""
    text = current_text()
    snapshot = snapshots.read("voorlichting_coverage", text.pk if text else 0)
    counts = {school_id: (n, informed) for school_id, n, informed in snapshot.data}
    return _school_rows(counts), snapshot


def total_coverage(rows: list[CoverageRow], label: str) -> CoverageRow:
    return CoverageRow(label, sum(r.total for r in rows), sum(r.informed for r in rows))


def not_informed_students(school: School) -> QuerySet[Student]:
    return (
        with_informed(Student.objects.filter(school=school), current_text())
        .filter(informed=False)  # type: ignore[misc]
        .select_related("programme__qualification")
        .order_by("family_name", "given_name", "pk")
    )


def not_informed_with_login() -> QuerySet[Student]:
    """Students still owing a reading who can be mailed (they have an account)."""
    return (
        with_informed(Student.objects.filter(user__isnull=False), current_text())
        .filter(informed=False)  # type: ignore[misc]
        .select_related("user")
        .order_by("pk")
    )
