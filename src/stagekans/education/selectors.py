"""Reads for the education domain; every list is scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from stagekans.education.models import Programme, Qualification, School, Student, StudentInvitation


def schools_visible_to(user: Any) -> QuerySet[School]:
    if not user.is_authenticated:
        return School.objects.none()
    if user.has_perm("education.view_all_students"):
        return School.objects.all()
    if user.has_perm("education.view_school") and hasattr(user, "school_staff"):
        return School.objects.filter(pk=user.school_staff.school_id)
    if user.has_perm("education.add_school"):  # platform admin configures schools
        return School.objects.all()
    return School.objects.none()


def students_visible_to(user: Any) -> QuerySet[Student]:
    """Staff: their school's students. A student: only herself. Others: nobody."""
    qs = Student.objects.select_related("school", "programme__qualification")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("education.view_all_students"):
        return qs
    if user.has_perm("education.view_student") and hasattr(user, "school_staff"):
        return qs.filter(school_id=user.school_staff.school_id)
    if user.has_perm("education.view_own_student_profile"):
        return qs.filter(user=user)
    return qs.none()


def school_overview(school: School) -> dict[str, Any]:
    programmes = (
        Programme.objects.filter(school=school)
        .select_related("qualification")
        .annotate(student_count=Count("students"))
        .order_by("qualification__title", "leerweg")
    )
    return {"programmes": programmes, "student_count": school.students.count()}


def programmes_of(school: School) -> QuerySet[Programme]:
    return Programme.objects.filter(school=school).select_related("qualification")


def qualifications() -> QuerySet[Qualification]:
    return Qualification.objects.all()


def own_student_profile(user: Any) -> Student | None:
    if not user.is_authenticated:
        return None
    return (
        Student.objects.select_related("school", "programme__qualification")
        .filter(user=user)
        .first()
    )


def latest_invitation(student: Student) -> StudentInvitation | None:
    """The student's latest invitation to create a login (for the school's student page)."""
    return StudentInvitation.objects.filter(student=student).order_by("-created_at", "-id").first()
