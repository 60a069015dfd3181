"""Reads of study advice, scoped: staff their own school, a student only their own advice,
the platform and analysts the report across schools (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from stagekans.education.models import School, Student
from stagekans.studyadvice.models import AdviceKind, NonBindingYear, StudyAdvice


def _school_of(user: Any) -> School | None:
    staff = getattr(user, "school_staff", None) if user.is_authenticated else None
    return staff.school if staff is not None else None


def marking_for(school: School | int, school_year: int) -> NonBindingYear | None:
    """The mark that makes this school year niet-bindend for this school (its own or the
    platform's), or None."""
    school_id = school if isinstance(school, int) else school.pk
    return (
        NonBindingYear.objects.filter(school_year=school_year)
        .filter(Q(school_id=school_id) | Q(school__isnull=True))
        .order_by("school_id")  # the school's own mark first (NULLs last on PostgreSQL)
        .first()
    )


def is_marked(school: School | int, school_year: int) -> bool:
    return marking_for(school, school_year) is not None


def markings_visible_to(user: Any) -> QuerySet[NonBindingYear]:
    qs = NonBindingYear.objects.select_related("school", "marked_by")
    if not user.is_authenticated:
        return qs.none()
    school = _school_of(user)
    if user.has_perm("studyadvice.mark_school_year_all") or (
        school is None and user.has_perm("studyadvice.view_study_advice_report")
    ):
        return qs
    if school is not None and user.has_perm("studyadvice.give_study_advice"):
        return qs.filter(Q(school=school) | Q(school__isnull=True))
    return qs.none()


def advice_visible_to(user: Any) -> QuerySet[StudyAdvice]:
    qs = StudyAdvice.objects.select_related("student__programme__qualification", "given_by")
    if not user.is_authenticated:
        return qs.none()
    school = _school_of(user)
    if school is not None and user.has_perm("studyadvice.give_study_advice"):
        return qs.filter(school=school)
    if user.has_perm("studyadvice.view_own_study_advice"):
        return qs.filter(student__user=user)
    return qs.none()


def students_for_advice(user: Any) -> QuerySet[Student]:
    school = _school_of(user)
    if school is None or not user.has_perm("studyadvice.give_study_advice"):
        return Student.objects.none()
    return Student.objects.filter(school=school).select_related("programme__qualification")


@dataclass(frozen=True)
class ReportRow:
    school: str
    school_year: str
    positive: int
    negative: int
    postponed: int
    binding_negative: int

    @property
    def total(self) -> int:
        return self.positive + self.negative + self.postponed


def report(user: Any) -> list[ReportRow]:
    """Per school and marked school year: advice given, by kind (one aggregate query)."""
    marked = NonBindingYear.objects.filter(
        Q(school_id=OuterRef("school_id")) | Q(school__isnull=True),
        school_year=OuterRef("school_year"),
    )
    qs = StudyAdvice.objects.annotate(marked=Exists(marked)).filter(marked=True)
    school = _school_of(user)
    if school is not None:
        qs = qs.filter(school=school)
    elif not user.has_perm("studyadvice.view_study_advice_report"):
        return []
    rows = (
        qs.values("school__name", "school_year")
        .annotate(
            positive=Count("id", filter=Q(kind=AdviceKind.POSITIVE)),
            negative=Count("id", filter=Q(kind=AdviceKind.NEGATIVE)),
            postponed=Count("id", filter=Q(kind=AdviceKind.POSTPONED)),
            binding_negative=Count("id", filter=Q(kind=AdviceKind.NEGATIVE, binding=True)),
        )
        .order_by("-school_year", "school__name")
    )
    return [
        ReportRow(
            school=r["school__name"],
            school_year=f"{r['school_year']}-{r['school_year'] + 1}",
            positive=r["positive"],
            negative=r["negative"],
            postponed=r["postponed"],
            binding_negative=r["binding_negative"],
        )
        for r in rows
    ]
