"""Dutch school holidays per region (regio noord, midden, zuid), as typed data.

Pure Python, no Django. Source: Rijksoverheid, "Overzicht schoolvakanties per schooljaar"
(rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar),
schooljaar 2026-2027 and 2027-2028. The herfst- and voorjaarsvakantie there are OCW's advised
dates (a school may deviate); the other holidays are fixed. Each period runs from its Saturday
up to and including its Sunday, as the Rijksoverheid lists them.

Outside the listed school years no school holidays are known: the due-date computation then
only skips weekends and public holidays (stagekans.core.workdays). Add a school year here each
spring when OCW publishes it (docs/adr/0011-placements.md).

A school's region follows its province (`REGION_OF_PROVINCE`). The official division is by
municipality; the few municipalities that differ from their province's region (e.g. parts of
Gelderland and Noord-Brabant in regio midden, Zeewolde) use their province's region here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Region(StrEnum):
    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


# Province codes as in stagekans.geo.places.Province.
REGION_OF_PROVINCE: dict[str, Region] = {
    "DR": Region.NOORD,
    "FL": Region.NOORD,
    "FR": Region.NOORD,
    "GR": Region.NOORD,
    "NH": Region.NOORD,
    "OV": Region.NOORD,
    "UT": Region.MIDDEN,
    "ZH": Region.MIDDEN,
    "GE": Region.ZUID,
    "LI": Region.ZUID,
    "NB": Region.ZUID,
    "ZE": Region.ZUID,
}


def region_of_province(province: str) -> Region:
    """The holiday region of a province code; regio midden when unknown."""
    return REGION_OF_PROVINCE.get(province, Region.MIDDEN)


@dataclass(frozen=True)
class SchoolHoliday:
    name: str
    region: Region
    first_day: dt.date
    last_day: dt.date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError(f"{self.name}: last day before first day")


def _all(name: str, first: dt.date, last: dt.date) -> list[SchoolHoliday]:
    return [SchoolHoliday(name, region, first, last) for region in Region]


D = dt.date
N, M, Z = Region.NOORD, Region.MIDDEN, Region.ZUID

SCHOOL_HOLIDAYS: tuple[SchoolHoliday, ...] = (
    # Schooljaar 2026-2027
    SchoolHoliday("herfstvakantie", N, D(2026, 10, 17), D(2026, 10, 25)),
    SchoolHoliday("herfstvakantie", M, D(2026, 10, 17), D(2026, 10, 25)),
    SchoolHoliday("herfstvakantie", Z, D(2026, 10, 10), D(2026, 10, 18)),
    *_all("kerstvakantie", D(2026, 12, 19), D(2027, 1, 3)),
    SchoolHoliday("voorjaarsvakantie", N, D(2027, 2, 13), D(2027, 2, 21)),
    SchoolHoliday("voorjaarsvakantie", M, D(2027, 2, 20), D(2027, 2, 28)),
    SchoolHoliday("voorjaarsvakantie", Z, D(2027, 2, 6), D(2027, 2, 14)),
    *_all("meivakantie", D(2027, 4, 24), D(2027, 5, 2)),
    SchoolHoliday("zomervakantie", N, D(2027, 7, 10), D(2027, 8, 22)),
    SchoolHoliday("zomervakantie", M, D(2027, 7, 17), D(2027, 8, 29)),
    SchoolHoliday("zomervakantie", Z, D(2027, 7, 24), D(2027, 9, 5)),
    # Schooljaar 2027-2028
    SchoolHoliday("herfstvakantie", N, D(2027, 10, 16), D(2027, 10, 24)),
    SchoolHoliday("herfstvakantie", M, D(2027, 10, 16), D(2027, 10, 24)),
    SchoolHoliday("herfstvakantie", Z, D(2027, 10, 23), D(2027, 10, 31)),
    *_all("kerstvakantie", D(2027, 12, 25), D(2028, 1, 9)),
    SchoolHoliday("voorjaarsvakantie", N, D(2028, 2, 19), D(2028, 2, 27)),
    SchoolHoliday("voorjaarsvakantie", M, D(2028, 2, 26), D(2028, 3, 5)),
    SchoolHoliday("voorjaarsvakantie", Z, D(2028, 2, 26), D(2028, 3, 5)),
    *_all("meivakantie", D(2028, 4, 29), D(2028, 5, 7)),
    SchoolHoliday("zomervakantie", N, D(2028, 7, 15), D(2028, 8, 27)),
    SchoolHoliday("zomervakantie", M, D(2028, 7, 8), D(2028, 8, 20)),
    SchoolHoliday("zomervakantie", Z, D(2028, 7, 22), D(2028, 9, 3)),
)


@lru_cache(maxsize=8)
def holiday_days(region: Region) -> frozenset[dt.date]:
    """Every day that falls in a school holiday of `region`."""
    days: set[dt.date] = set()
    for holiday in SCHOOL_HOLIDAYS:
        if holiday.region != region:
            continue
        day = holiday.first_day
        while day <= holiday.last_day:
            days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


def is_school_holiday(day: dt.date, region: Region) -> bool:
    return day in holiday_days(region)
