"""The people of the national data set: schools, programmes, 500,000 students (most with an
account), school staff, a trainer account for most companies, national staff (SBB, meldpunt),
hand-out deliveries and voorlichting readings, and meldpunt reports for the statistics.

Loaded in bulk after `NationalBuilder` (COPY on PostgreSQL, bulk_create elsewhere), like the
companies: one audited service call per person would take hours. Every row obeys the rules the
services keep (a student's programme is of the student's school; a trainer belongs to one
company; an acknowledgement is for a delivered version). Columns this module does not name are
filled with the model field's default, so a field added later with a default needs no change
here.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone
from faker import Faker

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES, Role
from stagekans.companies.models import Company, Trainer
from stagekans.education.models import (
    Leerweg,
    Programme,
    Qualification,
    School,
    SchoolStaff,
    Student,
)
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import dutch_places
from stagekans.informatiepakket.models import HandoutDelivery
from stagekans.informatiepakket.selectors import current_versions
from stagekans.meldpunt.models import FollowUp, Ground, Phase, Report, ReporterRole, ReportGround
from stagekans.register.models import Recognition
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt.national import _insert, _next_id, _reset_sequences
from stagekans.voorlichting.models import Acknowledgement, Moment
from stagekans.voorlichting.selectors import current_text

# One known password for every seeded account, so that staff pages can be tried (and load
# tested) as any role. Never use the national data set outside a test or benchmark database.
NATIONAL_PASSWORD = "stagekans-landelijk"  # noqa: S105 - seeded benchmark data only
NATIONAL_STAFF = {
    Role.SBB_ADVISOR: 20,
    Role.SBB_INVESTIGATOR: 10,
    Role.MELDPUNT: 10,
    Role.ANALYST: 5,
}


@dataclass
class PeopleResult:
    schools: int = 0
    programmes: int = 0
    students: int = 0
    users: int = 0
    trainers: int = 0
    school_staff: int = 0
    national_staff: int = 0
    deliveries: int = 0
    acknowledgements: int = 0
    reports: int = 0


def _insert_full(
    model: type[models.Model], given: list[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """`_insert` that also writes every other concrete column with its field default."""
    named = set(given)
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.name not in named and f.attname not in named and not f.primary_key
    ]
    now = timezone.now()
    defaults: list[Any] = []
    for f in rest:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        elif f.has_default():
            defaults.append(f.get_default())
        elif f.null:
            defaults.append(None)
        else:
            defaults.append("")
    extra = tuple(defaults)
    return _insert(model, [*given, *(f.name for f in rest)], (row + extra for row in rows))


class PeopleBuilder:
    def __init__(
        self,
        *,
        seed: int,
        students: int,
        schools: int = 60,
        reports: int = 200_000,
        progress: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        self.rng = random.Random(seed)
        self.n_students, self.n_schools, self.n_reports = students, schools, reports
        self.progress = progress
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        self.given = sorted({fake.first_name() for _ in range(2000)})
        self.family = sorted({fake.last_name() for _ in range(3000)})
        self.password = make_password(NATIONAL_PASSWORD)

    def _group(self, role: Role) -> int:
        return Group.objects.get(name=ROLES[role].group_name).pk

    @transaction.atomic
    def build(self) -> PeopleResult:
        rng, result = self.rng, PeopleResult()
        now = timezone.now()
        today = timezone.localdate()
        places = list(dutch_places())
        pc4_of: dict[str, list[tuple[str, float, float]]] = {}
        for pc4, place_name, lat, lon in PostcodeArea.objects.values_list(
            "pc4", "place", "latitude", "longitude"
        ):
            pc4_of.setdefault(place_name, []).append((pc4, lat, lon))
        all_pc4 = [v for values in pc4_of.values() for v in values]
        letters = "ABCDEGHJKLMNPRTVWXZ"

        # schools and programmes -----------------------------------------------------------
        first_school = _next_id(School)
        used_brin = set(School.objects.values_list("brin", flat=True))
        schools = []
        brins = (
            f"{n:02d}{a}{b}"
            for n in range(10, 100)
            for a in string.ascii_uppercase
            for b in string.ascii_uppercase
        )
        for i in range(self.n_schools):
            brin = next(b for b in brins if b not in used_brin)
            place = places[(i * 7) % len(places)]
            schools.append(
                (first_school + i, f"ROC {place.name} ({brin})", brin, place.name, place.province)
            )
        result.schools = _insert_full(School, ["id", "name", "brin", "place", "province"], schools)
        qualifications = list(Qualification.objects.order_by("crebo").values_list("pk", flat=True))
        first_programme = _next_id(Programme)
        programmes_of: list[list[int]] = []
        programme_rows = []
        pid = first_programme
        for i in range(self.n_schools):
            own = []
            for q in rng.sample(qualifications, k=min(len(qualifications), 25)):
                leerweg = rng.choice(Leerweg.values)
                programme_rows.append((pid, first_school + i, q, leerweg))
                own.append(pid)
                pid += 1
            programmes_of.append(own)
        result.programmes = _insert_full(
            Programme, ["id", "school", "qualification", "leerweg"], programme_rows
        )
        self.progress(f"{result.schools} scholen, {result.programmes:,} opleidingen")

        # accounts -------------------------------------------------------------------------
        first_user = _next_id(User)
        next_user = first_user
        memberships: list[tuple[int, int]] = []
        user_rows: list[tuple[Any, ...]] = []

        def user(prefix: str, n: int, role: Role, given: str, family: str, staff: bool) -> int:
            nonlocal next_user
            uid = next_user
            next_user += 1
            username = f"{prefix}{n}"
            user_rows.append(
                (
                    uid,
                    self.password,
                    False,
                    username,
                    given,
                    family,
                    f"{username}@landelijk.example",
                    staff,
                    True,
                    now,
                    "nl",
                )
            )
            memberships.append((uid, self._groups[role]))
            return uid

        self._groups = {role: self._group(role) for role in Role}
        staff_users: list[tuple[int, int]] = []  # (user, school)
        for i in range(self.n_schools):
            for k in range(3):
                uid = user(
                    "school", i * 3 + k, Role.SCHOOL_STAFF, "Coördinator", f"School {i}", False
                )
                staff_users.append((uid, first_school + i))
        for role, count in NATIONAL_STAFF.items():
            for k in range(count):
                user(f"{role.value}-", k, role, role.value, str(k), ROLES[role].staff)
        result.national_staff = sum(NATIONAL_STAFF.values())

        recognised_companies = list(
            Recognition.objects.filter(status=RecognitionStatus.RECOGNISED, valid_until__gt=today)
            .values_list("company_id", flat=True)
            .distinct()
            .order_by("company_id")
        )
        company_ids = list(
            Company.objects.exclude(trainers__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        trainer_of: dict[int, int] = {}
        for company_id in company_ids:
            if rng.random() < 0.6:
                trainer_of[company_id] = user(
                    "opleider",
                    company_id,
                    Role.COMPANY_TRAINER,
                    rng.choice(self.given),
                    rng.choice(self.family),
                    False,
                )
        result.trainers = len(trainer_of)

        student_user: list[int | None] = []
        for n in range(self.n_students):
            if rng.random() < 0.8:
                student_user.append(
                    user("student", n, Role.STUDENT, rng.choice(self.given), "", False)
                )
            else:
                student_user.append(None)
        result.users = _insert_full(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "preferred_language",
            ],
            user_rows,
        )
        user_rows.clear()
        through = User.groups.through
        _insert(through, ["user", "group"], memberships)
        memberships.clear()
        _insert_full(
            Trainer, ["user", "company", "is_company_admin"],
            ((uid, cid, True) for cid, uid in trainer_of.items()),
        )  # fmt: skip
        result.school_staff = _insert_full(
            SchoolStaff, ["user", "school"], ((uid, sid) for uid, sid in staff_users)
        )
        self.progress(f"{result.users:,} accounts, {result.trainers:,} praktijkopleiders")

        # students -------------------------------------------------------------------------
        first_student = _next_id(Student)

        def students() -> Iterator[tuple[Any, ...]]:
            for n in range(self.n_students):
                school = n % self.n_schools
                pc4, lat, lon = rng.choice(all_pc4)
                yield (
                    first_student + n,
                    student_user[n],
                    first_school + school,
                    rng.choice(programmes_of[school]),
                    f"{n:08d}",
                    rng.choice(self.given),
                    rng.choice(self.family),
                    today.year - rng.randint(0, 3),
                    today - dt.timedelta(days=rng.randint(16 * 365, 24 * 365)),
                    f"{pc4} {rng.choice(letters)}{rng.choice(letters)}",
                    lat,
                    lon,
                )

        result.students = _insert_full(
            Student,
            [
                "id",
                "user",
                "school",
                "programme",
                "student_number",
                "given_name",
                "family_name",
                "cohort",
                "date_of_birth",
                "postcode",
                "latitude",
                "longitude",
            ],
            students(),
        )
        self.progress(f"{result.students:,} studenten")

        # voorlichting: 30% of the students with an account read the current text ------------
        text = current_text()
        if text is not None:
            result.acknowledgements = _insert_full(
                Acknowledgement,
                ["student", "text", "moment", "acknowledged_at"],
                (
                    (first_student + n, text.pk, Moment.ONBOARDING, now)
                    for n in range(self.n_students)
                    if student_user[n] is not None and rng.random() < 0.3
                ),
            )

        # hand-outs: current versions delivered to every recognised company, half read --------
        versions = current_versions()
        have = set(HandoutDelivery.objects.values_list("company_id", "version_id"))

        def deliveries() -> Iterator[tuple[Any, ...]]:
            for company_id in recognised_companies:
                for version in versions:
                    if (company_id, version.pk) in have:
                        continue
                    reader = trainer_of.get(company_id)
                    read = reader is not None and rng.random() < 0.5
                    yield (
                        company_id,
                        version.pk,
                        now - dt.timedelta(days=rng.randint(20, 400)),
                        now if read else None,
                        reader if read else None,
                    )

        result.deliveries = _insert_full(
            HandoutDelivery,
            ["company", "version", "delivered_at", "acknowledged_at", "acknowledged_by"],
            deliveries(),
        )
        self.progress(
            f"{result.deliveries:,} hand-outs, {result.acknowledgements:,} leesbevestigingen"
        )

        # meldpunt reports over the last three years (statistics) ---------------------------
        if self.n_reports:
            first_report = _next_id(Report)
            taken = set(Report.objects.values_list("reference", flat=True))
            grounds = list(Ground.values)
            sectors = sorted({s for s in Company.objects.values_list("sector", flat=True)[:1000]})
            provinces = sorted({p.province for p in places})
            reports, report_grounds = [], []
            seq = 0
            for n in range(self.n_reports):
                while True:
                    reference = f"N{seq:07d}"
                    seq += 1
                    if reference not in taken:
                        break
                received = now - dt.timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
                reports.append(
                    (
                        first_report + n,
                        reference,
                        rng.choice(ReporterRole.values),
                        "Landelijke dataset (seed_national).",
                        received.date(),
                        rng.choice(Phase.values),
                        rng.choice(FollowUp.values),
                        rng.choice([*sectors, ""]),
                        rng.choice([*provinces, ""]),
                        received,
                        received.date() + dt.timedelta(days=5),
                    )
                )
                for ground in rng.sample(grounds, k=rng.choice([1, 1, 2])):
                    report_grounds.append((first_report + n, ground))
            result.reports = _insert_full(
                Report,
                [
                    "id",
                    "reference",
                    "reporter_role",
                    "what_happened",
                    "occurred_on",
                    "phase",
                    "follow_up",
                    "sector",
                    "province",
                    "received_at",
                    "reply_due_on",
                ],
                reports,
            )
            _insert(ReportGround, ["report", "ground"], report_grounds)
            self.progress(f"{result.reports:,} meldingen")
        if connection.vendor == "postgresql":
            _reset_sequences([School, Programme, User, Student, Report])
        return result


def analyse_people() -> None:
    """Fresh planner statistics after the bulk load (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (
            User,
            Student,
            Programme,
            School,
            Trainer,
            HandoutDelivery,
            Acknowledgement,
            Report,
            ReportGround,
        ):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
