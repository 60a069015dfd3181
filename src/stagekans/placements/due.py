"""When the next supervision contact of a placement is due (BPV-protocol). Pure, no Django.

The POK agrees "a contact every N weeks". A week here is a school week: five days that are
working days (Monday to Friday, not a public holiday, stagekans.core.workdays) and not in a
school holiday of the school's region (placements.schoolholidays). So N weeks after the last
contact (or after the start of the internship) is the 5·N-th such school day after it; a
holiday moves the due date later by the days it takes, a public holiday by one day. A due date
never lies after the end of the internship: the last contact is due on its last day at the
latest (or the last school day before it).
"""

from __future__ import annotations

import datetime as dt

from stagekans.core.workdays import is_working_day
from stagekans.placements.schoolholidays import Region, is_school_holiday

SCHOOL_DAYS_PER_WEEK = 5


def is_school_day(day: dt.date, region: Region) -> bool:
    return is_working_day(day) and not is_school_holiday(day, region)


def next_contact_due(
    *, last_contact: dt.date, every_weeks: int, region: Region, end_date: dt.date | None = None
) -> dt.date:
    """The day by which the next contact must have taken place.

    `last_contact` is the day of the last contact, or the first day of the internship when
    there was none yet. Raises ValueError when every_weeks < 1.
    """
    if every_weeks < 1:
        raise ValueError("every_weeks must be >= 1")
    remaining = every_weeks * SCHOOL_DAYS_PER_WEEK
    day = last_contact
    while remaining:
        day += dt.timedelta(days=1)
        if is_school_day(day, region):
            remaining -= 1
    if end_date is not None and day > end_date:
        # Due on the last school day of the internship (never before the last contact).
        day = max(end_date, last_contact)
        while day > last_contact and not is_school_day(day, region):
            day -= dt.timedelta(days=1)
    return day


def days_overdue(due: dt.date | None, today: dt.date) -> int:
    """Calendar days past the due date (0 when not overdue or no due date)."""
    if due is None or today <= due:
        return 0
    return (today - due).days
