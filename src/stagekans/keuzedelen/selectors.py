"""Reads of the keuzedelen domain; every list is scoped to what the user may see.

A student sees the catalogue and their own requests; school staff see the requests of their own
students (home) and of guests at their school (host); analysts see aggregates only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from stagekans.education.models import School, Student
from stagekans.keuzedelen.models import (
    AgreementVersion,
    AttendanceRecord,
    CooperationAgreement,
    EnrolmentRequest,
    HomeTimetable,
    Keuzedeel,
    Offering,
    PlannedActivity,
)
from stagekans.keuzedelen.workflow import (
    HOLDS_PLACE,
    OPEN_ENROLMENT,
    AttendanceStatus,
    EnrolmentStatus,
    RefusalReason,
    VersionStatus,
)

WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def day_names(mask: int | None) -> str:
    if not mask:
        return "—"
    return ", ".join(name for index, name in enumerate(WEEKDAY_NAMES) if mask & (1 << index))


def _school_of(user: Any) -> School | None:
    staff = getattr(user, "school_staff", None) if user.is_authenticated else None
    return staff.school if staff is not None else None


# -- agreements -------------------------------------------------------------------------------
def active_version(agreement: CooperationAgreement) -> AgreementVersion | None:
    return agreement.versions.filter(status=VersionStatus.ACTIVE).first()


def current_version(agreement: CooperationAgreement) -> AgreementVersion | None:
    """The version that speaks for the agreement now: the one being signed, else the one in
    force, else the newest (all withdrawn)."""
    versions = list(agreement.versions.order_by("-version"))
    for status in (VersionStatus.SIGNING, VersionStatus.ACTIVE):
        found = next((v for v in versions if v.status == status), None)
        if found is not None:
            return found
    return versions[0] if versions else None


def current_partner_ids(agreement: CooperationAgreement) -> set[int]:
    """The partner schools of the current version: who may propose the next one."""
    version = current_version(agreement)
    if version is None:
        return set()
    return set(version.partners.values_list("school_id", flat=True))


def agreements_visible_to(user: Any) -> QuerySet[CooperationAgreement]:
    """Staff: the agreements their school is (or was) a partner in; analysts and admins: all."""
    qs = CooperationAgreement.objects.select_related("host")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("keuzedelen.view_regional_overview") and _school_of(user) is None:
        return qs
    school = _school_of(user)
    if school is None or not user.has_perm("keuzedelen.view_school_keuzedeel_requests"):
        return qs.none()
    return qs.filter(versions__partners__school=school).distinct()


def schools_for_partnership() -> QuerySet[School]:
    return School.objects.order_by("name")


def shared_day_of(agreement: CooperationAgreement) -> int:
    """The shared lesson day of the version in force, else of the one being signed (0: none)."""
    days = dict(
        agreement.versions.filter(
            status__in=[VersionStatus.ACTIVE, VersionStatus.SIGNING]
        ).values_list("status", "shared_day")
    )
    return int(days.get(VersionStatus.ACTIVE, days.get(VersionStatus.SIGNING, 0)) or 0)


def shared_day_warning(offering: Offering) -> str:
    """Why an offering off the agreement's shared lesson day needs care ("" when on it)."""
    shared = shared_day_of(offering.agreement)
    if not shared or offering.weekdays == shared:
        return ""
    return _(
        "De lesdag (%(days)s) is niet de gezamenlijke lesdag van de overeenkomst (%(shared)s). "
        "De eigen opleidingen houden die andere dag niet vrij: studenten jonger dan 18 worden "
        "geweigerd als ze dan les hebben, en roosterbotsingen zijn waarschijnlijker."
    ) % {"days": day_names(offering.weekdays), "shared": day_names(shared)}


def versions_of(agreement: CooperationAgreement) -> QuerySet[AgreementVersion]:
    return (
        agreement.versions.select_related("created_by")
        .prefetch_related("partners__school", "partners__signed_by")
        .order_by("-version")
    )


def partner_school_ids(version: AgreementVersion | None) -> set[int]:
    if version is None:
        return set()
    return set(version.partners.values_list("school_id", flat=True))


