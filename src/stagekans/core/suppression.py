"""Small-cell suppression for published count tables (pure numpy, no Django).

A table of counts is published with its row totals, column totals and grand total. Seen as one
augmented (R+1)×(C+1) matrix (last column = row totals, last row = column totals, corner = grand
total) every row and every column of it is one linear equation. Suppression:

1. primary: every entry (cell or total) with 1 <= value < k is hidden;
2. secondary: hidden entries must not be recoverable by subtraction. With the published entries
   filled in, the hidden entries are unknowns of those equations. An unknown is determined by
   the equations exactly when its edge in the bipartite graph (augmented rows ↔ augmented
   columns, one edge per hidden entry) is a *bridge* — lies on no cycle. So we repeat until
   stable: a line with exactly one hidden entry gets its smallest other entry hidden too; an
   edge that is a bridge gets a cycle closed through the smallest entry that connects its two
   sides. Both steps only add suppression, so the loop ends.

Zero cells are published (a zero is not a small group of people) but may be hidden as
complements: they are the cheapest way to protect a neighbour.

Tables that share their column totals and grand total (the same counts broken down in different
ways) are suppressed together by `suppress_jointly`: every table then hides exactly the same
margins, and the hidden margins are tied together the same way in every table, so combining the
tables' equations determines nothing that a single table's equations leave open. Why the second
condition is needed: in one table the hidden margins are constrained only through the
components of the hidden-entry graph without the totals row — a vector of changes to the hidden
margins is possible exactly when it sums to zero over each component. Two tables with different
components intersect these spaces, which can force a margin (and then the cells next to it) to
one value. With identical components the intersection is that common space, and every change
possible in one table is possible in all of them at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DEFAULT_THRESHOLD = 10


@dataclass(frozen=True)
class SuppressedTable:
    """Counts with their totals; `hidden` marks entries that must not be published."""

    cells: npt.NDArray[np.int64]
    row_totals: npt.NDArray[np.int64]
    column_totals: npt.NDArray[np.int64]
    grand_total: int
    hidden_cells: npt.NDArray[np.bool_]
    hidden_row_totals: npt.NDArray[np.bool_]
    hidden_column_totals: npt.NDArray[np.bool_]
    hidden_grand_total: bool

    def augmented(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        return _augment(self.cells), _augment_mask(self)

    def published_cell(self, row: int, column: int) -> int | None:
        return None if self.hidden_cells[row, column] else int(self.cells[row, column])

    def published_row_total(self, row: int) -> int | None:
        return None if self.hidden_row_totals[row] else int(self.row_totals[row])

    def published_column_total(self, column: int) -> int | None:
        return None if self.hidden_column_totals[column] else int(self.column_totals[column])

    def published_grand_total(self) -> int | None:
        return None if self.hidden_grand_total else self.grand_total


def _augment(cells: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    rows, cols = cells.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = cells
    full[:rows, cols] = cells.sum(axis=1)
    full[rows, :cols] = cells.sum(axis=0)
    full[rows, cols] = cells.sum()
    return full


def _augment_mask(table: SuppressedTable) -> npt.NDArray[np.bool_]:
    rows, cols = table.cells.shape
    mask = np.zeros((rows + 1, cols + 1), dtype=bool)
    mask[:rows, :cols] = table.hidden_cells
    mask[:rows, cols] = table.hidden_row_totals
    mask[rows, :cols] = table.hidden_column_totals
    mask[rows, cols] = table.hidden_grand_total
    return mask


def _cost(full: npt.NDArray[np.int64], r: int, c: int) -> tuple[int, int, int, int]:
    """Smallest value first; interior cells before totals; then position (deterministic)."""
    is_total = int(r == full.shape[0] - 1 or c == full.shape[1] - 1)
    return (int(full[r, c]), is_total, r, c)


def _fix_lonely_lines(full: npt.NDArray[np.int64], hidden: npt.NDArray[np.bool_]) -> bool:
    changed = False
    n_rows, n_cols = full.shape
    for r in range(n_rows):
        if hidden[r].sum() == 1:
            options = [(r, c) for c in range(n_cols) if not hidden[r, c]]
            if options:
                hidden[min(options, key=lambda rc: _cost(full, *rc))] = True
                changed = True
    for c in range(n_cols):
        if hidden[:, c].sum() == 1:
            options = [(r, c) for r in range(n_rows) if not hidden[r, c]]
            if options:
                hidden[min(options, key=lambda rc: _cost(full, *rc))] = True
                changed = True
    return changed


def _component(
    hidden: npt.NDArray[np.bool_], start: tuple[str, int], without: tuple[int, int]
) -> set[tuple[str, int]]:
    """Nodes reachable from `start` over hidden entries, ignoring the edge `without`."""
    seen = {start}
    stack = [start]
    while stack:
        kind, index = stack.pop()
        if kind == "r":
            neighbours = [("c", c) for c in np.flatnonzero(hidden[index]) if (index, c) != without]
        else:
            neighbours = [
                ("r", r) for r in np.flatnonzero(hidden[:, index]) if (r, index) != without
            ]
        for node_kind, node_index in neighbours:
            node = (node_kind, int(node_index))
            if node not in seen:
                seen.add(node)
                stack.append(node)
    return seen


def _fix_one_bridge(full: npt.NDArray[np.int64], hidden: npt.NDArray[np.bool_]) -> bool:
    for r, c in zip(*np.nonzero(hidden), strict=True):
        edge = (int(r), int(c))
        side_a = _component(hidden, ("r", edge[0]), edge)
        if ("c", edge[1]) in side_a:
            continue  # on a cycle: not determinable
        side_b = _component(hidden, ("c", edge[1]), edge)
        rows_a = [i for kind, i in side_a if kind == "r"]
        cols_a = [i for kind, i in side_a if kind == "c"]
        rows_b = [i for kind, i in side_b if kind == "r"]
        cols_b = [i for kind, i in side_b if kind == "c"]
        options = [(i, j) for i in rows_a for j in cols_b if not hidden[i, j]]
        options += [(i, j) for i in rows_b for j in cols_a if not hidden[i, j]]
        if not options:
            # Every connecting entry is hidden already, so the edge cannot be a bridge.
            continue
        hidden[min(options, key=lambda rc: _cost(full, *rc))] = True
        return True
    return False


def _validated(counts: npt.ArrayLike, k: int) -> npt.NDArray[np.int64]:
    cells = np.asarray(counts, dtype=np.int64)
    if cells.ndim != 2:
        raise ValueError("counts must be a 2-D table")
    if (cells < 0).any():
        raise ValueError("counts must be non-negative")
    if k < 1:
        raise ValueError("k must be at least 1")
    return cells


def _suppress_full(
    cells: npt.NDArray[np.int64], k: int, forced: npt.NDArray[np.bool_]
) -> SuppressedTable:
    """Primary suppression plus the `forced` augmented entries, then the secondary loop."""
    full = _augment(cells)
    hidden = ((full >= 1) & (full < k)) | forced
    while hidden.any():
        if _fix_lonely_lines(full, hidden):
            continue
        if not _fix_one_bridge(full, hidden):
            break
    rows, cols = cells.shape
    return SuppressedTable(
        cells=cells,
        row_totals=full[:rows, cols].copy(),
        column_totals=full[rows, :cols].copy(),
        grand_total=int(full[rows, cols]),
        hidden_cells=hidden[:rows, :cols].copy(),
        hidden_row_totals=hidden[:rows, cols].copy(),
        hidden_column_totals=hidden[rows, :cols].copy(),
        hidden_grand_total=bool(hidden[rows, cols]),
    )


def suppress(
    counts: npt.ArrayLike,
    k: int = DEFAULT_THRESHOLD,
    *,
    force_hidden_column_totals: npt.ArrayLike | None = None,
    force_hidden_grand_total: bool = False,
) -> SuppressedTable:
    """Suppress a 2-D table of non-negative counts for publication with threshold k.

    `force_hidden_column_totals` (one bool per column) and `force_hidden_grand_total` are hidden
    from the start, as if primary; the secondary suppression then protects them like any other.
    """
    cells = _validated(counts, k)
    rows, cols = cells.shape
    forced = np.zeros((rows + 1, cols + 1), dtype=bool)
    if force_hidden_column_totals is not None:
        column_mask = np.asarray(force_hidden_column_totals, dtype=bool)
        if column_mask.shape != (cols,):
            raise ValueError("force_hidden_column_totals needs one entry per column")
        forced[rows, :cols] = column_mask
    forced[rows, cols] = bool(force_hidden_grand_total)
    return _suppress_full(cells, k, forced)


def _margin_blocks(hidden: npt.NDArray[np.bool_]) -> list[frozenset[int]]:
    """The hidden margins (column index; `cols` = grand total) grouped by component of the
    hidden-entry graph without the totals row: margins in one block are tied together."""
    totals_row = hidden.shape[0] - 1
    without_totals = hidden.copy()
    without_totals[totals_row] = False
    blocks: list[frozenset[int]] = []
    placed: set[int] = set()
    for column in map(int, np.flatnonzero(hidden[totals_row])):
        if column in placed:
            continue
        # `without` names no hidden edge here: the totals row is already left out.
        component = _component(without_totals, ("c", column), (-1, -1))
        block = frozenset(
            int(i) for kind, i in component if kind == "c" and hidden[totals_row, int(i)]
        )
        placed |= block
        blocks.append(block)
    return blocks


def _tie_blocks(
    full: npt.NDArray[np.int64], hidden: npt.NDArray[np.bool_], joined: list[frozenset[int]]
) -> npt.NDArray[np.bool_] | None:
    """One more entry to hide so that two of this table's blocks inside one joined block become
    one component (the cheapest entry, outside the totals row), or None if nothing to tie."""
    totals_row = hidden.shape[0] - 1
    own = _margin_blocks(hidden)
    without_totals = hidden.copy()
    without_totals[totals_row] = False
    for group in joined:
        inside = [block for block in own if block <= group]
        if len(inside) < 2:
            continue
        side_a = _component(without_totals, ("c", min(inside[0])), (-1, -1))
        side_b = _component(without_totals, ("c", min(inside[1])), (-1, -1))
        rows_a = [i for kind, i in side_a if kind == "r"]
        cols_a = [i for kind, i in side_a if kind == "c"]
        rows_b = [i for kind, i in side_b if kind == "r"]
        cols_b = [i for kind, i in side_b if kind == "c"]
        # Each side holds a row other than the totals row: a hidden margin never stands alone
        # in its column after the secondary loop, so there is always an option.
        options = [(i, j) for i in rows_a for j in cols_b if i != totals_row]
        options += [(i, j) for i in rows_b for j in cols_a if i != totals_row]
        tie = np.zeros_like(hidden)
        tie[min(options, key=lambda rc: _cost(full, *rc))] = True
        return tie
    return None


def _join(partitions: list[list[frozenset[int]]]) -> list[frozenset[int]]:
    """The finest partition that every table's blocks refine (blocks overlapping are merged)."""
    joined: list[set[int]] = []
    for blocks in partitions:
        for block in blocks:
            touching = [group for group in joined if group & block]
            merged = set(block).union(*touching)
            joined = [group for group in joined if not group & block] + [merged]
    return [frozenset(group) for group in joined]


