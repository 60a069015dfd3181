"""Published count tables of the support app (pure Python + numpy, no Django).

Every table this app shows outside a school or the expert team goes through here, so the small
cell rule holds in one place: counts from 1 to k-1 are never published, and neither is anything
that would let a reader recompute them (stagekans.core.suppression does the secondary
suppression). A median of a group is published only when the group itself is at least k.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from stagekans.core.suppression import suppress


@dataclass(frozen=True)
class PublishedTable:
    """A count table as it may be shown: None where a value is hidden."""

    row_keys: list[Any]
    column_keys: list[Any]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None
    k: int

    def row_total_for(self, key: Any) -> int | None:
        """The published total of one row; 0 for a key that has no row (nothing counted)."""
        try:
            return self.row_totals[self.row_keys.index(key)]
        except ValueError:
            return 0

    def published_values(self) -> list[int]:
        values = [v for row in self.cells for v in row if v is not None]
        values += [v for v in self.row_totals if v is not None]
        values += [v for v in self.column_totals if v is not None]
        if self.grand_total is not None:
            values.append(self.grand_total)
        return values


def count_table(
    counts: Iterable[tuple[Any, Any, int]],
    *,
    row_keys: Sequence[Any] | None = None,
    column_keys: Sequence[Any],
    k: int,
) -> PublishedTable:
    """Build and suppress a table from (row, column, count) triples (as SQL GROUP BY gives).

    Rows default to the keys that occur, in order of first appearance; `row_keys` fixes them
    (rows without counts are published as zeros).
    """
    triples = [(r, c, int(n)) for r, c, n in counts]
    if row_keys is None:
        row_keys = list(dict.fromkeys(r for r, _c, _n in triples))
    rows = list(row_keys)
    columns = list(column_keys)
    row_index = {key: i for i, key in enumerate(rows)}
    column_index = {key: j for j, key in enumerate(columns)}
    matrix = np.zeros((len(rows), len(columns)), dtype=np.int64)
    for r, c, n in triples:
        if n < 0:
            raise ValueError("counts must be non-negative")
        if r in row_index and c in column_index:
            matrix[row_index[r], column_index[c]] += n
    if not rows or not columns:
        return PublishedTable(
            rows, columns, [[] for _ in rows], [0] * len(rows), [0] * len(columns), 0, k
        )
    table = suppress(matrix, k)
    return PublishedTable(
        row_keys=rows,
        column_keys=columns,
        cells=[[table.published_cell(i, j) for j in range(len(columns))] for i in range(len(rows))],
        row_totals=[table.published_row_total(i) for i in range(len(rows))],
        column_totals=[table.published_column_total(j) for j in range(len(columns))],
        grand_total=table.published_grand_total(),
        k=k,
    )


@dataclass(frozen=True)
class PublishedMedian:
    """The median of one group. The group's size is not published (it would be a second,
    unsuppressed count table); `hidden` says the group has 1 to k-1 members."""

    key: Any
    hidden: bool
    median_hours: float | None  # None: hidden, or nothing measured


def medians_by_group(
    durations: Iterable[tuple[Any, float]], *, keys: Sequence[Any], k: int
) -> list[PublishedMedian]:
    """Median duration (hours) per group; a group of 1 to k-1 values publishes no median."""
    grouped: dict[Any, list[float]] = {key: [] for key in keys}
    for key, hours in durations:
        if key in grouped:
            grouped[key].append(float(hours))
    result = []
    for key in keys:
        values = grouped[key]
        if 0 < len(values) < k:
            result.append(PublishedMedian(key, True, None))
        elif not values:
            result.append(PublishedMedian(key, False, None))
        else:
            result.append(PublishedMedian(key, False, round(statistics.median(values), 1)))
    return result
