"""Small-cell suppression: no published count in 1..k-1, none recoverable from the totals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stagekans.core import suppression
from stagekans.core.suppression import suppress, suppress_jointly


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


# --- tables that share their column totals and grand total -----------------------------------


def jointly_determinable(tables) -> list[tuple[int, int, int]]:
    """Rank-test oracle over all tables together: (table, row, column) of each hidden entry that
    follows from the equations of all tables combined.

    Unknowns are the hidden entries of every table, except that a hidden column total or grand
    total is ONE unknown shared by all tables (the same number). Every augmented row and column
    of every table is an equation; x_i is determined iff e_i lies in the row space.
    """
    masks = [table.augmented()[1] for table in tables]
    index: dict[tuple[int, int, int], int] = {}

    def unknown(t: int, r: int, c: int) -> int:
        key = (-1, -1, c) if r == masks[t].shape[0] - 1 else (t, r, c)
        return index.setdefault(key, len(index))

    equation_keys: list[list[tuple[int, float]]] = []
    for t, hidden in enumerate(masks):
        n_rows, n_cols = hidden.shape
        for r in range(n_rows):
            equation_keys.append(
                [
                    (unknown(t, r, c), -1.0 if c == n_cols - 1 else 1.0)
                    for c in range(n_cols)
                    if hidden[r, c]
                ]
            )
        for c in range(n_cols):
            equation_keys.append(
                [
                    (unknown(t, r, c), -1.0 if r == n_rows - 1 else 1.0)
                    for r in range(n_rows)
                    if hidden[r, c]
                ]
            )
    if not index:
        return []
    matrix = np.zeros((len(equation_keys), len(index)))
    for row, terms in enumerate(equation_keys):
        for column, coefficient in terms:
            matrix[row, column] = coefficient
    rank = np.linalg.matrix_rank(matrix)
    determined = []
    for key, i in index.items():
        unit = np.zeros(len(index))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            determined.append(key)
    return determined


def test_force_hidden_margins_are_hidden_and_protected():
    counts = [[20, 30, 40], [25, 35, 45]]
    table = suppress(counts, k=10, force_hidden_column_totals=[False, True, False])
    assert table.published_column_total(1) is None
    assert table.published_grand_total() == 195
    assert determinable_hidden_entries(table) == []
    table = suppress(counts, k=10, force_hidden_grand_total=True)
    assert table.published_grand_total() is None
    assert determinable_hidden_entries(table) == []
    # The old signature still works and forces nothing.
    assert not suppress(counts, 10).hidden_column_totals.any()
    with pytest.raises(ValueError):
        suppress(counts, k=10, force_hidden_column_totals=[True])


def test_joint_suppression_publishes_the_same_margins():
    first = [[30, 2, 40, 25], [30, 12, 40, 25], [0, 0, 4, 0]]
    second = [[57, 3, 70, 40], [3, 11, 14, 10]]
    assert (np.sum(first, axis=0) == np.sum(second, axis=0)).all()
    joint = suppress_jointly([first, second], k=10)
    assert (joint[0].hidden_column_totals == joint[1].hidden_column_totals).all()
    assert joint[0].hidden_grand_total == joint[1].hidden_grand_total
    assert jointly_determinable(joint) == []
    # Tables that already agree are published exactly as each alone would be.
    for table, counts in zip(joint, [first, second], strict=True):
        assert (table.augmented()[1] == suppress(counts, k=10).augmented()[1]).all()


def test_margins_tied_apart_in_one_table_get_tied_in_it():
    """Two tables hide month totals 0-3 alike, but the first ties {0,1} and {2,3} (through its
    cells) and the second {0,2} and {1,3}: together that would force every month total. The
    first table gets the cheapest entry that ties its two blocks into one."""
    full = suppression._augment(np.array([[20, 30, 40, 50], [60, 70, 80, 90]], dtype=np.int64))
    hidden = np.zeros(full.shape, dtype=bool)
    hidden[2, :4] = True  # month totals 0..3
    hidden[0, [0, 1]] = True
    hidden[1, [2, 3]] = True
    assert suppression._margin_blocks(hidden) == [frozenset({0, 1}), frozenset({2, 3})]
    joined = suppression._join(
        [[frozenset({0, 1}), frozenset({2, 3})], [frozenset({0, 2}), frozenset({1, 3})]]
    )
    assert joined == [frozenset({0, 1, 2, 3})]
    tie = suppression._tie_blocks(full, hidden, joined)
    assert tie is not None and tie.sum() == 1 and not (tie & hidden).any()
    assert tie[0, 2]  # the cheapest entry joining row 0's side to columns 2-3
    assert suppression._margin_blocks(hidden | tie) == [frozenset({0, 1, 2, 3})]
    assert suppression._tie_blocks(full, hidden | tie, joined) is None


def test_joint_suppression_refuses_tables_with_other_margins():
    with pytest.raises(ValueError):
        suppress_jointly([[[1, 2]], [[2, 1]]], k=3)


@st.composite
def tables_sharing_margins(draw):
    """Two or three tables with equal column sums (the same reports broken down differently)."""
    first = draw(tables)
    column_sums = first.sum(axis=0)
    result = [first]
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        n_rows = draw(st.integers(min_value=1, max_value=5))
        table = np.zeros((n_rows, len(column_sums)), dtype=np.int64)
        for j, total in enumerate(column_sums):
            cuts = sorted(
                draw(st.lists(st.integers(0, int(total)), min_size=n_rows - 1, max_size=n_rows - 1))
            )
            table[:, j] = np.diff([0, *cuts, int(total)])
        result.append(table)
    return result


@settings(max_examples=150, deadline=None)
@given(counts=tables_sharing_margins(), k=st.integers(min_value=2, max_value=12))
def test_property_joint_suppression_shares_margins_and_hides_safely(counts, k):
    joint = suppress_jointly(counts, k=k)
    for table in joint[1:]:
        assert (table.hidden_column_totals == joint[0].hidden_column_totals).all()
        assert table.hidden_grand_total == joint[0].hidden_grand_total
    for table, original in zip(joint, counts, strict=True):
        assert all(v == 0 or v >= k for v in published_values(table)), "published a small cell"
        full, _hidden = table.augmented()
        assert (full[:-1, :-1] == original).all()
    assert jointly_determinable(joint) == [], "a hidden entry follows from the tables together"
