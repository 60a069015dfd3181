from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stagekans.studyadvice import rules


def weekdays_only(day: dt.date) -> bool:
    return day.weekday() < 5


def test_school_year_runs_from_august() -> None:
    assert rules.school_year_of(dt.date(2026, 7, 31)) == 2025
    assert rules.school_year_of(dt.date(2026, 8, 1)) == 2026


def test_next_moment_is_a_year_later_on_a_working_day() -> None:
    # 20 June 2026 is a Saturday; a year later (20 June 2027) is a Sunday → Monday 21 June.
    moment = rules.next_moment(
        dt.date(2026, 6, 20), is_marked=lambda y: False, is_working_day=weekdays_only
    )
    assert moment == dt.date(2027, 6, 21)


def test_next_moment_skips_marked_years() -> None:
    moment = rules.next_moment(
        dt.date(2026, 6, 15), is_marked=lambda y: y in (2026, 2027), is_working_day=weekdays_only
    )
    assert rules.school_year_of(moment) == 2028


def test_leap_day() -> None:
    moment = rules.next_moment(
        dt.date(2028, 2, 29), is_marked=lambda y: False, is_working_day=lambda d: True
    )
    assert moment == dt.date(2029, 2, 28)


@given(st.dates(dt.date(2001, 1, 1), dt.date(2090, 12, 31)))
def test_next_moment_is_after_the_advice_and_in_a_later_school_year(day: dt.date) -> None:
    moment = rules.next_moment(day, is_marked=lambda y: False, is_working_day=weekdays_only)
    assert moment > day
    assert rules.school_year_of(moment) > rules.school_year_of(day)
    assert weekdays_only(moment)


def test_objection_deadline_is_six_weeks() -> None:
    assert rules.objection_deadline(dt.date(2026, 6, 1)) == dt.date(2026, 7, 13)
