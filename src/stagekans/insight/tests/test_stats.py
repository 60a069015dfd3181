"""insight.stats against scipy as reference, with hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from stagekans.insight import stats

p_lists = st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), max_size=200)


@given(p_lists)
def test_benjamini_hochberg_equals_scipy(p):
    ours = stats.benjamini_hochberg(p)
    if p:
        np.testing.assert_allclose(ours, sps.false_discovery_control(p, method="bh"), rtol=1e-12)
    else:
        assert ours.size == 0


def test_benjamini_hochberg_known_values():
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(stats.benjamini_hochberg(p), [0.02, 0.04, 0.04, 0.02])


def test_benjamini_hochberg_refuses_bad_input():
    with pytest.raises(ValueError):
        stats.benjamini_hochberg([0.1, 1.2])


@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_equals_scipy(kn):
    k, n = kn
    low, high = stats.wilson_interval(k, n)
    reference = sps.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert low == pytest.approx(reference.low, abs=1e-9)
    assert high == pytest.approx(reference.high, abs=1e-9)


def test_wilson_known_values_and_empty_cells():
    # Textbook values (Newcombe 1998, table I): 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
    low, high = stats.wilson_interval([81, 0, 0], [263, 10, 0])
    assert low[0] == pytest.approx(0.2553, abs=1e-4) and high[0] == pytest.approx(0.3662, abs=1e-4)
    assert low[1] == 0.0 and high[1] == pytest.approx(0.2775, abs=1e-4)
    assert np.isnan(low[2]) and np.isnan(high[2])


tables = st.tuples(*[st.integers(min_value=0, max_value=60)] * 4)


@settings(max_examples=300)
@given(st.lists(tables, min_size=1, max_size=30))
def test_fisher_vectorised_equals_scipy(rows):
    t = np.array(rows).reshape(-1, 2, 2)
    ours = stats.fisher_exact_two_sided(t)
    for i, table in enumerate(t):
        assert ours[i] == pytest.approx(sps.fisher_exact(table).pvalue, rel=1e-6, abs=1e-12)


@given(st.lists(tables, min_size=1, max_size=30))
def test_chi_square_equals_scipy(rows):
    t = np.array(rows).reshape(-1, 2, 2)
    ours = stats.chi_square_p(t)
    for i, table in enumerate(t):
        if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
            assert ours[i] == 1.0
        else:
            reference = sps.chi2_contingency(table, correction=False).pvalue
            assert ours[i] == pytest.approx(reference, rel=1e-9, abs=1e-15)


def test_test_choice_follows_expected_counts():
    small = [[3, 2], [1, 6]]
    large = [[40, 60], [70, 30]]
    result = stats.two_by_two_test([small, large])
    assert result.used_fisher.tolist() == [True, False]
    assert result.p_value[0] == pytest.approx(sps.fisher_exact(small).pvalue)
    assert result.p_value[1] == pytest.approx(sps.chi2_contingency(large, correction=False).pvalue)


def test_four_fifths_flag():
    ratio = stats.impact_ratio([0.48, 0.60, 0.3], [0.68, 0.70, 0.0])
    assert stats.four_fifths_flag(ratio).tolist() == [True, False, False]
    assert ratio[0] == pytest.approx(0.48 / 0.68)


def test_mean_interval():
    values = np.array([10.0, 12.0, 14.0, 20.0])
    mean, low, high = stats.mean_interval(values.sum(), (values**2).sum(), values.size)
    assert mean == pytest.approx(14.0)
    half = 1.959963984540054 * values.std(ddof=1) / 2
    assert low == pytest.approx(14 - half) and high == pytest.approx(14 + half)
