"""Reads of the placements domain, scoped to who asks: a student sees their own placements, a
company its own, school staff their school's; nobody else sees a placement.

Compliance of BPV-begeleiding is grouped per team and per begeleider. A school's team is the
sector of the qualification (zorg en welzijn, techniek, …): MBO schools organise their teams
(colleges) by sector, and the sector is on every placement already (docs/adr/0011-placements.md).
Aggregation runs in SQL, a fixed number of queries whatever the number of placements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from stagekans.education.models import School, SchoolStaff, Sector
from stagekans.placements.models import (
    Agreement,
    ContactMoment,
    ContactRequest,
    Evaluation,
    Placement,
)
from stagekans.placements.workflow import AgreementStatus, PlacementStatus


def placements_visible_to(user: Any) -> QuerySet[Placement]:
    qs = Placement.objects.select_related(
        "student",
        "school",
        "company",
        "location",
        "qualification",
        "trainer__user",
        "supervisor__user",
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    student = getattr(user, "student", None)
    if student is not None:
        return qs.filter(student=student)
    trainer = getattr(user, "trainer", None)
    if trainer is not None:
        return qs.filter(company_id=trainer.company_id)
    staff = getattr(user, "school_staff", None)
    if staff is not None and user.has_perm("placements.view_school_placements"):
        return qs.filter(school_id=staff.school_id)
    return qs.none()


def versions(placement: Placement) -> QuerySet[Agreement]:
    return placement.agreements.prefetch_related("signatures__signed_by").order_by("-version")


def active_agreement(placement: Placement) -> Agreement | None:
    return placement.agreements.filter(status=AgreementStatus.ACTIVE).first()


def contacts(placement: Placement) -> QuerySet[ContactMoment]:
    return placement.contacts.select_related("logged_by").order_by("-held_on", "-id")


def open_requests(placement: Placement) -> QuerySet[ContactRequest]:
    return placement.contact_requests.filter(answered_by_contact__isnull=True).order_by(
        "requested_at"
    )


def evaluations(placement: Placement) -> QuerySet[Evaluation]:
    return placement.evaluations.order_by("party")


def supervisees(staff: SchoolStaff) -> QuerySet[Placement]:
    """ "Mijn stagiairs": running placements of a begeleider, overdue first, then by due date."""
    open_request = ContactRequest.objects.filter(
        placement=OuterRef("pk"), answered_by_contact__isnull=True
    )
    return (
        Placement.objects.filter(
            supervisor=staff, status__in=[PlacementStatus.PLANNED, PlacementStatus.ACTIVE]
        )
        .select_related("student", "company", "qualification")
        .annotate(has_request=Exists(open_request))
        .order_by("-has_request", "next_contact_due", "id")
    )


def school_staff_of(school: School) -> QuerySet[SchoolStaff]:
    return (
        SchoolStaff.objects.filter(school=school)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


@dataclass(frozen=True)
class ComplianceRow:
    key: str
    label: str
    running: int
    on_schedule: int
    visits_agreed: int
    visits_done: int

    @property
    def percent_on_schedule(self) -> float | None:
        if not self.running:
            return None
        return round(100 * self.on_schedule / self.running, 1)

    @property
    def overdue(self) -> int:
        return self.running - self.on_schedule


# One pass over the school's running POKs, grouped by team (sector) and begeleider; the team
# and begeleider tables are summed from it in Python (at most sectors × begeleiders rows).
# Agreed and done visits on site are kept on the placement by the services (one row per POK).
_COMPLIANCE_SQL = """
    SELECT q.sector, p.supervisor_id, COUNT(*) AS running,
      SUM(CASE WHEN p.next_contact_due IS NULL OR p.next_contact_due >= %s THEN 1 ELSE 0 END),
      SUM(p.min_site_visits), SUM(p.site_visits_done)
    FROM {placement} p
    JOIN {qualification} q ON q.id = p.qualification_id
    WHERE p.school_id = %s AND p.status = %s
    GROUP BY q.sector, p.supervisor_id
"""


def _compliance_rows(school: School, today: dt.date) -> list[tuple[Any, ...]]:
    from stagekans.education.models import Qualification

    sql = _COMPLIANCE_SQL.format(
        placement=Placement._meta.db_table, qualification=Qualification._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                today,
                school.pk,
                PlacementStatus.ACTIVE.value,
            ],
        )
        return list(cursor.fetchall())


def _sum_by(rows: list[tuple[Any, ...]], index: int) -> dict[Any, list[int]]:
    sums: dict[Any, list[int]] = {}
    for row in rows:
        acc = sums.setdefault(row[index], [0, 0, 0, 0])
        for i, value in enumerate(row[2:6]):
            acc[i] += int(value or 0)
    return sums


def compliance(
    school: School, today: dt.date | None = None
) -> tuple[list[ComplianceRow], list[ComplianceRow]]:
    """Running POKs of the school per team (the qualification's sector) and per bpv-begeleider
    ("" for unassigned), from one query."""
    today = today or timezone.localdate()
    rows = _compliance_rows(school, today)
    labels = dict(Sector.choices)
    by_team = sorted(
        (ComplianceRow(str(k), str(labels.get(k, k)), *v) for k, v in _sum_by(rows, 0).items()),
        key=lambda r: r.label,
    )
    per_supervisor = _sum_by(rows, 1)
    names = {
        s.pk: (s.user.get_full_name() or s.user.username)
        for s in SchoolStaff.objects.filter(
            pk__in=[k for k in per_supervisor if k is not None]
        ).select_related("user")
    }
    by_supervisor = sorted(
        (
            ComplianceRow(str(k or ""), names.get(k, "") if k is not None else "", *v)
            for k, v in per_supervisor.items()
        ),
        key=lambda r: (r.key == "", r.label),
    )
    return by_team, by_supervisor


def compliance_by_team(school: School, today: dt.date | None = None) -> list[ComplianceRow]:
    return compliance(school, today)[0]


def compliance_by_supervisor(school: School, today: dt.date | None = None) -> list[ComplianceRow]:
    return compliance(school, today)[1]


def total_row(rows: list[ComplianceRow], label: str) -> ComplianceRow:
    return ComplianceRow(
        "",
        label,
        sum(r.running for r in rows),
        sum(r.on_schedule for r in rows),
        sum(r.visits_agreed for r in rows),
        sum(r.visits_done for r in rows),
    )


def school_placement_counts(school: School) -> dict[str, int]:
    return dict(
        Placement.objects.filter(school=school)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def overdue_filter(today: dt.date) -> Q:
    return Q(status=PlacementStatus.ACTIVE, next_contact_due__lt=today)
