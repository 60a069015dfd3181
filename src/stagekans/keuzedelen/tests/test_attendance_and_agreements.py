"""Attendance back home, the absence alert exactly once, the result; agreement versions and
signing; the shared-day warning for planned activities."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.education.models import School
from stagekans.keuzedelen import selectors
from stagekans.keuzedelen.checks import WEDNESDAY
from stagekans.keuzedelen.services import agreements, attendance, enrolment
from stagekans.keuzedelen.services.timetable import plan_activity
from stagekans.keuzedelen.workflow import (
    AttendanceStatus,
    EnrolmentStatus,
    Result,
    VersionStatus,
)
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from stagekans.testing.keuzedelen import network, sign_by_all, terms

pytestmark = pytest.mark.django_db

A, P = AttendanceStatus.ABSENT, AttendanceStatus.PRESENT


def _school() -> School:
    return cast(School, f.SchoolFactory())


def _placed():
    net = network()
    request = enrolment.request_keuzedeel(
        acting_user=net.student_user, student=net.student, offering=net.offering
    )
    request = enrolment.decide_home(acting_user=net.home_staff, enrolment=request, approve=True)
    request = enrolment.decide_host(acting_user=net.host_staff, enrolment=request, accept=True)
    assert request.status == EnrolmentStatus.ACCEPTED
    return net, request


def _alerts(request) -> int:
    return OutboxMessage.objects.filter(
        dedup_key__startswith=f"keuzedeel-absence-{request.pk}-"
    ).count()


def test_host_records_attendance_and_the_home_school_sees_it_at_once() -> None:
    net, request = _placed()
    lesson = selectors.lesson_dates(net.offering, until=dt.date.today())[0]
    attendance.record_attendance(
        acting_user=net.host_staff,
        offering=net.offering,
        lesson_date=lesson,
        statuses={request.pk: P},
    )
    home_view = selectors.requests_visible_to(net.home_staff).get(pk=request.pk)
    assert selectors.attendance_summary(home_view).present == 1
    assert AuditLog.objects.filter(
        event_type=AuditEvent.KEUZEDEEL_ATTENDANCE_RECORDED.value
    ).exists()


def test_only_the_host_records_and_only_on_lesson_days() -> None:
    net, request = _placed()
    lessons = selectors.lesson_dates(net.offering, until=dt.date.today())
    with pytest.raises(PermissionDenied):
        attendance.record_attendance(
            acting_user=net.home_staff,
            offering=net.offering,
            lesson_date=lessons[0],
            statuses={request.pk: P},
        )
    with pytest.raises(ValidationError, match="geen les"):
        attendance.record_attendance(
            acting_user=net.host_staff,
            offering=net.offering,
            lesson_date=lessons[0] + dt.timedelta(days=1),
            statuses={request.pk: P},
        )


def test_absence_above_the_threshold_alerts_the_home_coordinator_exactly_once() -> None:
    net, request = _placed()
    second_home_staff = f.school_staff_user(net.home)
    lessons = selectors.lesson_dates(net.offering, until=dt.date.today())
    assert len(lessons) >= 4
    # 1 of 1 absent = 100 % > 20 %: the first absence already exceeds.
    attendance.record_attendance(
        acting_user=net.host_staff,
        offering=net.offering,
        lesson_date=lessons[0],
        statuses={request.pk: P},
    )
    assert _alerts(request) == 0
    attendance.record_attendance(
        acting_user=net.host_staff,
        offering=net.offering,
        lesson_date=lessons[1],
        statuses={request.pk: A},
    )
    assert _alerts(request) == 2  # both coordinators of the home school, one mail each
    recipients = set(
        OutboxMessage.objects.filter(
            dedup_key__startswith=f"keuzedeel-absence-{request.pk}-"
        ).values_list("to", flat=True)
    )
    assert recipients == {net.home_staff.email, second_home_staff.email}
    assert net.host_staff.email not in recipients
    # More absences, a correction and a re-recording: still one alert.
    for lesson in lessons[2:4]:
        attendance.record_attendance(
            acting_user=net.host_staff,
            offering=net.offering,
            lesson_date=lesson,
            statuses={request.pk: A},
        )
    attendance.record_attendance(
        acting_user=net.host_staff,
        offering=net.offering,
        lesson_date=lessons[1],
        statuses={request.pk: A},
    )
    request.refresh_from_db()
    assert request.absence_alerted_at is not None
    assert _alerts(request) == 2
    assert (
        AuditLog.objects.filter(
            event_type=AuditEvent.KEUZEDEEL_ABSENCE_ALERTED.value, object_id=str(request.pk)
        ).count()
        == 1
    )


def test_attendance_below_the_threshold_sends_nothing() -> None:
    net, request = _placed()
    lessons = selectors.lesson_dates(net.offering, until=dt.date.today())
    for lesson in lessons[:4]:
        attendance.record_attendance(
            acting_user=net.host_staff,
            offering=net.offering,
            lesson_date=lesson,
            statuses={request.pk: P},
        )
    attendance.record_attendance(
        acting_user=net.host_staff,
        offering=net.offering,
        lesson_date=lessons[4],
        statuses={request.pk: A},
    )  # 1 of 5 = 20 %, not above
    assert _alerts(request) == 0


def test_the_host_records_the_result_and_the_request_is_completed() -> None:
    net, request = _placed()
    done = attendance.record_result(
        acting_user=net.host_staff, enrolment=request, result=Result.PASSED, grade="8,1"
    )
    assert (done.status, done.result, done.result_grade) == (
        EnrolmentStatus.COMPLETED,
        Result.PASSED,
        "8,1",
    )
    with pytest.raises(ValidationError):
        attendance.record_result(acting_user=net.host_staff, enrolment=done, result=Result.FAILED)


# -- agreements -------------------------------------------------------------------------------
def test_every_partner_signs_and_a_change_is_a_new_version() -> None:
    host, home, third = _school(), _school(), _school()
    staff = {s.pk: f.school_staff_user(s) for s in (host, home, third)}
    v1 = agreements.create_agreement(
        acting_user=staff[host.pk],
        title="Pabo Noord",
        host=host,
        partners=[host, home, third],
        terms=terms(),
    )
    assert v1.status == VersionStatus.SIGNING
    v1 = agreements.sign_version(acting_user=staff[host.pk], version=v1)
    with pytest.raises(ValidationError, match="al getekend"):
        agreements.sign_version(acting_user=staff[host.pk], version=v1)
    outsider = f.school_staff_user(f.SchoolFactory())
    with pytest.raises(PermissionDenied):
        agreements.sign_version(acting_user=outsider, version=v1)
    assert selectors.active_version(v1.agreement) is None
    v1 = sign_by_all(v1, staff)
    assert v1.status == VersionStatus.ACTIVE

    v2 = agreements.propose_version(
        acting_user=staff[host.pk],
        agreement=v1.agreement,
        partners=[host, home, third],
        terms=terms(absence_threshold_percent=15),
        change_summary="Verzuimgrens naar 15%.",
    )
    assert v2.version == 2
    # Until everyone signed v2, v1 stays in force and readable.
    assert selectors.active_version(v1.agreement).pk == v1.pk
    with pytest.raises(ValidationError, match="al een versie"):
        agreements.propose_version(
            acting_user=staff[host.pk],
            agreement=v1.agreement,
            partners=[host, home],
            terms=terms(),
            change_summary="Nog een.",
        )
    v2 = sign_by_all(v2, staff)
    v1.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.SUPERSEDED, VersionStatus.ACTIVE)
    assert v1.absence_threshold_percent == 20  # the old text is unchanged


def test_a_two_partner_agreement_is_active_after_both_signed() -> None:
    host, home = _school(), _school()
    staff = {s.pk: f.school_staff_user(s) for s in (host, home)}
    version = agreements.create_agreement(
        acting_user=staff[host.pk], title="Twee", host=host, partners=[host, home], terms=terms()
    )
    assert sign_by_all(version, staff).status == VersionStatus.ACTIVE


def test_an_agreement_needs_the_host_as_partner_and_complete_terms() -> None:
    host, home = _school(), _school()
    with pytest.raises(ValidationError) as error:
        agreements.create_agreement(
            acting_user=f.school_staff_user(home),
            title="X",
            host=host,
            partners=[home],
            terms=terms(insurance=" ", shared_day=3),
        )
    assert {"partners", "insurance", "shared_day"} <= set(error.value.message_dict)


def test_host_withdraws_an_unsigned_version() -> None:
    net = network(signed=False)
    version = agreements.withdraw_version(
        acting_user=net.host_staff, version=net.version, reason="Tekstfout."
    )
    assert version.status == VersionStatus.WITHDRAWN
    with pytest.raises(PermissionDenied):
        agreements.withdraw_version(acting_user=net.home_staff, version=version, reason="x")


# -- shared lesson day ------------------------------------------------------------------------
def _next(weekday_bit: int) -> dt.date:
    day = dt.date.today() + dt.timedelta(days=1)
    while not (1 << day.weekday()) & weekday_bit:
        day += dt.timedelta(days=1)
    return day


def test_an_activity_on_the_shared_day_warns_with_the_placed_students() -> None:
    net, _request = _placed()
    activity = plan_activity(
        acting_user=net.home_staff,
        programme=net.student.programme,
        cohort=2025,
        date=_next(WEDNESDAY),
        title="Excursie Rijksmuseum",
    )
    assert activity.affected_students == 1
    assert "1 student(en)" in activity.warning
    thursday = plan_activity(
        acting_user=net.home_staff,
        programme=net.student.programme,
        cohort=2025,
        date=_next(8),
        title="Projectdag",
    )
    assert thursday.warning == ""


def test_the_shared_day_warns_even_before_anyone_is_placed() -> None:
    net = network()
    activity = plan_activity(
        acting_user=net.home_staff,
        programme=net.student.programme,
        cohort=2025,
        date=_next(WEDNESDAY),
        title="Toetsweek",
    )
    assert activity.affected_students == 0
    assert "gezamenlijke lesdag" in activity.warning
    with pytest.raises(PermissionDenied):
        plan_activity(
            acting_user=net.host_staff,
            programme=net.student.programme,
            cohort=2025,
            date=_next(WEDNESDAY),
            title="Niet van jou",
        )
