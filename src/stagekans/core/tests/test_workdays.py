"""The 3-working-day clock: weekends and Dutch public holidays do not count."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stagekans.core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (D(2026, 3, 2), 3, D(2026, 3, 5), "Monday → Thursday"),
        (D(2026, 3, 6), 3, D(2026, 3, 11), "Friday → Wednesday over the weekend"),
        (D(2026, 3, 7), 3, D(2026, 3, 11), "Saturday → Wednesday"),
        (D(2026, 3, 8), 3, D(2026, 3, 11), "Sunday → Wednesday"),
        (D(2026, 4, 24), 3, D(2026, 4, 30), "Friday before Koningsdag (Mon 27 April 2026)"),
        (D(2026, 4, 2), 3, D(2026, 4, 9), "Thursday before Easter: Good Friday, Easter Monday"),
        (D(2026, 12, 24), 3, D(2026, 12, 30), "Christmas Eve: 25/26 Dec, weekend"),
        (D(2025, 12, 24), 3, D(2025, 12, 31), "Christmas 2025 on Thu/Fri, then a weekend"),
        (D(2026, 5, 13), 1, D(2026, 5, 15), "Ascension Day (Thu 14 May 2026)"),
        (D(2026, 3, 2), 0, D(2026, 3, 2), "n=0 on a working day"),
        (D(2026, 3, 7), 0, D(2026, 3, 9), "n=0 on a Saturday → Monday"),
    ],
)
def test_add_working_days(start, n, expected, why):
    assert add_working_days(start, n) == expected, why


def test_holidays_are_not_working_days():
    assert not is_working_day(D(2026, 4, 27))  # Koningsdag
    assert not is_working_day(D(2026, 4, 6))  # Tweede Paasdag
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 3, 7))  # Saturday
    assert is_working_day(D(2026, 4, 28))


def test_working_days_between():
    assert working_days_between(D(2026, 4, 24), D(2026, 4, 30)) == 3
    assert working_days_between(D(2026, 4, 30), D(2026, 4, 24)) == -3
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 2), -1)


@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    n=st.integers(min_value=1, max_value=30),
)
def test_add_then_count_round_trips(start, n):
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert working_days_between(start, due) == n
    assert due > start
