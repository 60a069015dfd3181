"""Issue 16: priority keys for skewed national rounds and capacity that costs nothing when huge."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stagekans.matching.engine import Instance, MatchConfig, TieBreaking, match
from stagekans.matching.engine.lottery import priority_keys
from stagekans.matching.engine.prepare import prepare
from stagekans.matching.engine.synthetic import MIXED_CAPACITY_BANDS, national_instance
from stagekans.matching.engine.tests.support import SmallRound, random_round, small_rounds

FAST = settings(max_examples=150, deadline=None)

#: Enough placements and rank levels that (placement, rank, 32-bit lottery) cannot be packed in
#: 62 bits: the situation of a national round with one placement of 120k applicants.
WIDE_PLACEMENTS = 2**16


@FAST
@given(
    n=st.integers(1, 400),
    levels=st.sampled_from([2, 50, 2**17]),
    strict=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_key_path_orders_by_placement_rank_lottery(
    n: int, levels: int, strict: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    placement = rng.integers(0, 40, n).astype(np.int64) * (WIDE_PLACEMENTS // 40)
    if strict:
        # Distinct ranks within each placement, spread over a wide range.
        rank = rng.permutation(2**17)[:n].astype(np.int64)
    else:
        rank = rng.integers(0, levels, n).astype(np.int64)
        rank[0] = levels - 1
    student = rng.integers(0, 300, n).astype(np.int64)
    student_lottery = rng.permutation(2**20)[:300].astype(np.uint32)
    pair_lottery = student_lottery[student]
    # Distinct students per placement, as in a real round (a student ranks a placement once).
    _, first = np.unique(placement * 300 + student, return_index=True)
    keep = np.sort(first)
    placement, rank, student, pair_lottery = (
        placement[keep],
        rank[keep],
        student[keep],
        pair_lottery[keep],
    )
    expected = np.lexsort((pair_lottery, rank, placement))
    for dense in (False, True):
        keys = priority_keys(
            placement,
            rank,
            pair_lottery,
            WIDE_PLACEMENTS,
            dense=dense,
            student=student,
            student_lottery=student_lottery,
        )
        assert int(keys.max()) < 2**62
        assert np.array_equal(np.argsort(keys, kind="stable"), expected)
        # Keys of different pairs never tie: DA and the certificate rely on strict priorities.
        assert np.unique(keys).size == keys.size


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("tie_breaking", list(TieBreaking))
def test_skewed_national_round_matches_like_the_dense_keys(
    tie_breaking: TieBreaking, tied: bool
) -> None:
    """A Zipf-popular round whose placement and rank bits exceed 30 (the old full-sort case)."""
    n_placements = 2**18
    instance = national_instance(
        60_000,
        n_placements,
        popularity_exponent=0.8,
        capacity_bands=MIXED_CAPACITY_BANDS,
        seed=5,
    )
    if tied:  # pairs of equally ranked applicants: the lottery decides between them
        assert instance.company_rank is not None
        instance = instance.replace(company_rank=instance.company_rank // 2)
    busiest = int(np.bincount(instance.pref_placement).max())
    assert (n_placements - 1).bit_length() + (busiest - 1).bit_length() > 30
    config = MatchConfig(seed=3, tie_breaking=tie_breaking)
    fast = match(instance, config)
    dense = match(
        instance, MatchConfig(seed=3, tie_breaking=tie_breaking, dense_priority_keys=True)
    )
    assert fast.certificate.valid
    assert np.array_equal(fast.assignment, dense.assignment)


def test_skewed_keys_need_no_full_sort_for_strict_ranks() -> None:
    """Strict ranks over 15 placement + 17 rank bits: the key is (placement, rank), no lottery."""
    placement = np.array([0, 0, 30_000 - 1], dtype=np.int64)
    rank = np.array([120_000, 3, 7], dtype=np.int64)
    lottery = np.array([5, 9, 1], dtype=np.uint32)
    keys = priority_keys(placement, rank, lottery, 30_000)
    assert keys.tolist() == [120_000, 3, ((30_000 - 1) << 17) | 7]


def test_huge_declared_capacities_cost_nothing() -> None:
    """Issue 16 finding 3: 10**8 seats allocated 1.6 GB, 10**12 and 2**62 crashed."""
    for capacity, prefs in (
        ([10**8], [[0]]),
        ([10**12], [[0], [0]]),
        ([2**62, 2**62], [[0], [1], [0, 1]]),
        ([2**63 - 1], [[0]]),
    ):
        tracemalloc.start()
        result = match(Instance.from_lists(prefs, capacity))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 2**20, (capacity, peak)
        assert result.certificate.valid
        assert (result.assignment >= 0).all()
        assert result.report.seats == sum(capacity)


@FAST
@given(small=small_rounds(max_students=6, max_placements=3, max_capacity=3, ties=True))
def test_effective_capacity_never_exceeds_applicants_and_changes_nothing(
    small: SmallRound,
) -> None:
    instance = small.instance()
    prepared = prepare(instance)
    applicants = np.bincount(prepared.placement, minlength=prepared.n_placements)
    assert (prepared.capacity <= applicants).all()
    assert (prepared.capacity <= instance.capacity).all()
    # Raising any capacity that already covers all applicants to "unlimited" changes nothing.
    unlimited = np.where(instance.capacity >= applicants, 2**62, instance.capacity)
    for config in (MatchConfig(seed=1), MatchConfig(seed=1, improvement_cycles=True)):
        before = match(instance, config)
        after = match(instance.replace(capacity=unlimited), config)
        assert np.array_equal(before.assignment, after.assignment)
        assert after.certificate.valid


def test_effective_capacity_on_larger_random_rounds() -> None:
    rng = np.random.default_rng(11)
    for _ in range(20):
        small = random_round(rng, 60, 12, max_list=4, max_capacity=8, tie_levels=3)
        instance = small.instance()
        applicants = np.bincount(prepare(instance).placement, minlength=instance.n_placements)
        unlimited = np.where(instance.capacity >= applicants, 10**15, instance.capacity)
        for tie_breaking in TieBreaking:
            config = MatchConfig(seed=2, tie_breaking=tie_breaking)
            assert np.array_equal(
                match(instance, config).assignment,
                match(instance.replace(capacity=unlimited), config).assignment,
            )
