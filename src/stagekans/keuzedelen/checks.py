"""The enrolment checks for a keuzedeel at another institution, as a pure module (no Django).

Input is plain data (weekday bitmasks, ages, coordinates, counts); output is one `Outcome` per
check with a stable code and the figures behind it. The Django layer (`services/enrolment.py`)
gathers the data once, calls `run_checks`, turns the outcomes into Dutch sentences and stores
them on the request, so the student and both coordinators see the same reasons later.

Weekdays are bitmasks as in the POK (placements.Agreement.weekdays): Monday = 1, Tuesday = 2,
Wednesday = 4, Thursday = 8, Friday = 16, Saturday = 32, Sunday = 64.

Travel time model (ADR 0031): door-to-door by public transport, estimated from the straight-line
distance as ``ACCESS_MINUTES + distance × DETOUR_FACTOR / SPEED_KMH × 60``. The fixed part covers
walking, waiting and changing; the detour factor turns a straight line into a route; the speed is
the mean of bus and regional train including stops. Calibrated on a few regional trips (Assen →
Groningen, 25 km: ~50 minutes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = (1, 2, 4, 8, 16, 32, 64)
ALL_DAYS = 127
WEEKDAY_BITS: tuple[int, ...] = (MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY)

ACCESS_MINUTES = 10.0
DETOUR_FACTOR = 1.25
SPEED_KMH = 45.0
ADULT_AGE = 18


def day_bit(iso_weekday: int) -> int:
    """The bit of an ISO weekday (Monday = 1 … Sunday = 7)."""
    if not 1 <= iso_weekday <= 7:
        raise ValueError("iso_weekday must be 1..7")
    return 1 << (iso_weekday - 1)


def days_in(mask: int) -> list[int]:
    """The ISO weekdays (1..7) set in a bitmask, in order."""
    return [index + 1 for index, bit in enumerate(WEEKDAY_BITS) if mask & bit]


def estimate_travel_minutes(distance_km: float) -> int:
    """One-way door-to-door minutes by public transport for a straight-line distance."""
    if distance_km < 0 or math.isnan(distance_km):
        raise ValueError("distance must be a non-negative number")
    return math.ceil(ACCESS_MINUTES + distance_km * DETOUR_FACTOR / SPEED_KMH * 60)


def age_on(birth_year: int, birth_month: int, birth_day: int, y: int, m: int, d: int) -> int:
    """Completed years on a date (29 February birthdays count from 1 March in other years)."""
    age = y - birth_year
    if (m, d) < (birth_month, birth_day):
        age -= 1
    return age


class Check(StrEnum):
    """Stable codes; also the refusal reasons of the regional overview."""

    AGREEMENT = "agreement"
    ENTRY = "entry"
    CAPACITY = "capacity"
    TIMETABLE = "timetable"
    PLACEMENT = "placement"
    TRAVEL = "travel"
    UNDER_18 = "under_18"


@dataclass(frozen=True)
class Outcome:
    check: Check
    passed: bool
    # A failed blocking check refuses the request; a failed non-blocking one is a warning the
    # coordinators weigh (an adult may miss a home lesson with consent; an under-18 may not).
    blocking: bool
    figures: dict[str, int | float | str | bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckInput:
    keuzedeel_days: int
    # None when the home programme has no timetable for the student's cohort.
    home_lesson_days: int | None
    # The agreement's shared lesson day, which partner programmes keep free (0: none).
    agreement_free_days: int
    placement_days: int
    age_at_start: int
    distance_km: float
    max_travel_minutes: int
    agreement_in_force: bool
    student_school_is_partner: bool
    student_niveau: int
    min_niveau: int
    places: int
    places_taken: int


def run_checks(data: CheckInput) -> list[Outcome]:
    outcomes: list[Outcome] = []
    outcomes.append(
        Outcome(
            Check.AGREEMENT,
            data.agreement_in_force and data.student_school_is_partner,
            blocking=True,
            figures={
                "in_force": data.agreement_in_force,
                "partner": data.student_school_is_partner,
            },
        )
    )
    outcomes.append(
        Outcome(
            Check.ENTRY,
            data.student_niveau >= data.min_niveau,
            blocking=True,
            figures={"niveau": data.student_niveau, "min_niveau": data.min_niveau},
        )
    )
    outcomes.append(
        Outcome(
            Check.CAPACITY,
            data.places_taken < data.places,
            blocking=True,
            figures={"places": data.places, "taken": data.places_taken},
        )
    )
    minor = data.age_at_start < ADULT_AGE
    if data.home_lesson_days is None:
        lesson_clash: int | None = None
    else:
        lesson_clash = data.keuzedeel_days & data.home_lesson_days & ~data.agreement_free_days
    outcomes.append(
        Outcome(
            Check.TIMETABLE,
            lesson_clash == 0,
            # Unknown timetable or a clash: a warning for adults; for a minor the under-18
            # check below decides (and blocks).
            blocking=False,
            figures={"clash_days": lesson_clash, "known": data.home_lesson_days is not None},
        )
    )
    placement_clash = data.keuzedeel_days & data.placement_days
    outcomes.append(
        Outcome(
            Check.PLACEMENT,
            placement_clash == 0,
            blocking=True,
            figures={"clash_days": placement_clash},
        )
    )
    minutes = estimate_travel_minutes(data.distance_km)
    outcomes.append(
        Outcome(
            Check.TRAVEL,
            minutes <= data.max_travel_minutes,
            blocking=True,
            figures={
                "minutes": minutes,
                "max_minutes": data.max_travel_minutes,
                "distance_km": round(data.distance_km, 1),
            },
        )
    )
    # Compulsory attendance: a student under 18 must attend every home lesson, so the
    # keuzedeel day must be free in the home timetable (an unknown timetable proves nothing).
    outcomes.append(
        Outcome(
            Check.UNDER_18,
            (not minor) or lesson_clash == 0,
            blocking=True,
            figures={"age": data.age_at_start, "minor": minor, "clash_days": lesson_clash},
        )
    )
    return outcomes


def first_blocking_failure(outcomes: list[Outcome]) -> Outcome | None:
    return next((o for o in outcomes if o.blocking and not o.passed), None)


def absence_exceeds(*, absent: int, recorded: int, threshold_percent: int) -> bool:
    """True when the share of absent lessons is above the threshold (not at it)."""
    if recorded <= 0:
        return False
    return absent * 100 > threshold_percent * recorded