# -- catalogue --------------------------------------------------------------------------------
def offerings(*, place_query: str = "", today: dt.date | None = None) -> QuerySet[Offering]:
    """Published offerings that have not ended, with the number of places taken."""
    today = today or dt.date.today()
    qs = (
        Offering.objects.filter(published=True, end_date__gte=today)
        .select_related("keuzedeel", "host", "agreement")
        .annotate(taken=Count("requests", filter=Q(requests__status__in=list(HOLDS_PLACE))))
        .order_by("start_date", "keuzedeel__title", "id")
    )
    if place_query:
        qs = qs.filter(Q(place__icontains=place_query) | Q(keuzedeel__title__icontains=place_query))
    return qs


def catalogue_entries() -> QuerySet[Keuzedeel]:
    return Keuzedeel.objects.order_by("title", "code")


def running_requests(offering: Offering) -> int:
    """Requests still open or holding a place: they fix the offering's day(s) and period."""
    return offering.requests.filter(status__in=list(OPEN_ENROLMENT | HOLDS_PLACE)).count()


def places_taken(offering: Offering) -> int:
    return offering.requests.filter(status__in=list(HOLDS_PLACE)).count()


def offering_visible_to(user: Any, pk: int) -> Offering | None:
    """A published offering for everyone who may see the catalogue; a closed one only for the
    host's own staff."""
    school = _school_of(user)
    visible = Q(published=True)
    if school is not None:
        visible |= Q(host=school)
    return (
        Offering.objects.filter(visible, pk=pk)
        .select_related("keuzedeel", "host", "agreement")
        .first()
    )


def offerings_hosted_by(school: School) -> QuerySet[Offering]:
    return (
        Offering.objects.filter(host=school)
        .select_related("keuzedeel")
        .annotate(taken=Count("requests", filter=Q(requests__status__in=list(HOLDS_PLACE))))
        .order_by("-start_date")
    )


# -- data for the checks ----------------------------------------------------------------------
def home_lesson_days(student: Student) -> int | None:
    timetable = HomeTimetable.objects.filter(
        programme_id=student.programme_id, cohort=student.cohort
    ).first()
    return timetable.lesson_days if timetable else None


def placement_days(student: Student, start: dt.date, end: dt.date) -> int:
    """The weekdays of the student's running placements that overlap the period: the days of
    each placement's signed POK, or of its newest version being signed (placements issue 11)."""
    from stagekans.placements.models import Agreement
    from stagekans.placements.workflow import RUNNING, AgreementStatus

    days = 0
    rows = (
        Agreement.objects.filter(
            placement__student=student,
            placement__status__in=list(RUNNING),
            status__in=[AgreementStatus.ACTIVE, AgreementStatus.SIGNING, AgreementStatus.DRAFT],
            start_date__lte=end,
            end_date__gte=start,
        )
        .order_by("placement_id", "-version")
        .values_list("placement_id", "status", "weekdays")
    )
    chosen: dict[int, int] = {}
    for placement_id, status, weekdays in rows:
        if status == AgreementStatus.ACTIVE or placement_id not in chosen:
            chosen[placement_id] = weekdays
    for weekdays in chosen.values():
        days |= weekdays
    return days


# -- requests ---------------------------------------------------------------------------------
def requests_visible_to(user: Any) -> QuerySet[EnrolmentRequest]:
    qs = EnrolmentRequest.objects.select_related(
        "student__programme__qualification", "offering__keuzedeel", "home_school", "host_school"
    )
    if not user.is_authenticated:
        return qs.none()
    school = _school_of(user)
    if school is not None and user.has_perm("keuzedelen.view_school_keuzedeel_requests"):
        return qs.filter(Q(home_school=school) | Q(host_school=school))
    if user.has_perm("keuzedelen.request_keuzedeel"):
        return qs.filter(student__user=user)
    return qs.none()


def home_queue(school: School) -> QuerySet[EnrolmentRequest]:
    return (
        EnrolmentRequest.objects.filter(home_school=school)
        .select_related("student", "offering__keuzedeel", "host_school")
        .order_by("-created_at", "-id")
    )


