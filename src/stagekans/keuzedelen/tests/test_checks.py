"""The pure enrolment checks: each check passes and fails where it should."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stagekans.keuzedelen import checks
from stagekans.keuzedelen.checks import FRIDAY, MONDAY, WEDNESDAY, Check, CheckInput

BASE = CheckInput(
    keuzedeel_days=WEDNESDAY,
    home_lesson_days=MONDAY | 2 | 8 | FRIDAY,  # Wednesday free
    agreement_free_days=0,
    placement_days=0,
    age_at_start=19,
    distance_km=25.0,
    max_travel_minutes=90,
    agreement_in_force=True,
    student_school_is_partner=True,
    student_niveau=4,
    min_niveau=3,
    places=10,
    places_taken=3,
)


def outcome(data: CheckInput, check: Check) -> checks.Outcome:
    return next(o for o in checks.run_checks(data) if o.check == check)


def with_(**changes: object) -> CheckInput:
    return dataclasses.replace(BASE, **changes)


def test_everything_in_order_passes_every_check() -> None:
    assert all(o.passed for o in checks.run_checks(BASE))
    assert checks.first_blocking_failure(checks.run_checks(BASE)) is None


def test_timetable_clash_is_a_warning_for_an_adult() -> None:
    data = with_(home_lesson_days=31)
    timetable = outcome(data, Check.TIMETABLE)
    assert not timetable.passed and not timetable.blocking
    assert timetable.figures["clash_days"] == WEDNESDAY
    assert outcome(data, Check.UNDER_18).passed
    assert checks.first_blocking_failure(checks.run_checks(data)) is None


def test_the_agreements_free_day_does_not_clash() -> None:
    data = with_(home_lesson_days=31, agreement_free_days=WEDNESDAY, age_at_start=16)
    assert outcome(data, Check.TIMETABLE).passed
    assert outcome(data, Check.UNDER_18).passed


def test_under_18_must_have_the_day_free() -> None:
    data = with_(home_lesson_days=31, age_at_start=17)
    failure = checks.first_blocking_failure(checks.run_checks(data))
    assert failure is not None and failure.check == Check.UNDER_18
    assert outcome(with_(age_at_start=17), Check.UNDER_18).passed


def test_under_18_without_a_known_timetable_is_refused() -> None:
    data = with_(home_lesson_days=None, age_at_start=16)
    assert not outcome(data, Check.UNDER_18).passed
    adult = with_(home_lesson_days=None)
    assert outcome(adult, Check.UNDER_18).passed
    assert not outcome(adult, Check.TIMETABLE).blocking


def test_a_placement_day_clash_blocks() -> None:
    data = with_(placement_days=WEDNESDAY | FRIDAY)
    result = outcome(data, Check.PLACEMENT)
    assert not result.passed and result.blocking
    assert result.figures["clash_days"] == WEDNESDAY
    assert outcome(with_(placement_days=MONDAY | FRIDAY), Check.PLACEMENT).passed


def test_travel_above_the_threshold_blocks() -> None:
    far = with_(distance_km=120.0)
    result = outcome(far, Check.TRAVEL)
    assert not result.passed and result.blocking
    assert result.figures["minutes"] == checks.estimate_travel_minutes(120.0)
    assert outcome(with_(distance_km=120.0, max_travel_minutes=300), Check.TRAVEL).passed


def test_travel_model_figures() -> None:
    assert checks.estimate_travel_minutes(0) == 10
    assert checks.estimate_travel_minutes(25) == 52  # Assen → Groningen
    assert checks.estimate_travel_minutes(60) == 110
    with pytest.raises(ValueError):
        checks.estimate_travel_minutes(-1)


@given(st.floats(0, 400), st.floats(0, 400))
def test_travel_time_grows_with_distance(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert checks.estimate_travel_minutes(low) <= checks.estimate_travel_minutes(high)


def test_capacity_entry_and_agreement() -> None:
    assert not outcome(with_(places_taken=10), Check.CAPACITY).passed
    assert not outcome(with_(student_niveau=2), Check.ENTRY).passed
    assert not outcome(with_(agreement_in_force=False), Check.AGREEMENT).passed
    assert not outcome(with_(student_school_is_partner=False), Check.AGREEMENT).passed


def test_age_on_birthdays() -> None:
    assert checks.age_on(2008, 3, 14, 2026, 3, 13) == 17
    assert checks.age_on(2008, 3, 14, 2026, 3, 14) == 18
    assert checks.age_on(2008, 2, 29, 2026, 2, 28) == 17
    assert checks.age_on(2008, 2, 29, 2026, 3, 1) == 18


def test_absence_threshold_is_strictly_above() -> None:
    assert not checks.absence_exceeds(absent=1, recorded=5, threshold_percent=20)
    assert checks.absence_exceeds(absent=2, recorded=5, threshold_percent=20)
    assert not checks.absence_exceeds(absent=0, recorded=0, threshold_percent=20)


@given(st.integers(0, 127))
def test_days_in_round_trips(mask: int) -> None:
    rebuilt = 0
    for day in checks.days_in(mask):
        rebuilt |= checks.day_bit(day)
    assert rebuilt == mask
