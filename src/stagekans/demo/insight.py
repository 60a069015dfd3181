"""Demo data for insight (issue 13): voluntary background for most demo students, applications
and placements with outcomes over two school years, experience surveys, and a recompute so the
dashboards, the pilot report and the SBB adviser's signals are filled.

Clearly separated from the domain services on purpose: this branch has no applications service
yet, so applications are written set-based here (as the national seed does); placements go
through placements.services. Background statements are written directly with their pseudonym
(the consent service only lets the student herself state her background; the demo student's own
page is left empty so the consent form shows). Outcomes follow the ROA (2018) gap: placed at the
first application 68% with a Dutch and 48% with a migration background, and two companies
invite students with a migration background much less often, so they show up as signals.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from stagekans.applications.models import Application
from stagekans.background.models import BackgroundStatement
from stagekans.background.selectors import student_pseudonym
from stagekans.insight import facts
from stagekans.insight.models import SurveyResponse
from stagekans.insight.services.recompute import recompute
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import PlacementSource
from stagekans.stagemarkt.models import Vacancy

HERKOMST = [
    ("nl", 0.62),
    ("eu", 0.08),
    ("europe_other", 0.07),
    ("africa", 0.1),
    ("americas", 0.06),
    ("asia", 0.07),
]
REASONS = [
    "qualification",
    "competences",
    "availability",
    "distance",
    "language",
    "capacity",
    "other_candidate",
]


class InsightDemo:
    def __init__(self, rng: random.Random, students: list[Any]) -> None:
        self.rng = rng
        self.students = students

    def build(self) -> dict[str, int]:
        rng = self.rng
        herkomst = self._background()
        vacancies = list(Vacancy.objects.select_related("location").order_by("pk"))
        by_qualification: dict[int, list[Vacancy]] = defaultdict(list)
        for v in vacancies:
            by_qualification[v.qualification_id].append(v)
        if len(vacancies) < 2 or len(self.students) < 2:
            return {}
        # Two sought-after companies that invite students with a migration background less.
        busy = vacancies[:6]
        first = self.students[0]  # the demo student: a placement with her survey still open
        own_first = by_qualification.get(first.programme.qualification_id)
        if own_first:
            with contextlib.suppress(ValidationError):
                create_placement(
                    acting_user=None,
                    student=first,
                    location=own_first[0].location,
                    start_date=own_first[0].start_date,
                    end_date=own_first[0].end_date,
                    source=PlacementSource.SCHOOL,
                )
        biased = {busy[0].company_id, busy[1].company_id}
        applications: list[tuple[Application, dict[str, Any]]] = []
        placements = 0
        now = timezone.now()
        for index, student in enumerate(self.students[1:], start=1):
            migrant = herkomst.get(student.pk, "nl") != "nl"
            own = by_qualification.get(student.programme.qualification_id) or vacancies
            for year, base in (
                (2025, dt.datetime(2025, 9, 15, 9)),
                (2026, dt.datetime(2026, 9, 1, 9)),
            ):
                strategy = rng.random()
                if (
                    year == 2026
                    and strategy > 0.8
                    and student.programme.qualification_id in by_qualification
                ):
                    source = PlacementSource.SCHOOL if strategy < 0.92 else PlacementSource.ROUND
                    vacancy = rng.choice(by_qualification[student.programme.qualification_id])
                    try:
                        create_placement(
                            acting_user=None,
                            student=student,
                            location=vacancy.location,
                            start_date=vacancy.start_date,
                            end_date=vacancy.end_date,
                            source=source,
                        )
                        placements += 1
                    except ValidationError:
                        pass
                    continue
                sent = timezone.make_aware(base + dt.timedelta(days=rng.randint(0, 30)))
                tries = rng.randint(1, 6)
                chance = 0.48 if migrant else 0.68
                for attempt in range(tries):
                    vacancy = rng.choice(busy if index % 4 == 0 else own)
                    if vacancy.company_id in biased:
                        invite = rng.random() < (0.25 if migrant else 0.75)
                    else:
                        invite = rng.random() < chance + 0.1
                    accepted = invite and rng.random() < (chance / (chance + 0.1))
                    if attempt == tries - 1 and year == 2025 and rng.random() < 0.6:
                        accepted = invite = True
                    at = sent + dt.timedelta(days=8 * attempt)
                    status = "accepted" if accepted else "rejected"
                    reason = (
                        ""
                        if accepted
                        else rng.choices(REASONS, weights=[2, 3, 2, 2, 4 if migrant else 1, 3, 3])[
                            0
                        ]
                    )
                    applications.append(
                        (
                            Application(
                                student=student,
                                vacancy=vacancy,
                                company_id=vacancy.company_id,
                                school_id=student.school_id,
                                motivation="Ik wil graag bij u leren en laten zien wat ik kan.",
                                status=status,
                                rejection_reason=reason,
                            ),
                            {
                                "sent_at": at,
                                "invited_at": at + dt.timedelta(days=4) if invite else None,
                                "offered_at": at + dt.timedelta(days=9) if accepted else None,
                                "decided_at": min(at + dt.timedelta(days=14), now),
                            },
                        )
                    )
                    if accepted:
                        break
        created = Application.objects.bulk_create([a for a, _t in applications], batch_size=2000)
        # sent_at is set on insert (auto_now_add): give every application its own history.
        for application, (_a, times) in zip(created, applications, strict=True):
            for field, value in times.items():
                setattr(application, field, value)
        Application.objects.bulk_update(
            created, ["sent_at", "invited_at", "offered_at", "decided_at"], batch_size=2000
        )
        # Written set-based here, past the services: the student-year facts follow in one go.
        facts.refresh(a.student_id for a in created)
        surveys = self._surveys()
        run = recompute(acting_user=None)
        return {
            "achtergronden": len(herkomst),
            "sollicitaties (demo inzicht)": len(created),
            "stages (demo inzicht)": placements,
            "vragenlijsten": surveys,
            "signalen": run.signals,
        }

    def _background(self) -> dict[int, str]:
        rng = self.rng
        values, weights = zip(*HERKOMST, strict=True)
        stated: dict[int, str] = {}
        rows = []
        now = timezone.now()
        for student in self.students[1:]:
            if rng.random() > 0.75:
                continue  # a quarter does not state anything
            value = rng.choices(values, weights=weights)[0]
            stated[student.pk] = value
            pseud = student_pseudonym(student.pk)
            rows.append(
                BackgroundStatement(
                    pseudonym=pseud,
                    attribute="herkomst",
                    value=value,
                    consented_at=now,
                    consent_text_version=1,
                )
            )
            if rng.random() < 0.6:
                rows.append(
                    BackgroundStatement(
                        pseudonym=pseud,
                        attribute="gender",
                        value=rng.choice(["woman", "man", "woman", "man", "other"]),
                        consented_at=now,
                        consent_text_version=1,
                    )
                )
            if rng.random() < 0.4:
                rows.append(
                    BackgroundStatement(
                        pseudonym=pseud,
                        attribute="disability",
                        value="yes" if rng.random() < 0.15 else "no",
                        consented_at=now,
                        consent_text_version=1,
                    )
                )
        BackgroundStatement.objects.bulk_create(rows)
        return stated

    def _surveys(self) -> int:
        from stagekans.placements.models import Placement

        rng = self.rng
        rows = []
        demo_student = self.students[0].pk
        for placement in Placement.objects.all():
            school_year = placement.start_date.year - (placement.start_date.month < 8)
            for party in ("student", "company", "school"):
                if placement.student_id == demo_student and party == "student":
                    continue
                if rng.random() < 0.75:
                    good = 1 if placement.source != "application" else 0
                    rows.append(
                        SurveyResponse(
                            placement=placement,
                            party=party,
                            strategy=placement.source,
                            school_year=school_year,
                            q_fair=min(5, rng.randint(2, 4) + good),
                            q_fit=rng.randint(3, 5),
                            q_process=min(5, rng.randint(2, 4) + good),
                        )
                    )
        SurveyResponse.objects.bulk_create(rows)
        return len(rows)