def suppress_jointly(
    tables: Sequence[npt.ArrayLike], k: int = DEFAULT_THRESHOLD
) -> list[SuppressedTable]:
    """Suppress tables that share their column totals and grand total, as one publication.

    Every table is suppressed with the union of the margins the others hide forced hidden, until
    that union stops growing; then, where one table ties hidden margins together that another
    keeps apart, the other gets the cheapest entry that ties them too (and is suppressed again).
    Both steps only add suppression, so this ends. Afterwards all tables publish the same column
    totals and grand total, and no hidden entry follows from all their equations together.
    """
    cells = [_validated(table, k) for table in tables]
    if not cells:
        return []
    columns = cells[0].shape[1]
    if any(
        c.shape[1] != columns or not (c.sum(axis=0) == cells[0].sum(axis=0)).all() for c in cells
    ):
        raise ValueError("jointly suppressed tables must have the same column totals")
    forced = [np.zeros((c.shape[0] + 1, columns + 1), dtype=bool) for c in cells]
    while True:
        results = [_suppress_full(c, k, f) for c, f in zip(cells, forced, strict=True)]
        masks = [_augment_mask(result) for result in results]
        shared = np.logical_or.reduce([mask[-1] for mask in masks])
        if any((mask[-1] != shared).any() for mask in masks):
            for f in forced:
                f[-1] |= shared
            continue
        joined = _join([_margin_blocks(mask) for mask in masks])
        ties = [
            _tie_blocks(_augment(c), mask, joined) for c, mask in zip(cells, masks, strict=True)
        ]
        if all(tie is None for tie in ties):
            return results
        for f, mask, tie in zip(forced, masks, ties, strict=True):
            f |= mask
            if tie is not None:
                f |= tie
