"""Publishing the equal-chances figures with small-cell suppression (pure numpy, no Django).

Every figure SBB sees is a count of companies, laid out as tables with one column per group
(sector or province) and one row per outcome (a level of a scan step, or followed / not
followed for a webinar). All tables of one breakdown count the same companies per group, so
they share their column totals and grand total and are suppressed together
(`core.suppression.suppress_jointly`): every table then hides the same group totals, and
combining the tables recovers nothing a single table hides.

The sector and province breakdowns count the same companies too, so they share the national
row totals (e.g. companies "op orde" for a step nationwide) and the grand total. A national
figure is therefore shown only when *both* breakdowns publish it (`published_in_both`); the
cells of each breakdown never depend on the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stagekans.core.suppression import DEFAULT_THRESHOLD, SuppressedTable, suppress_jointly

SUPPRESSION_K = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class PublishedCell:
    count: int | None  # None = suppressed
    total: int | None  # the group's total (column total), None = suppressed

    @property
    def percentage(self) -> float | None:
        if self.count is None or not self.total:
            return None
        return round(100 * self.count / self.total, 1)


def publish_family(
    tables: Mapping[str, npt.ArrayLike], k: int = SUPPRESSION_K
) -> dict[str, SuppressedTable]:
    """Suppress tables that share their column totals (one breakdown) together."""
    names = list(tables)
    if not names:
        return {}
    suppressed = suppress_jointly([np.asarray(tables[n], dtype=np.int64) for n in names], k)
    return dict(zip(names, suppressed, strict=True))


def cell(table: SuppressedTable, row: int, column: int) -> PublishedCell:
    return PublishedCell(
        count=table.published_cell(row, column), total=table.published_column_total(column)
    )


def published_in_both(a: SuppressedTable, b: SuppressedTable, row: int | None = None) -> int | None:
    """A national figure (a row total, or the grand total when `row` is None) that both
    breakdowns publish, else None."""
    if row is None:
        first, second = a.published_grand_total(), b.published_grand_total()
    else:
        first, second = a.published_row_total(row), b.published_row_total(row)
    if first is None or second is None:
        return None
    return first


def empty_table(rows: int, columns: int) -> npt.NDArray[np.int64]:
    return np.zeros((rows, columns), dtype=np.int64)


def column_index(keys: Sequence[str]) -> dict[str, int]:
    return {key: i for i, key in enumerate(keys)}
