"""Reads for school tasks, scoped to the user's own school."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stagekans.worklist.models import SchoolTask


def tasks_visible_to(user: Any) -> QuerySet[SchoolTask]:
    qs = SchoolTask.objects.select_related("school", "recognition__company")
    if not user.is_authenticated or not user.has_perm("worklist.view_schooltask"):
        return qs.none()
    if hasattr(user, "school_staff"):
        return qs.filter(school_id=user.school_staff.school_id)
    return qs.none()


def open_tasks_for(user: Any) -> QuerySet[SchoolTask]:
    return tasks_visible_to(user).filter(done_at__isnull=True).order_by("created_at", "id")
