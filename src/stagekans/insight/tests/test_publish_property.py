"""Suppression on every published insight table (hypothesis): no count from 1 to k-1 is ever
published, directly or as the difference of published numbers, in outcome, refusal and signal
tables."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stagekans.core.suppression import suppress_jointly
from stagekans.insight import publish, signals

K = 10
GROUPS = [(0, "Niet opgegeven"), (1, "Nederland"), (2, "Europa"), (3, "Buiten Europa")]


def _safe(value: int | None) -> bool:
    return value is None or value == 0 or value >= K


@st.composite
def breakdowns(draw):
    """Two or three breakdowns of the same people (so with the same column totals)."""
    rows = draw(st.integers(min_value=2, max_value=4))
    cells = draw(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=25), min_size=8, max_size=8),
            min_size=rows,
            max_size=rows,
        )
    )
    fine = np.array(cells, dtype=np.int64)  # rows × (group, yes/no)
    total = fine.sum(axis=0, keepdims=True)
    merged = np.vstack([fine[:1], fine[1:].sum(axis=0, keepdims=True)])
    tables = []
    for name, data in (("total", total), ("a", fine), ("b", merged)):
        yes, no = data[:, 0::2], data[:, 1::2]
        keys = [str(i) for i in range(data.shape[0])]
        sums = {
            "applications": (yes + no).astype(float) * 2,
            "days": yes.astype(float) * 30,
            "days_sq": yes.astype(float) * 900,
        }
        tables.append(publish.CountTable(name, keys, keys, yes, no, sums))
    return tables


@settings(max_examples=150, deadline=None)
@given(breakdowns())
def test_rate_tables_publish_no_small_counts(tables):
    payloads = publish.rate_payloads(tables, GROUPS, 1, K, four_fifths=True)
    expected = suppress_jointly([publish._interleave(t) for t in tables], K)
    for table, payload, s in zip(tables, payloads, expected, strict=True):
        for i, row in enumerate(payload["rows"]):
            for j, cell in enumerate(row["cells"]):
                yes, no = int(table.yes[i, j]), int(table.no[i, j])
                if cell["n"] is None:
                    continue
                # Published: both counts were cleared by the joint suppression.
                assert not s.hidden_cells[i, 2 * j] and not s.hidden_cells[i, 2 * j + 1]
                assert cell["numerator"] == yes and cell["n"] == yes + no
                assert _safe(yes) and _safe(no)


@settings(max_examples=100, deadline=None)
@given(breakdowns())
def test_placed_tables_publish_no_small_counts(tables):
    per_placement, days = publish.placed_payloads(tables, GROUPS, 1, K)
    for table, p1, p2 in zip(tables, per_placement, days, strict=True):
        for payload in (p1, p2):
            for i, row in enumerate(payload["rows"]):
                for j, cell in enumerate(row["cells"]):
                    if cell["n"] is not None:
                        assert cell["n"] == int(table.yes[i, j]) and _safe(cell["n"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=4, max_size=4),
        min_size=2,
        max_size=9,
    )
)
def test_share_tables_publish_no_small_counts(cells):
    counts = np.array(cells, dtype=np.int64)
    keys = [str(i) for i in range(counts.shape[0])]
    payload = publish.share_payload(keys, keys, counts, GROUPS, 1, K)
    for total in payload["column_totals"]:
        assert _safe(total)
    for row in payload["rows"]:
        for cell in row["cells"]:
            assert _safe(cell["numerator"]) and _safe(cell["n"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=10, max_value=60),
            st.integers(min_value=0, max_value=10),
            st.integers(min_value=10, max_value=60),
            st.integers(min_value=0, max_value=60),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_signal_tables_publish_no_small_counts(companies):
    rows = []
    for company, (n_ref, inv_ref_share, n_cmp, inv_cmp) in enumerate(companies):
        inv_ref = min(n_ref, n_ref * inv_ref_share // 10)
        inv_cmp = min(n_cmp, inv_cmp)
        rows.append([company, 0, n_ref, inv_ref, inv_ref // 2])
        rows.append([company, 1, n_cmp, inv_cmp, inv_cmp // 2])
    result = signals.test_companies(np.array(rows, dtype=np.int64), K)
    for signal in result.signals:
        for total, yes in signal.published:
            assert _safe(total) and _safe(yes)
            if total is not None and yes is not None:
                assert _safe(total - yes)
        assert signal.q_value <= signals.FDR
