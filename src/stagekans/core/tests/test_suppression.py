"""Small-cell suppression: no published count in 1..k-1, none recoverable from the totals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stagekans.core.suppression import suppress


def determinable_hidden_entries(table) -> list[tuple[int, int]]:
    """Independent oracle by linear algebra: which hidden entries of the augmented table can be
    computed exactly from the published entries and the row/column equations?

    Each augmented row and column is an equation (interior cells sum to the total). With the
    published values moved to the right-hand side, hidden entry x_i is determined iff the unit
    vector e_i lies in the row space of the coefficient matrix over the hidden entries.
    """
    full, hidden = table.augmented()
    n_rows, n_cols = full.shape
    positions = [tuple(p) for p in np.argwhere(hidden)]
    if not positions:
        return []
    index = {p: i for i, p in enumerate(positions)}
    equations = []
    for r in range(n_rows):
        row = np.zeros(len(positions))
        for c in range(n_cols):
            if (r, c) in index:
                row[index[(r, c)]] = -1.0 if c == n_cols - 1 else 1.0
        equations.append(row)
    for c in range(n_cols):
        row = np.zeros(len(positions))
        for r in range(n_rows):
            if (r, c) in index:
                row[index[(r, c)]] = -1.0 if r == n_rows - 1 else 1.0
        equations.append(row)
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    determined = []
    for position, i in index.items():
        unit = np.zeros(len(positions))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            determined.append(position)
    return determined


def published_values(table) -> list[int]:
    full, hidden = table.augmented()
    return [int(v) for v in full[~hidden]]


def test_nothing_to_hide():
    table = suppress([[10, 20], [30, 40]], k=10)
    assert not table.hidden_cells.any()
    assert table.published_grand_total() == 100


def test_single_small_cell_gets_complements():
    table = suppress([[3, 20, 30], [25, 40, 50], [60, 70, 80]], k=10)
    assert table.hidden_cells[0, 0]
    # At least one more hidden cell in its row and its column.
    assert table.hidden_cells[0].sum() >= 2
    assert table.hidden_cells[:, 0].sum() >= 2
    assert determinable_hidden_entries(table) == []
    # The smallest complements are chosen: 20 in the row, 25 in the column.
    assert table.hidden_cells[0, 1] and table.hidden_cells[1, 0]


def test_small_totals_are_hidden_too():
    table = suppress([[0, 4], [0, 0]], k=10)
    assert table.published_row_total(0) is None
    assert table.published_column_total(1) is None
    assert table.published_grand_total() is None
    assert all(v == 0 or v >= 10 for v in published_values(table))


def test_threshold_is_configurable():
    assert suppress([[5, 50], [50, 50]], k=5).published_cell(0, 0) == 5
    assert suppress([[5, 50], [50, 50]], k=6).published_cell(0, 0) is None


@pytest.mark.parametrize("bad", [[1, 2, 3], [[-1, 2]]])
def test_bad_tables_are_refused(bad):
    with pytest.raises(ValueError):
        suppress(bad)


tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda r: st.integers(min_value=1, max_value=6).flatmap(
        lambda c: arrays(
            np.int64,
            (r, c),
            elements=st.one_of(st.integers(0, 0), st.integers(1, 12), st.integers(10, 60)),
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(counts=tables, k=st.integers(min_value=2, max_value=12))
def test_property_no_small_cell_published_and_none_recoverable(counts, k):
    table = suppress(counts, k=k)
    assert all(v == 0 or v >= k for v in published_values(table)), "published a small cell"
    assert determinable_hidden_entries(table) == [], "a hidden entry can be recomputed"
    # Nothing published changed: published entries equal the true counts.
    full, _hidden = table.augmented()
    assert (full[:-1, :-1] == counts).all()
