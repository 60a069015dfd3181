"""Cross-domain reads for the home page; aggregates only where a person must not be seen."""

from __future__ import annotations

from typing import Any

from stagekans.companies.models import Company
from stagekans.education.models import School, Student
from stagekans.register.selectors import recognitions_visible_to, valid_recognitions
from stagekans.register.workflow import RecognitionStatus


def pending_recognition_count(user: Any) -> int | None:
    if not user.has_perm("register.manage_recognitions"):
        return None
    return recognitions_visible_to(user).filter(status=RecognitionStatus.REQUESTED).count()


def national_figures() -> dict[str, int]:
    return {
        "schools": School.objects.count(),
        "students": Student.objects.count(),
        "companies": Company.objects.count(),
        "recognised_companies": valid_recognitions().values("company").distinct().count(),
    }
