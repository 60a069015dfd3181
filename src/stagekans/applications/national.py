"""National volume of applications: 1.5 million, with their status histories, loaded in bulk
after the people of the national data set (COPY on PostgreSQL in chunks of students).

Every row keeps the rules the services keep: a student applies only to a published vacancy for
their own qualification, at most once per vacancy; company and school are the vacancy's and the
student's; the distance is computed; the times follow the status (seen after sent, invited
after seen, …); a rejection has a reason; a closed application a close reason. Accepted offers
are not seeded here: an accepted application belongs to a placement, which the placements seed
makes. One history row per status passed through.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from stagekans.applications.models import Application, ApplicationStatusChange
from stagekans.applications.workflow import ApplicationStatus, CloseReason, RejectionReason
from stagekans.education.models import Student
from stagekans.geo.places import haversine_km
from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.national import _next_id, _reset_sequences
from stagekans.stagemarkt.national_people import _insert_full
from stagekans.stagemarkt.workflow import VacancyStatus

S = ApplicationStatus
# (status, weight): roughly what a Stagemarkt season looks like at one moment.
STATUS_MIX: list[tuple[ApplicationStatus, int]] = [
    (S.SENT, 24),
    (S.SEEN, 20),
    (S.INVITED, 10),
    (S.OFFERED, 4),
    (S.DECLINED, 3),
    (S.REJECTED, 24),
    (S.WITHDRAWN, 8),
    (S.CLOSED, 7),
]
# the statuses an application passed through to reach each status
PATH: dict[ApplicationStatus, list[ApplicationStatus]] = {
    S.SENT: [S.SENT],
    S.SEEN: [S.SENT, S.SEEN],
    S.INVITED: [S.SENT, S.SEEN, S.INVITED],
    S.OFFERED: [S.SENT, S.SEEN, S.INVITED, S.OFFERED],
    S.DECLINED: [S.SENT, S.SEEN, S.INVITED, S.OFFERED, S.DECLINED],
    S.REJECTED: [S.SENT, S.SEEN, S.REJECTED],
    S.WITHDRAWN: [S.SENT, S.WITHDRAWN],
    S.CLOSED: [S.SENT, S.SEEN, S.CLOSED],
}
MOTIVATIONS = [
    "Ik wil graag leren in een team dat de tijd neemt om uit te leggen.",
    "Tijdens mijn bijbaan heb ik gemerkt dat ik goed met klanten omga.",
    "Ik zoek een stage waar ik zelfstandig mag werken en feedback krijg.",
    "Ik ben nieuwsgierig, leer snel en kom graag meedraaien in de praktijk.",
]
COMPETENCES = [
    "Plannen en organiseren, samenwerken.",
    "Bijbaan in de detailhandel, klantvriendelijk.",
    "Vrijwilligerswerk bij de sportclub, nauwkeurig.",
]
APPLICATION_FIELDS = [
    "id",
    "student",
    "vacancy",
    "company",
    "school",
    "motivation",
    "competences",
    "availability",
    "distance_km",
    "status",
    "sent_at",
    "seen_at",
    "invited_at",
    "offered_at",
    "decided_at",
    "rejection_reason",
    "rejection_text",
    "close_reason",
]


@dataclass
class ApplicationsResult:
    applications: int = 0
    history: int = 0


class ApplicationsBuilder:
    def __init__(
        self,
        *,
        seed: int,
        applications: int = 1_500_000,
        chunk_students: int = 50_000,
        progress: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        self.rng = random.Random(seed)
        self.target = applications
        self.chunk_students = chunk_students
        self.progress = progress

    @transaction.atomic
    def build(self) -> ApplicationsResult:
        rng, result = self.rng, ApplicationsResult()
        if self.target <= 0:
            return result
        students = list(
            Student.objects.order_by("pk").values_list(
                "pk", "school_id", "programme__qualification_id", "latitude", "longitude"
            )
        )
        by_qualification: dict[int, list[tuple[int, int, float, float]]] = {}
        for pk, company_id, qualification_id, lat, lon in (
            Vacancy.objects.filter(status=VacancyStatus.PUBLISHED)
            .order_by("pk")
            .values_list("pk", "company_id", "qualification_id", "latitude", "longitude")
            .iterator(chunk_size=50_000)
        ):
            by_qualification.setdefault(qualification_id, []).append((pk, company_id, lat, lon))
        eligible = [s for s in students if by_qualification.get(s[2])]
        if not eligible:
            return result
        per_student = self.target / len(eligible)
        statuses = [s for s, _w in STATUS_MIX]
        weights = [w for _s, w in STATUS_MIX]
        reasons = list(RejectionReason)
        closes = [CloseReason.VACANCY_FILLED, CloseReason.VACANCY_WITHDRAWN]
        now = timezone.now()
        next_app = _next_id(Application)
        next_history = _next_id(ApplicationStatusChange)
        remaining = self.target

        for start in range(0, len(eligible), self.chunk_students):
            chunk = eligible[start : start + self.chunk_students]
            apps: list[tuple[Any, ...]] = []
            history: list[tuple[Any, ...]] = []
            for index, (student_id, school_id, qualification_id, s_lat, s_lon) in enumerate(chunk):
                left_students = len(eligible) - start - index
                # spread what is left evenly, with some students applying more than others
                k = min(remaining, max(0, round(rng.expovariate(1 / per_student))))
                if left_students == 1:
                    k = remaining
                bucket = by_qualification[qualification_id]
                k = min(k, len(bucket))
                if k <= 0:
                    continue
                remaining -= k
                for vacancy_id, company_id, v_lat, v_lon in rng.sample(bucket, k):
                    status = rng.choices(statuses, weights)[0]
                    sent = now - dt.timedelta(minutes=rng.randint(60, 180 * 24 * 60))
                    times = [sent]
                    for _step in PATH[status][1:]:
                        times.append(
                            times[-1] + dt.timedelta(minutes=rng.randint(30, 14 * 24 * 60))
                        )
                    at = dict(zip(PATH[status], times, strict=True))
                    apps.append(
                        (
                            next_app,
                            student_id,
                            vacancy_id,
                            company_id,
                            school_id,
                            rng.choice(MOTIVATIONS),
                            rng.choice(COMPETENCES),
                            "Vier dagen per week.",
                            round(haversine_km(s_lat, s_lon, v_lat, v_lon), 1),
                            status.value,
                            sent,
                            at.get(S.SEEN),
                            at.get(S.INVITED),
                            at.get(S.OFFERED),
                            times[-1]
                            if status in (S.DECLINED, S.REJECTED, S.WITHDRAWN, S.CLOSED)
                            else None,
                            rng.choice(reasons).value if status == S.REJECTED else "",
                            "",
                            rng.choice(closes).value if status == S.CLOSED else "",
                        )
                    )
                    for step, when in zip(PATH[status], times, strict=True):
                        history.append((next_history, next_app, step.value, when))
                        next_history += 1
                    next_app += 1
            result.applications += _insert_full(Application, APPLICATION_FIELDS, iter(apps))
            result.history += _insert_full(
                ApplicationStatusChange, ["id", "application", "status", "at"], _rows(history)
            )
            self.progress(f"{result.applications:,} sollicitaties")
            if remaining <= 0:
                break
        if connection.vendor == "postgresql":
            _reset_sequences([Application, ApplicationStatusChange])
            with connection.cursor() as cursor:
                for model in (Application, ApplicationStatusChange):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        return result


def _rows(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    yield from rows
