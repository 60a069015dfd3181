"""Due dates of supervision contacts across weekends, public and school holidays."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stagekans.core.workdays import is_working_day
from stagekans.placements.due import days_overdue, is_school_day, next_contact_due
from stagekans.placements.schoolholidays import (
    SCHOOL_HOLIDAYS,
    Region,
    is_school_holiday,
    region_of_province,
)

days = st.dates(min_value=dt.date(2026, 8, 1), max_value=dt.date(2028, 8, 1))
regions = st.sampled_from(list(Region))
weeks = st.integers(min_value=1, max_value=12)


def _school_days_between(start: dt.date, end: dt.date, region: Region) -> int:
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_school_day(day, region)
    return count


@given(days, weeks, regions)
def test_due_is_exactly_n_school_weeks_later_and_a_school_day(
    last: dt.date, every: int, region: Region
) -> None:
    due = next_contact_due(last_contact=last, every_weeks=every, region=region)
    assert due > last
    assert is_school_day(due, region)
    assert _school_days_between(last, due, region) == 5 * every
    # Holidays only ever push the date later than N calendar weeks.
    assert due >= last + dt.timedelta(weeks=every) - dt.timedelta(days=2)


@given(days, days, weeks, regions)
def test_a_later_contact_never_gives_an_earlier_due_date(
    a: dt.date, b: dt.date, every: int, region: Region
) -> None:
    first, second = sorted((a, b))
    assert next_contact_due(
        last_contact=first, every_weeks=every, region=region
    ) <= next_contact_due(last_contact=second, every_weeks=every, region=region)


@given(days, weeks, regions, st.integers(min_value=0, max_value=200))
def test_never_after_the_end_of_the_internship(
    last: dt.date, every: int, region: Region, length: int
) -> None:
    end = last + dt.timedelta(days=length)
    due = next_contact_due(last_contact=last, every_weeks=every, region=region, end_date=end)
    assert last <= due <= end
    unclamped = next_contact_due(last_contact=last, every_weeks=every, region=region)
    assert due == unclamped or unclamped > end


def test_christmas_holiday_moves_the_date_by_two_weeks() -> None:
    # Friday 11 December 2026 + 2 school weeks: 14-18 Dec, then kerstvakantie (19 Dec - 3 Jan)
    # and Monday 4 Jan 2027 onwards -> the 10th school day is Friday 8 January 2027.
    due = next_contact_due(last_contact=dt.date(2026, 12, 11), every_weeks=2, region=Region.MIDDEN)
    assert due == dt.date(2027, 1, 8)


def test_regions_differ_in_the_spring_holiday() -> None:
    # Voorjaarsvakantie 2027: zuid 6-14 Feb, noord 13-21 Feb, midden 20-28 Feb.
    last = dt.date(2027, 2, 12)
    zuid = next_contact_due(last_contact=last, every_weeks=1, region=Region.ZUID)
    noord = next_contact_due(last_contact=last, every_weeks=1, region=Region.NOORD)
    midden = next_contact_due(last_contact=last, every_weeks=1, region=Region.MIDDEN)
    assert zuid == dt.date(2027, 2, 19)  # its holiday ended on the 14th
    assert noord == dt.date(2027, 2, 26)  # holiday 13-21 Feb
    assert midden == dt.date(2027, 2, 19)  # its holiday starts on the 20th


def test_public_holidays_count_as_no_school_day() -> None:
    # Koningsdag (27 Apr 2027) falls in the meivakantie; Hemelvaart 6 May 2027 does not.
    assert not is_working_day(dt.date(2027, 5, 6))
    due = next_contact_due(last_contact=dt.date(2027, 5, 3), every_weeks=1, region=Region.NOORD)
    assert due == dt.date(2027, 5, 11)


def test_holiday_data_is_consistent() -> None:
    for region in Region:
        for name in (
            "herfstvakantie",
            "kerstvakantie",
            "voorjaarsvakantie",
            "meivakantie",
            "zomervakantie",
        ):
            assert sum(1 for h in SCHOOL_HOLIDAYS if h.region == region and h.name == name) == 2
    for holiday in SCHOOL_HOLIDAYS:
        assert holiday.first_day.weekday() == 5  # Saturday
        assert holiday.last_day.weekday() == 6  # Sunday
    assert is_school_holiday(dt.date(2027, 8, 1), Region.ZUID)
    assert region_of_province("GR") == Region.NOORD
    assert region_of_province("LI") == Region.ZUID
    assert region_of_province("??") == Region.MIDDEN


def test_days_overdue() -> None:
    assert days_overdue(None, dt.date(2027, 1, 1)) == 0
    assert days_overdue(dt.date(2027, 1, 1), dt.date(2027, 1, 1)) == 0
    assert days_overdue(dt.date(2027, 1, 1), dt.date(2027, 1, 16)) == 15
