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
from stagekans.placements.workflow import AgreementStatus, ContactKind, PlacementStatus


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


_COMPLIANCE_SQL = """
    SELECT {key} AS k, COUNT(*) AS running,
      SUM(CASE WHEN p.next_contact_due IS NULL OR p.next_contact_due >= %s THEN 1 ELSE 0 END),
      SUM(a.min_site_visits),
      SUM((SELECT COUNT(*) FROM {contact} c
           WHERE c.placement_id = p.id AND c.kind = %s))
    FROM {placement} p
    JOIN {agreement} a ON a.placement_id = p.id AND a.status = %s
    {join}
    WHERE p.school_id = %s AND p.status = %s
    GROUP BY {key}
"""


def _compliance(school: School, *, key: str, join: str, today: dt.date) -> list[tuple[Any, ...]]:
    sql = _COMPLIANCE_SQL.format(
        key=key,
        join=join,
        contact=ContactMoment._meta.db_table,
        placement=Placement._meta.db_table,
        agreement=Agreement._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                today,
                ContactKind.ON_SITE.value,
                AgreementStatus.ACTIVE.value,
                school.pk,
                PlacementStatus.ACTIVE.value,
            ],
        )
        return list(cursor.fetchall())


def compliance_by_team(school: School, today: dt.date | None = None) -> list[ComplianceRow]:
    """Running POKs of the school per team (the qualification's sector)."""
    today = today or timezone.localdate()
    from stagekans.education.models import Qualification

    rows = _compliance(
        school,
        key="q.sector",
        join=f"JOIN {Qualification._meta.db_table} q ON q.id = p.qualification_id",
        today=today,
    )
    labels = dict(Sector.choices)
    result = [
        ComplianceRow(
            str(k), str(labels.get(k, k)), int(n), int(ok or 0), int(ag or 0), int(dn or 0)
        )
        for k, n, ok, ag, dn in rows
    ]
    return sorted(result, key=lambda r: r.label)


def compliance_by_supervisor(school: School, today: dt.date | None = None) -> list[ComplianceRow]:
    """Running POKs of the school per bpv-begeleider ("geen begeleider" for unassigned)."""
    today = today or timezone.localdate()
    rows = _compliance(school, key="p.supervisor_id", join="", today=today)
    names = {
        s.pk: (s.user.get_full_name() or s.user.username)
        for s in SchoolStaff.objects.filter(
            pk__in=[k for k, *_rest in rows if k is not None]
        ).select_related("user")
    }
    result = [
        ComplianceRow(
            str(k or ""),
            names.get(k, "") if k is not None else "",
            int(n),
            int(ok or 0),
            int(ag or 0),
            int(dn or 0),
        )
        for k, n, ok, ag, dn in rows
    ]
    return sorted(result, key=lambda r: (r.key == "", r.label))


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