def host_queue(school: School) -> QuerySet[EnrolmentRequest]:
    return (
        EnrolmentRequest.objects.filter(host_school=school)
        .exclude(status=EnrolmentStatus.SUBMITTED)
        .exclude(status=EnrolmentStatus.REFUSED, refused_by__in=["checks", "home"])
        .select_related("student", "offering__keuzedeel", "home_school")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class AttendanceSummary:
    present: int
    absent: int
    excused: int

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def absent_percent(self) -> int:
        return round(self.absent * 100 / self.recorded) if self.recorded else 0


def attendance_summary(enrolment: EnrolmentRequest) -> AttendanceSummary:
    counts = dict(
        enrolment.attendance.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return AttendanceSummary(
        present=counts.get(AttendanceStatus.PRESENT, 0),
        absent=counts.get(AttendanceStatus.ABSENT, 0),
        excused=counts.get(AttendanceStatus.EXCUSED, 0),
    )


def attendance_of(enrolment: EnrolmentRequest) -> QuerySet[AttendanceRecord]:
    return enrolment.attendance.order_by("lesson_date")


def attendance_on(offering: Offering, lesson_date: dt.date) -> dict[int, str]:
    """The status recorded per enrolment for one lesson of the offering."""
    return dict(
        AttendanceRecord.objects.filter(
            enrolment__offering=offering, lesson_date=lesson_date
        ).values_list("enrolment_id", "status")
    )


def placed_in(offering: Offering) -> QuerySet[EnrolmentRequest]:
    return (
        offering.requests.filter(status__in=list(HOLDS_PLACE))
        .select_related("student", "home_school")
        .order_by("student__family_name", "student__given_name")
    )


def lesson_dates(offering: Offering, *, until: dt.date | None = None) -> list[dt.date]:
    """Every date in the offering's period on one of its weekdays (up to `until`)."""
    end = min(offering.end_date, until) if until else offering.end_date
    day, dates = offering.start_date, []
    while day <= end:
        if offering.weekdays & (1 << day.weekday()):
            dates.append(day)
        day += dt.timedelta(days=1)
    return dates


# -- home timetable ---------------------------------------------------------------------------
def timetables_of(school: School) -> QuerySet[HomeTimetable]:
    return HomeTimetable.objects.filter(programme__school=school).select_related(
        "programme__qualification"
    )


def activities_of(school: School) -> QuerySet[PlannedActivity]:
    return (
        PlannedActivity.objects.filter(programme__school=school)
        .select_related("programme__qualification")
        .order_by("-date", "-id")
    )


def shared_days_for(school: School) -> int:
    """The shared lesson days of every agreement in force that the school is a partner of."""
    days = 0
    for shared_day in AgreementVersion.objects.filter(
        status=VersionStatus.ACTIVE, partners__school=school
    ).values_list("shared_day", flat=True):
        days |= shared_day
    return days


# -- regional overview ------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionOverview:
    offerings: int
    places: int
    requests: int
    placed: int
    open: int
    refused_by_reason: list[tuple[str, int]]
    flows: list[tuple[str, int]]
    offering_rows: list[Any]


def region_overview(province: str | None) -> RegionOverview:
    """Counts for one province (None: the whole country), all aggregated in SQL."""
    offer_qs = Offering.objects.all()
    request_qs = EnrolmentRequest.objects.all()
    if province:
        offer_qs = offer_qs.filter(host__province=province)
        request_qs = request_qs.filter(host_school__province=province)
    offer_totals = offer_qs.aggregate(n=Count("id"), places=Sum("places"))
    by_status = dict(
        request_qs.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    reasons = dict(
        request_qs.filter(status=EnrolmentStatus.REFUSED)
        .values_list("refusal_reason")
        .annotate(n=Count("id"))
        .values_list("refusal_reason", "n")
    )
    refused = [
        (str(RefusalReason(r).label), reasons[r]) for r in RefusalReason.values if r in reasons
    ]
    flows = [
        (f"{home} → {host}", n)
        for home, host, n in request_qs.filter(status__in=list(HOLDS_PLACE))
        .values_list("student__school__place", "offering__place")
        .annotate(n=Count("id"))
        .order_by("-n", "student__school__place")
        .values_list("student__school__place", "offering__place", "n")[:15]
    ]
    offering_rows = list(
        offer_qs.select_related("keuzedeel", "host")
        .annotate(
            n_requests=Count("requests"),
            n_placed=Count("requests", filter=Q(requests__status__in=list(HOLDS_PLACE))),
        )
        .order_by("host__province", "keuzedeel__title")[:50]
    )
    return RegionOverview(
        offerings=offer_totals["n"],
        places=offer_totals["places"] or 0,
        requests=sum(by_status.values()),
        placed=sum(by_status.get(s, 0) for s in HOLDS_PLACE),
        open=by_status.get(EnrolmentStatus.SUBMITTED, 0)
        + by_status.get(EnrolmentStatus.HOME_APPROVED, 0),
        refused_by_reason=refused,
        flows=flows,
        offering_rows=offering_rows,
    )
