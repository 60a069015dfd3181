"""Test data for insight: students with a stated background, applications with outcomes.

Applications are written with the ORM here, their times set freely (as the demo's insight module
does), and the insight facts are refreshed as the applications services' hook does; placements
go through placements.services. Background statements for many students are written directly
with their pseudonym; the consent flow itself is tested through background.services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from stagekans.applications.models import Application
from stagekans.background.models import BackgroundStatement
from stagekans.background.selectors import student_pseudonym
from stagekans.education.models import Student
from stagekans.insight import facts
from stagekans.testing import factories as f


def declare(student: Student, attribute: str, value: str) -> None:
    BackgroundStatement.objects.create(
        pseudonym=student_pseudonym(student.pk),
        attribute=attribute,
        value=value,
        consented_at=timezone.now(),
        consent_text_version=1,
    )


def setting() -> dict[str, Any]:
    """One school, one qualification, companies with a published vacancy each."""
    vacancy = f.VacancyFactory(publish=True)
    qualification = vacancy.qualification
    programme = f.ProgrammeFactory(qualification=qualification)
    return {"vacancy": vacancy, "programme": programme, "school": programme.school}


def students(programme: Any, n: int, herkomst: str | None) -> list[Student]:
    result = []
    for _ in range(n):
        student: Any = f.StudentFactory(programme=programme)
        if herkomst:
            declare(student, "herkomst", herkomst)
        result.append(student)
    return result


def apply(
    student: Student,
    vacancy: Any,
    *,
    status: str,
    sent_at: dt.datetime,
    invited: bool = False,
    offered: bool = False,
    reason: str = "",
) -> Application:
    application = Application.objects.create(
        student=student,
        vacancy=vacancy,
        company_id=vacancy.company_id,
        school_id=student.school_id,
        motivation="Ik wil graag bij u leren.",
        status=status,
        rejection_reason=reason,
    )
    decided = sent_at + dt.timedelta(days=14)
    Application.objects.filter(pk=application.pk).update(
        sent_at=sent_at,
        invited_at=sent_at + dt.timedelta(days=3) if invited or offered else None,
        offered_at=sent_at + dt.timedelta(days=7) if offered else None,
        decided_at=decided if status in ("accepted", "rejected", "declined") else None,
    )
    # Written past the applications services: keep the insight facts as the services' hook does.
    facts.refresh([student.pk])
    return application
