"""Requests, the stored checks, and the decisions of both schools (through the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.keuzedelen.checks import FRIDAY, MONDAY, WEDNESDAY
from stagekans.keuzedelen.models import EnrolmentRequest
from stagekans.keuzedelen.services import enrolment as services
from stagekans.keuzedelen.services.timetable import set_timetable
from stagekans.keuzedelen.workflow import EnrolmentStatus, RefusalReason, Side
from stagekans.testing import factories as f
from stagekans.testing.keuzedelen import network, running_placement_days

pytestmark = pytest.mark.django_db

ALL_WEEK = 31


def _request(net, **kwargs):
    return services.request_keuzedeel(
        acting_user=net.student_user, student=net.student, offering=net.offering, **kwargs
    )


def _check(enrolment: EnrolmentRequest, code: str) -> dict:
    return next(c for c in enrolment.checks if c["check"] == code)


def test_a_request_that_passes_waits_for_the_home_school_with_its_checks_stored() -> None:
    net = network()
    enrolment = _request(net, motivation="Ik wil naar de pabo.")
    assert enrolment.status == EnrolmentStatus.SUBMITTED
    assert {c["check"] for c in enrolment.checks} == {
        "agreement",
        "entry",
        "capacity",
        "timetable",
        "placement",
        "travel",
        "under_18",
    }
    assert all(c["message"] for c in enrolment.checks)
    assert 45 <= enrolment.travel_minutes <= 60  # Assen → Groningen
    assert AuditLog.objects.filter(
        event_type=AuditEvent.KEUZEDEEL_REQUESTED.value, object_id=str(enrolment.pk)
    ).exists()


def test_timetable_clash_for_an_adult_is_a_warning_the_coordinators_see() -> None:
    net = network(shared_day=0)
    set_timetable(
        acting_user=net.home_staff,
        programme=net.student.programme,
        cohort=2025,
        lesson_days=ALL_WEEK,
    )
    enrolment = _request(net)
    assert enrolment.status == EnrolmentStatus.SUBMITTED
    timetable = _check(enrolment, "timetable")
    assert not timetable["passed"] and not timetable["blocking"]
    assert "botst met lessen" in timetable["message"]


def test_under_18_with_a_lesson_on_the_keuzedeel_day_is_refused_with_the_reason() -> None:
    start = dt.date.today() - dt.timedelta(days=42)
    net = network(shared_day=0, date_of_birth=start.replace(year=start.year - 16))
    set_timetable(
        acting_user=net.home_staff,
        programme=net.student.programme,
        cohort=2025,
        lesson_days=ALL_WEEK,
    )
    enrolment = _request(net)
    assert enrolment.status == EnrolmentStatus.REFUSED
    assert enrolment.refused_by == Side.CHECKS
    assert enrolment.refusal_reason == RefusalReason.UNDER_18
    assert "jonger dan 18" in _check(enrolment, "under_18")["message"]
    assert AuditLog.objects.filter(
        event_type=AuditEvent.KEUZEDEEL_REFUSED.value, object_id=str(enrolment.pk)
    ).exists()


def test_under_18_is_fine_when_the_agreement_keeps_the_day_free() -> None:
    start = dt.date.today() - dt.timedelta(days=42)
    net = network(shared_day=WEDNESDAY, date_of_birth=start.replace(year=start.year - 16))
    set_timetable(
        acting_user=net.home_staff,
        programme=net.student.programme,
        cohort=2025,
        lesson_days=ALL_WEEK,
    )
    assert _request(net).status == EnrolmentStatus.SUBMITTED


def test_under_18_without_a_home_timetable_is_refused() -> None:
    start = dt.date.today() - dt.timedelta(days=42)
    net = network(date_of_birth=start.replace(year=start.year - 17))
    enrolment = _request(net)
    assert enrolment.refusal_reason == RefusalReason.UNDER_18
    assert "Leg eerst het rooster vast" in _check(enrolment, "under_18")["message"]


def test_a_running_poks_day_clashes() -> None:
    net = network()
    running_placement_days(
        net.student, WEDNESDAY | FRIDAY, net.offering.start_date, net.offering.end_date
    )
    enrolment = _request(net)
    assert enrolment.refusal_reason == RefusalReason.PLACEMENT
    assert "stagedag" in _check(enrolment, "placement")["message"]


def test_placement_on_other_days_does_not_clash() -> None:
    net = network()
    running_placement_days(
        net.student, MONDAY | FRIDAY, net.offering.start_date, net.offering.end_date
    )
    assert _request(net).status == EnrolmentStatus.SUBMITTED


def test_travel_time_above_the_threshold_is_refused(settings) -> None:
    net = network(student_place="Maastricht", student_postcode="6211 AB")
    enrolment = _request(net)
    assert enrolment.status == EnrolmentStatus.REFUSED
    assert enrolment.refusal_reason == RefusalReason.TRAVEL
    assert enrolment.travel_minutes > 90
    settings.KEUZEDELEN_MAX_TRAVEL_MINUTES = 600
    other = network(student_place="Maastricht", student_postcode="6211 AB")
    assert _request(other).status == EnrolmentStatus.SUBMITTED


def test_an_unsigned_agreement_refuses() -> None:
    net = network(signed=False)
    assert _request(net).refusal_reason == RefusalReason.AGREEMENT


def test_approval_on_both_sides_places_the_student() -> None:
    net = network()
    enrolment = _request(net)
    with pytest.raises(PermissionDenied):  # the host cannot decide for the home school
        services.decide_home(acting_user=net.host_staff, enrolment=enrolment, approve=True)
    with pytest.raises(ValidationError, match="wacht niet"):  # host before home
        services.decide_host(acting_user=net.host_staff, enrolment=enrolment, accept=True)
    enrolment = services.decide_home(
        acting_user=net.home_staff, enrolment=enrolment, approve=True, note="Past goed."
    )
    assert enrolment.status == EnrolmentStatus.HOME_APPROVED
    with pytest.raises(PermissionDenied):
        services.decide_host(acting_user=net.home_staff, enrolment=enrolment, accept=True)
    enrolment = services.decide_host(acting_user=net.host_staff, enrolment=enrolment, accept=True)
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    assert enrolment.home_decided_by == net.home_staff
    assert enrolment.host_decided_by == net.host_staff
    events = set(
        AuditLog.objects.filter(object_id=str(enrolment.pk)).values_list("event_type", flat=True)
    )
    assert {AuditEvent.KEUZEDEEL_HOME_APPROVED.value, AuditEvent.KEUZEDEEL_ACCEPTED.value} <= events
    with pytest.raises(ValidationError):
        services.decide_home(acting_user=net.home_staff, enrolment=enrolment, approve=True)


def test_a_refusal_needs_a_reason_and_is_stored_with_the_side() -> None:
    net = network()
    enrolment = _request(net)
    with pytest.raises(ValidationError, match="reden"):
        services.decide_home(acting_user=net.home_staff, enrolment=enrolment, approve=False)
    enrolment = services.decide_home(
        acting_user=net.home_staff,
        enrolment=enrolment,
        approve=False,
        reason=RefusalReason.STUDY_PROGRESS,
        note="Eerst de achterstand inhalen.",
    )
    assert (enrolment.status, enrolment.refused_by) == (EnrolmentStatus.REFUSED, Side.HOME)


def test_the_host_refusal_is_recorded_for_the_host() -> None:
    net = network()
    enrolment = services.decide_home(
        acting_user=net.home_staff, enrolment=_request(net), approve=True
    )
    enrolment = services.decide_host(
        acting_user=net.host_staff,
        enrolment=enrolment,
        accept=False,
        reason=RefusalReason.CAPACITY,
    )
    assert (enrolment.refused_by, enrolment.refusal_reason) == (Side.HOST, RefusalReason.CAPACITY)


def test_checks_run_again_at_approval_a_new_pok_day_refuses() -> None:
    net = network()
    enrolment = _request(net)
    running_placement_days(net.student, WEDNESDAY, net.offering.start_date, net.offering.end_date)
    enrolment = services.decide_home(acting_user=net.home_staff, enrolment=enrolment, approve=True)
    assert enrolment.status == EnrolmentStatus.REFUSED
    assert (enrolment.refused_by, enrolment.refusal_reason) == (
        Side.CHECKS,
        RefusalReason.PLACEMENT,
    )


def test_the_last_place_goes_once() -> None:
    net = network(places=1)
    first = services.decide_home(acting_user=net.home_staff, enrolment=_request(net), approve=True)
    other = f.StudentFactory(
        programme=net.student.programme,
        postcode="9401 AB",
        place="Assen",
        cohort=2025,
        date_of_birth=dt.date(2004, 1, 1),
    )
    second = services.request_keuzedeel(
        acting_user=net.home_staff, student=other, offering=net.offering
    )
    second = services.decide_home(acting_user=net.home_staff, enrolment=second, approve=True)
    services.decide_host(acting_user=net.host_staff, enrolment=first, accept=True)
    second = services.decide_host(acting_user=net.host_staff, enrolment=second, accept=True)
    assert second.refusal_reason == RefusalReason.CAPACITY


def test_group_request_checks_each_student() -> None:
    net = network()
    minor: Any = f.StudentFactory(
        programme=net.student.programme,
        postcode="9401 AB",
        place="Assen",
        cohort=2025,
        date_of_birth=dt.date.today().replace(year=dt.date.today().year - 16),
    )
    created = services.request_for_group(
        acting_user=net.home_staff, students=[net.student, minor], offering=net.offering
    )
    assert [e.status for e in created] == [EnrolmentStatus.SUBMITTED, EnrolmentStatus.REFUSED]
    assert all(e.requested_by == net.home_staff for e in created)


def test_nobody_else_may_request_for_a_student() -> None:
    net = network()
    outsider = f.school_staff_user(f.SchoolFactory())
    with pytest.raises(PermissionDenied):
        services.request_keuzedeel(acting_user=outsider, student=net.student, offering=net.offering)


def test_a_second_open_request_is_refused() -> None:
    net = network()
    _request(net)
    with pytest.raises(ValidationError, match="al een aanvraag"):
        _request(net)


def test_withdraw_by_the_student() -> None:
    net = network()
    enrolment = services.withdraw(acting_user=net.student_user, enrolment=_request(net))
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw(acting_user=net.student_user, enrolment=enrolment)
