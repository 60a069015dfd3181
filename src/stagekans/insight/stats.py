"""Statistics for insight (pure numpy/scipy, no Django): Wilson intervals, the four-fifths rule,
per-company 2×2 tests (Fisher exact or chi-square, vectorised) and Benjamini–Hochberg.

Arrays in, arrays out, so a national recompute tests every company in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special, stats

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

Z_95 = 1.959963984540054
FOUR_FIFTHS = 0.8


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike, z: float = Z_95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a binomial proportion; NaN where trials == 0."""
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("successes must lie in 0..trials")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2 = z * z
        denominator = 1.0 + z2 / n
        centre = (p + z2 / (2.0 * n)) / denominator
        half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # Exact ends: the interval of 0 successes starts at 0 and of n successes ends at 1.
    low = np.where((n > 0) & (k == 0), 0.0, low)
    high = np.where((n > 0) & (k == n), 1.0, high)
    return low, high


def impact_ratio(rate: npt.ArrayLike, reference_rate: npt.ArrayLike) -> FloatArray:
    """Rate of a group divided by the reference group's rate (NaN if the reference is 0)."""
    r = np.asarray(rate, dtype=np.float64)
    ref = np.asarray(reference_rate, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ref > 0, r / ref, np.nan)


def four_fifths_flag(ratio: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """The four-fifths rule of thumb: a group's rate below 80% of the reference group's."""
    values = np.asarray(ratio, dtype=np.float64)
    return np.where(np.isnan(values), False, values < FOUR_FIFTHS)


def _log_hypergeom(x: FloatArray, row1: FloatArray, col1: FloatArray, n: FloatArray) -> FloatArray:
    """log P(X = x) for X ~ hypergeometric(total n, col1 successes, row1 draws)."""
    col2 = n - col1

    def log_comb(a: FloatArray, b: FloatArray) -> FloatArray:
        return special.gammaln(a + 1) - special.gammaln(b + 1) - special.gammaln(a - b + 1)

    return log_comb(col1, x) + log_comb(col2, row1 - x) - log_comb(n, row1)


def fisher_exact_two_sided(table: npt.ArrayLike) -> FloatArray:
    """Two-sided Fisher exact p-values for many 2×2 tables at once, shape (m, 2, 2).

    The same definition as scipy.stats.fisher_exact: the sum of the probabilities of all tables
    with the same margins that are at most as likely as the observed one (relative tolerance
    1e-7), computed on a padded matrix of the supports.
    """
    t = np.asarray(table, dtype=np.int64).reshape(-1, 2, 2)
    if (t < 0).any():
        raise ValueError("counts must be non-negative")
    m = t.shape[0]
    if m == 0:
        return np.zeros(0)
    a = t[:, 0, 0].astype(np.float64)
    row1 = (t[:, 0, 0] + t[:, 0, 1]).astype(np.float64)
    col1 = (t[:, 0, 0] + t[:, 1, 0]).astype(np.float64)
    n = t.sum(axis=(1, 2)).astype(np.float64)
    low = np.maximum(0.0, row1 + col1 - n)
    high = np.minimum(row1, col1)
    width = int((high - low).max()) + 1
    result = np.ones(m)
    # Chunk the padded matrix so memory stays bounded for very large inputs.
    chunk = max(1, 4_000_000 // width)
    for start in range(0, m, chunk):
        sl = slice(start, start + chunk)
        xs = low[sl, None] + np.arange(width)[None, :]
        valid = xs <= high[sl, None]
        xs_safe = np.where(valid, xs, low[sl, None])
        logp = _log_hypergeom(xs_safe, row1[sl, None], col1[sl, None], n[sl, None])
        observed = _log_hypergeom(a[sl], row1[sl], col1[sl], n[sl])
        p = np.exp(logp)
        p_obs = np.exp(observed)[:, None]
        keep = valid & (p <= p_obs * (1.0 + 1e-7))
        result[sl] = np.minimum(1.0, np.where(keep, p, 0.0).sum(axis=1))
    degenerate = (row1 == 0) | (row1 == n) | (col1 == 0) | (col1 == n)
    result[degenerate] = 1.0
    return result


def chi_square_p(table: npt.ArrayLike) -> FloatArray:
    """Pearson chi-square p-values (1 df, no continuity correction) for many 2×2 tables."""
    t = np.asarray(table, dtype=np.float64).reshape(-1, 2, 2)
    rows = t.sum(axis=2)
    cols = t.sum(axis=1)
    n = t.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = rows[:, :, None] * cols[:, None, :] / n[:, None, None]
        statistic = np.where(expected > 0, (t - expected) ** 2 / expected, 0.0).sum(axis=(1, 2))
    degenerate = (rows == 0).any(axis=1) | (cols == 0).any(axis=1)
    return np.where(degenerate, 1.0, stats.chi2.sf(statistic, df=1))


def expected_minimum(table: npt.ArrayLike) -> FloatArray:
    t = np.asarray(table, dtype=np.float64).reshape(-1, 2, 2)
    rows = t.sum(axis=2)
    cols = t.sum(axis=1)
    n = t.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = rows[:, :, None] * cols[:, None, :] / n[:, None, None]
    return np.nan_to_num(expected.min(axis=(1, 2)), nan=0.0)


@dataclass(frozen=True)
class TestResult:
    p_value: FloatArray
    used_fisher: npt.NDArray[np.bool_]


def two_by_two_test(table: npt.ArrayLike, min_expected: float = 5.0) -> TestResult:
    """Per table: chi-square when every expected count is at least `min_expected` (Cochran's
    rule), otherwise Fisher's exact test."""
    t = np.asarray(table, dtype=np.int64).reshape(-1, 2, 2)
    use_fisher = expected_minimum(t) < min_expected
    p = chi_square_p(t)
    if use_fisher.any():
        p[use_fisher] = fisher_exact_two_sided(t[use_fisher])
    return TestResult(p_value=p, used_fisher=use_fisher)


def benjamini_hochberg(p_values: npt.ArrayLike) -> FloatArray:
    """Benjamini–Hochberg adjusted p-values (q-values), same as
    scipy.stats.false_discovery_control(method='bh')."""
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError("p-values must be one-dimensional")
    if ((p < 0) | (p > 1)).any() or np.isnan(p).any():
        raise ValueError("p-values must lie in [0, 1]")
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    return result


def mean_interval(
    total: npt.ArrayLike, total_squares: npt.ArrayLike, count: npt.ArrayLike, z: float = Z_95
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean with a normal-approximation 95% interval from sums (NaN where count < 2)."""
    s = np.asarray(total, dtype=np.float64)
    s2 = np.asarray(total_squares, dtype=np.float64)
    n = np.asarray(count, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, s / n, np.nan)
        variance = np.where(n > 1, (s2 - n * mean * mean) / (n - 1), np.nan)
        half = z * np.sqrt(np.maximum(variance, 0.0) / n)
    return mean, mean - half, mean + half
