"""Property tests: every table the support app publishes hides small cells (pure, no Django)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stagekans.support.models import SignalOutcome, SupportTopic, Urgency
from stagekans.support.tables import count_table, medians_by_group

OUTCOMES = list(SignalOutcome.values)
TOPICS = list(SupportTopic.values)
URGENCIES = list(Urgency.values)

signal_rows = st.lists(
    st.tuples(st.integers(1, 12), st.sampled_from(OUTCOMES), st.integers(1, 15)), max_size=40
)
request_rows = st.lists(
    st.tuples(st.sampled_from(TOPICS), st.sampled_from(URGENCIES), st.integers(1, 25)),
    max_size=30,
)
thresholds = st.integers(2, 11)


def _truth(rows, row_keys, column_keys):
    matrix = np.zeros((len(row_keys), len(column_keys)), dtype=int)
    for r, c, n in rows:
        matrix[row_keys.index(r), column_keys.index(c)] += n
    return matrix


def _check(table, truth, k):
    # primary rule: nothing from 1 to k-1 is ever published
    assert all(not (1 <= v < k) for v in table.published_values())
    # what is published is the true count
    for i, row in enumerate(table.cells):
        for j, value in enumerate(row):
            assert value is None or value == truth[i, j]
        assert table.row_totals[i] is None or table.row_totals[i] == truth[i].sum()
    for j, value in enumerate(table.column_totals):
        assert value is None or value == truth[:, j].sum()
    assert table.grand_total is None or table.grand_total == truth.sum()
    # secondary rule: no line (row or column with its total) has exactly one hidden entry,
    # which subtraction would reveal
    for i, row in enumerate(table.cells):
        line = [*row, table.row_totals[i]]
        assert sum(v is None for v in line) != 1
    for j in range(len(table.column_keys)):
        line = [table.cells[i][j] for i in range(len(table.row_keys))] + [table.column_totals[j]]
        assert sum(v is None for v in line) != 1


@settings(max_examples=150, deadline=None)
@given(signal_rows, thresholds)
def test_signal_counts_per_company_never_publish_small_cells(rows, k):
    table = count_table(rows, column_keys=OUTCOMES, k=k)
    truth = _truth(rows, table.row_keys, OUTCOMES)
    _check(table, truth, k)


@settings(max_examples=150, deadline=None)
@given(request_rows, thresholds)
def test_support_overview_never_publishes_small_cells(rows, k):
    table = count_table(rows, row_keys=TOPICS, column_keys=URGENCIES, k=k)
    truth = _truth(rows, TOPICS, URGENCIES)
    _check(table, truth, k)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOPICS), st.floats(0, 500)), max_size=60), thresholds)
def test_medians_only_for_groups_of_at_least_k(durations, k):
    sizes = {t: sum(1 for key, _h in durations if key == t) for t in TOPICS}
    for median in medians_by_group(durations, keys=TOPICS, k=k):
        n = sizes[median.key]
        assert median.hidden == (1 <= n < k)
        assert (median.median_hours is not None) == (n >= k)


@given(signal_rows)
def test_company_row_total_is_the_published_row_total(rows):
    table = count_table(rows, column_keys=OUTCOMES, k=5)
    for index, key in enumerate(table.row_keys):
        assert table.row_total_for(key) == table.row_totals[index]
    assert table.row_total_for("unknown-company") == 0
