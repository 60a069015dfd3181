"""National volume for placements (issue 11): 250,000 running POKs with their signatures and
contact moments, and bpv-begeleiders to supervise them, loaded with COPY (chunks through a
generator, nothing held in memory but id lists) after the national people (seed_national).

Each placement is a student of the national seed at a company validly recognised for the
student's qualification; ~90 % run with a fully signed POK (three signatures), ~10 % are planned
with a POK out for signing. Contacts: 0-4 per running placement; `next_contact_due` is computed
with the same pure function as the services (placements.due), so about one in six placements is
overdue, as in a real year. Every school gets one begeleider per ~30 placements.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role
from stagekans.companies.models import Location, Trainer
from stagekans.education.models import School, SchoolStaff, Student
from stagekans.placements.due import next_contact_due
from stagekans.placements.models import Agreement, ContactMoment, Placement, Signature
from stagekans.placements.schoolholidays import Region, region_of_province
from stagekans.placements.workflow import (
    AgreementStatus,
    ContactKind,
    PlacementSource,
    PlacementStatus,
    SigningParty,
)
from stagekans.register.selectors import valid_recognitions
from stagekans.stagemarkt.national import _insert, _next_id, _reset_sequences

PLACEMENTS_PER_BEGELEIDER = 30
WORK_PROCESSES = "B1-K1-W1 Bereidt de werkzaamheden voor\nB1-K1-W2 Voert de werkzaamheden uit"
ASSESSMENT = "Praktijkbeoordeling door de praktijkopleider, besproken met de bpv-begeleider."


@dataclass
class PlacementResult:
    placements: int = 0
    agreements: int = 0
    signatures: int = 0
    contacts: int = 0
    begeleiders: int = 0
    overdue: int = 0


@lru_cache(maxsize=200_000)
def _due(base: dt.date, every: int, region: Region, end: dt.date) -> dt.date:
    return next_contact_due(last_contact=base, every_weeks=every, region=region, end_date=end)


class PlacementBuilder:
    def __init__(
        self,
        *,
        seed: int,
        placements: int = 250_000,
        progress: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        self.rng = random.Random(seed + 11)
        self.n = placements
        self.progress = progress

    @transaction.atomic
    def build(self) -> PlacementResult:
        rng, result = self.rng, PlacementResult()
        today = timezone.localdate()
        now = timezone.now()

        # Who may be placed where: companies (first location, a trainer) per qualification.
        location_of: dict[int, int] = {}
        for company_id, location_id in Location.objects.order_by("company_id", "id").values_list(
            "company_id", "id"
        ):
            location_of.setdefault(company_id, location_id)
        trainer_of = dict(Trainer.objects.values_list("company_id", "id"))
        companies_for: dict[int, list[int]] = defaultdict(list)
        for company_id, qualification_id in valid_recognitions(today - dt.timedelta(days=200))\
                .filter(pk__in=valid_recognitions(today).values("pk"))\
                .values_list("company_id", "qualification_id"):  # fmt: skip
            if company_id in location_of:
                companies_for[qualification_id].append(company_id)
        region_of = {
            pk: region_of_province(province)
            for pk, province in School.objects.values_list("pk", "province")
        }
        taken = set(Placement.objects.values_list("student_id", flat=True))
        students = [
            row
            for row in Student.objects.order_by("id").values_list(
                "id", "school_id", "programme__qualification_id", "programme__leerweg"
            )
            if row[0] not in taken and row[2] in companies_for
        ]
        rng.shuffle(students)
        students = sorted(students[: self.n])
        if not students:
            return result

        # Begeleiders: one per ~30 placements of the school, as school staff accounts.
        per_school: dict[int, int] = defaultdict(int)
        for _sid, school_id, _q, _l in students:
            per_school[school_id] += 1
        group_id = Group.objects.get(name=ROLES[Role.SCHOOL_STAFF].group_name).pk
        password = make_password("Landelijk-bpv-2026")
        first_user, first_staff = _next_id(User), _next_id(SchoolStaff)
        user_rows, staff_rows, staff_of = [], [], defaultdict(list)
        uid, stid = first_user, first_staff
        for school_id, count in sorted(per_school.items()):
            for k in range(max(1, count // PLACEMENTS_PER_BEGELEIDER)):
                username = f"bpv{school_id}-{k}"
                user_rows.append(
                    (uid, password, False, username, "Begeleider", f"{school_id}-{k}",
                     f"{username}@landelijk.example", False, True, now, "nl")
                )  # fmt: skip
                staff_rows.append((stid, uid, school_id, "bpv-begeleider"))
                staff_of[school_id].append(stid)
                uid += 1
                stid += 1
        _insert(
            User,
            ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
             "is_staff", "is_active", "date_joined", "preferred_language"],
            user_rows,
        )  # fmt: skip
        _insert(User.groups.through, ["user", "group"], ((u[0], group_id) for u in user_rows))
        result.begeleiders = _insert(SchoolStaff, ["id", "user", "school", "function"], staff_rows)
        self.progress(f"{result.begeleiders:,} bpv-begeleiders")

        # Placements, their POK, signatures and contacts, in one pass of id arithmetic.
        first_placement, first_agreement = _next_id(Placement), _next_id(Agreement)
        placement_rows: list[tuple[Any, ...]] = []
        agreement_rows: list[tuple[Any, ...]] = []
        contact_rows: list[tuple[Any, ...]] = []
        for n, (student_id, school_id, qualification_id, leerweg) in enumerate(students):
            pid, aid = first_placement + n, first_agreement + n
            company_id = rng.choice(companies_for[qualification_id])
            active = rng.random() < 0.9
            if active:
                start = today - dt.timedelta(days=rng.randint(14, 200))
            else:
                start = today + dt.timedelta(days=rng.randint(7, 90))
            end = start + dt.timedelta(days=rng.randint(150, 300))
            if active and end < today:
                end = today + dt.timedelta(days=rng.randint(10, 60))
            every = rng.choice((2, 3, 4, 4, 4, 6, 8))
            visits = rng.choice((1, 2, 2, 3))
            region = region_of[school_id]
            due = None
            done = 0
            if active:
                last = start
                # Contacts mostly on time, sometimes late or missing.
                while True:
                    planned = _due(last, every, region, end)
                    if planned >= today:
                        break
                    if rng.random() < 0.05:
                        break  # this begeleider fell behind
                    held = planned - dt.timedelta(days=rng.randint(0, 6))
                    held = max(held, last + dt.timedelta(days=1))
                    if held >= today:
                        break
                    kind = rng.choice((ContactKind.ON_SITE, ContactKind.ONLINE, ContactKind.PHONE))
                    contact_rows.append(
                        (pid, held, kind.value, True, kind != ContactKind.PHONE, "", "", now)
                    )
                    done += kind == ContactKind.ON_SITE
                    last = held
                due = _due(last, every, region, end)
                result.overdue += due < today
            staff = staff_of[school_id]
            supervisor = rng.choice(staff) if staff and rng.random() < 0.97 else None
            placement_rows.append(
                (
                    pid, student_id, school_id, company_id, location_of[company_id],
                    qualification_id, leerweg, start, end, trainer_of.get(company_id),
                    supervisor, PlacementSource.SCHOOL.value,
                    (PlacementStatus.ACTIVE if active else PlacementStatus.PLANNED).value,
                    now, due, visits if active else 0, done,
                )
            )  # fmt: skip
            agreement_rows.append(
                (
                    aid, pid, 1,
                    (AgreementStatus.ACTIVE if active else AgreementStatus.SIGNING).value,
                    start, end, rng.choice((480, 640, 800, 960)), WORK_PROCESSES, ASSESSMENT,
                    every, visits, rng.choice((7, 14, 15, 30)), now,
                    now if active else None,
                )
            )  # fmt: skip
        result.placements = _insert(
            Placement,
            ["id", "student", "school", "company", "location", "qualification", "leerweg",
             "start_date", "end_date", "trainer", "supervisor", "source", "status",
             "created_at", "next_contact_due", "min_site_visits", "site_visits_done"],
            placement_rows,
        )  # fmt: skip
        placement_rows.clear()
        self.progress(f"{result.placements:,} stages ({result.overdue:,} met contact te laat)")
        result.agreements = _insert(
            Agreement,
            ["id", "placement", "version", "status", "start_date", "end_date", "hours",
             "work_processes", "assessment", "contact_every_weeks", "min_site_visits",
             "weekdays", "created_at", "activated_at"],
            agreement_rows,
        )  # fmt: skip

        def signatures() -> Iterator[tuple[Any, ...]]:
            for row in agreement_rows:
                if row[3] != AgreementStatus.ACTIVE.value:
                    continue
                for party in (SigningParty.STUDENT, SigningParty.COMPANY, SigningParty.SCHOOL):
                    yield (row[0], party.value, now)

        result.signatures = _insert(Signature, ["agreement", "party", "signed_at"], signatures())
        agreement_rows.clear()
        result.contacts = _insert(
            ContactMoment,
            ["placement", "held_on", "kind", "with_student", "with_trainer",
             "other_participants", "notes", "logged_at"],
            contact_rows,
        )  # fmt: skip
        self.progress(
            f"{result.agreements:,} overeenkomsten, {result.signatures:,} handtekeningen, "
            f"{result.contacts:,} contactmomenten"
        )
        if connection.vendor == "postgresql":
            _reset_sequences([User, SchoolStaff, Placement, Agreement, Signature, ContactMoment])
        return result


def analyse_placements() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Placement, Agreement, Signature, ContactMoment, SchoolStaff):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def placements_step(seed: int, placements: int, progress: Callable[[str], None]) -> str:
    """The one step of seed_national: load and analyse; returns a summary line."""
    result = PlacementBuilder(seed=seed, placements=placements, progress=progress).build()
    analyse_placements()
    return (
        f"{result.placements:,} stages, {result.agreements:,} praktijkovereenkomsten, "
        f"{result.contacts:,} contactmomenten, {result.begeleiders:,} bpv-begeleiders"
    )
