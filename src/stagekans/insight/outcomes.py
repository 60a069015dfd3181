"""Outcome measures aggregated in SQL, rolled up with numpy, published through insight.publish.

One GROUP BY over the student-year facts (insight.facts, one row per student and school year,
kept in step by the services) gives the finest cube (school year × strategy × sector × region ×
level × herkomst × disability × gender) with the sums of every measure; numpy rolls that cube up
to each published table. The background groups come from a temporary table filled by
background.selectors inside the same transaction. `from_rows=True` computes the same cube from
every application and placement instead (the check the facts must pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection

from stagekans.applications.workflow import RejectionReason
from stagekans.background.models import Attribute
from stagekans.background.selectors import GROUP_CODES, REFERENCE_CODE
from stagekans.education.models import Sector
from stagekans.geo.places import Province
from stagekans.insight import facts
from stagekans.insight.models import Breakdown, Measure
from stagekans.insight.publish import CountTable, placed_payloads, rate_payloads, share_payload
from stagekans.placements.workflow import PlacementSource

STRATEGIES: list[tuple[str, str]] = [(str(k), str(v)) for k, v in PlacementSource.choices]
SECTORS: list[tuple[str, str]] = [(str(k), str(v)) for k, v in Sector.choices]
REGIONS: list[tuple[str, str]] = [(str(k), str(v)) for k, v in Province.choices]
LEVELS: list[tuple[str, str]] = [(str(n), f"Niveau {n}") for n in range(1, 5)]
REASONS: list[tuple[str, str]] = [(str(k), str(v)) for k, v in RejectionReason.choices]
ATTRIBUTES: list[str] = [str(Attribute.HERKOMST), str(Attribute.DISABILITY), str(Attribute.GENDER)]
# Sums per finest cell, in this order.
SUMS = ["n", "placed_first", "applications", "placed", "days", "days_sq", "unplaced_start"]


def student_years_sql(groups_table: str) -> str:
    """The finest cube: the sums of every measure and the refusals per reason, per school year ×
    strategy × sector × region × level × herkomst × disability × gender; one GROUP BY over the
    student-year facts."""
    refused = "".join(f", SUM(f.{column})" for column in facts.REFUSAL_COLUMNS.values())
    return f"""
        SELECT f.school_year, f.strategy, f.sector, f.region, f.level,
               COALESCE(g.herkomst, 0), COALESCE(g.disability, 0), COALESCE(g.gender, 0),
               COUNT(*), SUM(f.placed_first), SUM(f.applications), SUM(f.placed),
               SUM(f.days), SUM(f.days_sq), SUM(f.unplaced_start){refused}
          FROM {facts.FACTS_TABLE} f
          LEFT JOIN {groups_table} g ON g.student_id = f.student_id
         GROUP BY f.school_year, f.strategy, f.sector, f.region, f.level,
                  COALESCE(g.herkomst, 0), COALESCE(g.disability, 0), COALESCE(g.gender, 0)
    """  # noqa: S608 - only module constants are interpolated


def student_year_rows_sql(groups_table: str) -> str:
    """One row per student-year (for the pseudonymised research extract only)."""
    return f"""
        SELECT f.student_id, f.school_year, f.strategy, f.sector, f.region, f.level,
               COALESCE(g.herkomst, 0), COALESCE(g.disability, 0), COALESCE(g.gender, 0),
               f.placed_first, f.applications, f.placed, f.days, f.unplaced_start
          FROM {facts.FACTS_TABLE} f
          LEFT JOIN {groups_table} g ON g.student_id = f.student_id
         ORDER BY f.school_year, f.student_id
    """  # noqa: S608 - only module constants are interpolated


def _index(options: list[tuple[str, str]]) -> dict[str, int]:
    return {key: i for i, (key, _label) in enumerate(options)}


@dataclass
class Cubes:
    years: list[int]
    outcome: npt.NDArray[np.float64]  # (Y, strategy, sector, region, level, H, D, G, SUMS)
    refusals: npt.NDArray[np.int64]  # (Y, sector, region, reason, H, D, G)
    student_years: int


def load_cubes(groups_table: str) -> Cubes:
    with connection.cursor() as cursor:
        cursor.execute(student_years_sql(groups_table))
        rows = cursor.fetchall()
    years = sorted({int(r[0]) for r in rows})
    yi = {y: i for i, y in enumerate(years)}
    si, seci, ri, li = _index(STRATEGIES), _index(SECTORS), _index(REGIONS), _index(LEVELS)
    hn, dn, gn = (len(GROUP_CODES[a]) for a in ATTRIBUTES)
    outcome = np.zeros(
        (
            len(years),
            len(STRATEGIES),
            len(SECTORS),
            len(REGIONS),
            len(LEVELS),
            hn,
            dn,
            gn,
            len(SUMS),
        )
    )
    refusals = np.zeros(
        (len(years), len(SECTORS), len(REGIONS), len(REASONS), hn, dn, gn), dtype=np.int64
    )
    first_refusal = 8 + len(SUMS)
    for row in rows:
        sector, region = seci.get(row[2]), ri.get(row[3])
        if None in (sector, region):
            continue
        y, h, d, g = yi[int(row[0])], row[5], row[6], row[7]
        # Refusals by school year, sector, region and group: summed over strategy and level.
        refusals[y, sector, region, :, h, d, g] += [int(v or 0) for v in row[first_refusal:]]
        strategy, level = si.get(row[1]), li.get(str(row[4]))
        if strategy is None or level is None:
            continue
        outcome[y, strategy, sector, region, level, h, d, g] = [
            float(v or 0) for v in row[8:first_refusal]
        ]
    return Cubes(years, outcome, refusals, int(outcome[..., 0].sum()))


def _collapse_groups(cube: npt.NDArray[Any], first_group_axis: int, attribute: str) -> Any:
    """Keep the axis of `attribute`, sum the other two background axes."""
    position = ATTRIBUTES.index(attribute)
    others = tuple(first_group_axis + i for i in range(3) if i != position)
    return cube.sum(axis=others)


BREAKDOWN_AXES: dict[
    str, tuple[int, list[tuple[str, str]]]
] = {  # axes of the per-year cube (strategy, sector, region, level, group, sums)
    Breakdown.STRATEGY: (0, STRATEGIES),
    Breakdown.SECTOR: (1, SECTORS),
    Breakdown.REGION: (2, REGIONS),
    Breakdown.LEVEL: (3, LEVELS),
}


def _breakdown_tables(
    sub: npt.NDArray[np.float64], options: dict[str, list[tuple[str, str]]]
) -> dict[str, list[CountTable]]:
    """sub: (strategy, sector, region, level, group, sums) → the count tables per measure;
    options: the rows of each breakdown (a filtered axis keeps only its one value)."""
    shaped: list[tuple[str, list[str], list[str], npt.NDArray[np.float64]]] = [
        (str(Breakdown.TOTAL), [""], ["Totaal"], sub.sum(axis=(0, 1, 2, 3))[None, ...])
    ]
    for breakdown, (axis, _all) in BREAKDOWN_AXES.items():
        others = tuple(a for a in range(4) if a != axis)
        rows = options[breakdown]
        shaped.append((breakdown, [k for k, _ in rows], [v for _, v in rows], sub.sum(axis=others)))
    n, first, apps, placed = (
        SUMS.index(x) for x in ("n", "placed_first", "applications", "placed")
    )
    days, days_sq, unplaced = (SUMS.index(x) for x in ("days", "days_sq", "unplaced_start"))
    out: dict[str, list[CountTable]] = {"first": [], "placed": [], "unplaced": []}
    for breakdown, keys, labels, cells in shaped:
        total = np.rint(cells[..., n]).astype(np.int64)
        first_yes = np.rint(cells[..., first]).astype(np.int64)
        placed_yes = np.rint(cells[..., placed]).astype(np.int64)
        unplaced_yes = np.rint(cells[..., unplaced]).astype(np.int64)
        sums = {
            "applications": cells[..., apps],
            "days": cells[..., days],
            "days_sq": cells[..., days_sq],
        }
        out["first"].append(CountTable(breakdown, keys, labels, first_yes, total - first_yes))
        out["placed"].append(
            CountTable(breakdown, keys, labels, placed_yes, total - placed_yes, sums)
        )
        out["unplaced"].append(
            CountTable(breakdown, keys, labels, unplaced_yes, total - unplaced_yes)
        )
    return out


@dataclass(frozen=True)
class Published:
    measure: str
    attribute: str
    school_year: int
    sector: str
    region: str
    breakdown: str
    payload: dict[str, Any]


def _filters(with_combinations: bool) -> list[tuple[int | None, int | None]]:
    combos: list[tuple[int | None, int | None]] = [(None, None)]
    combos += [(s, None) for s in range(len(SECTORS))]
    combos += [(None, r) for r in range(len(REGIONS))]
    if with_combinations:
        combos += [(s, r) for s in range(len(SECTORS)) for r in range(len(REGIONS))]
    return combos


def publish_all(cubes: Cubes, k: int, *, with_combinations: bool = True) -> list[Published]:
    """Every published table: herkomst for every filter; disability and gender nationally."""
    published: list[Published] = []
    for attribute in ATTRIBUTES:
        groups = [(code, label) for code, _key, label in GROUP_CODES[attribute]]
        reference = next(
            i for i, (code, _l) in enumerate(groups) if code == REFERENCE_CODE[attribute]
        )
        cube = _collapse_groups(cubes.outcome, 5, attribute)  # (Y, st, sec, reg, lvl, grp, sums)
        refusals = _collapse_groups(cubes.refusals, 4, attribute)  # (Y, sec, reg, reason, grp)
        filters = _filters(with_combinations) if attribute == Attribute.HERKOMST else [(None, None)]
        for yi, year in enumerate(cubes.years):
            for sector, region in filters:
                sub = cube[yi]
                ref = refusals[yi]
                if sector is not None:
                    sub = sub[:, sector : sector + 1]
                    ref = ref[sector : sector + 1]
                if region is not None:
                    sub = sub[:, :, region : region + 1]
                    ref = ref[:, region : region + 1]
                sector_key = SECTORS[sector][0] if sector is not None else ""
                region_key = REGIONS[region][0] if region is not None else ""

                where = (attribute, year, sector_key, region_key)

                def add(
                    measure: str, breakdown: str, payload: dict[str, Any], where: Any = where
                ) -> None:
                    attribute_, year_, sector_, region_ = where
                    published.append(
                        Published(measure, attribute_, year_, sector_, region_, breakdown, payload)
                    )

                if sub[..., 0].sum() > 0:
                    options = {b: list(o) for b, (_a, o) in BREAKDOWN_AXES.items()}
                    if sector is not None:
                        options[Breakdown.SECTOR] = [SECTORS[sector]]
                    if region is not None:
                        options[Breakdown.REGION] = [REGIONS[region]]
                    tables = _breakdown_tables(sub, options)
                    for t, p in zip(
                        tables["first"],
                        rate_payloads(tables["first"], groups, reference, k, four_fifths=True),
                        strict=True,
                    ):
                        add(Measure.PLACED_FIRST, t.breakdown, p)
                    for t, p in zip(
                        tables["unplaced"],
                        rate_payloads(tables["unplaced"], groups, reference, k, four_fifths=False),
                        strict=True,
                    ):
                        add(Measure.UNPLACED_AT_START, t.breakdown, p)
                    per_placement, days = placed_payloads(tables["placed"], groups, reference, k)
                    for t, p1, p2 in zip(tables["placed"], per_placement, days, strict=True):
                        add(Measure.APPS_PER_PLACEMENT, t.breakdown, p1)
                        add(Measure.DAYS_TO_PLACEMENT, t.breakdown, p2)
                reasons = ref.sum(axis=(0, 1))  # (reason, group)
                if reasons.sum() > 0:
                    add(
                        Measure.REFUSAL_REASON,
                        Breakdown.REASON,
                        share_payload(
                            [k_ for k_, _ in REASONS],
                            [v for _, v in REASONS],
                            reasons.astype(np.int64),
                            groups,
                            reference,
                            k,
                        ),
                    )
    return published
