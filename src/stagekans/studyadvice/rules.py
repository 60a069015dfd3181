"""Pure date rules of study advice (no Django): the school year of a date, the next advice
moment after a postponement, and the objection deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

SCHOOL_YEAR_START_MONTH = 8  # the mbo school year runs from 1 August to 31 July
OBJECTION_DAYS = 42  # six weeks, the general term for objection and appeal


def school_year_of(day: dt.date) -> int:
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def _same_day_next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_moment(
    advice_date: dt.date,
    *,
    is_marked: Callable[[int], bool],
    is_working_day: Callable[[dt.date], bool],
) -> dt.date:
    """The same point in the first following school year that is not marked niet-bindend,
    moved to the next working day. A postponed advice is given again then."""
    moment = _same_day_next_year(advice_date)
    for _ in range(10):
        if not is_marked(school_year_of(moment)):
            break
        moment = _same_day_next_year(moment)
    while not is_working_day(moment):
        moment += dt.timedelta(days=1)
    return moment


def objection_deadline(advice_date: dt.date) -> dt.date:
    return advice_date + dt.timedelta(days=OBJECTION_DAYS)
