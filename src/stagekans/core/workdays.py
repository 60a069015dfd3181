"""Dutch working days: Monday to Friday, except the national public holidays.

Pure Python (no Django) so services, jobs and tests share one definition of "3 werkdagen".
Public holidays come from the `holidays` package (holidays.NL: Nieuwjaarsdag, Goede Vrijdag,
Pasen, Koningsdag, Bevrijdingsdag in lustrum years, Hemelvaart, Pinksteren, Kerst).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date n working days after `start` (start itself never counts).

    A report received on Friday with n=3 is due on Wednesday; on a public holiday the clock
    does not run. n must be >= 0; n=0 gives `start` if it is a working day, else the next one.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    if n == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end lies before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
