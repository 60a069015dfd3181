"""Oracle tests: identical assignments to the PyPI ``matching`` package, and fast paths that agree
with slow ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from stagekans.matching.engine import Algorithm, Instance, MatchConfig, TieBreaking, match
from stagekans.matching.engine.synthetic import random_instance
from stagekans.matching.engine.tests.support import (
    SmallRound,
    random_round,
    small_rounds,
    solve_with_matching_package,
)

SIZES = [(1, 1), (5, 2), (20, 4), (60, 10), (150, 12), (300, 40)]


@pytest.mark.parametrize(("n_students", "n_placements"), SIZES)
@pytest.mark.parametrize("seed", range(4))
def test_student_proposing_equals_matching_package(
    n_students: int, n_placements: int, seed: int
) -> None:
    rng = np.random.default_rng([n_students, n_placements, seed])
    small = random_round(
        rng, n_students, n_placements, max_list=6, max_capacity=4, refusal_rate=0.15
    )
    result = match(small.instance(), MatchConfig(seed=seed))
    assert result.certificate.valid
    expected = solve_with_matching_package(small, "resident")
    assert tuple(result.assignment.tolist()) == expected


@pytest.mark.parametrize(("n_students", "n_placements"), SIZES)
@pytest.mark.parametrize("seed", range(3))
def test_company_proposing_equals_matching_package(
    n_students: int, n_placements: int, seed: int
) -> None:
    rng = np.random.default_rng([n_students, n_placements, seed, 1])
    small = random_round(
        rng, n_students, n_placements, max_list=6, max_capacity=4, refusal_rate=0.15
    )
    config = MatchConfig(algorithm=Algorithm.COMPANY_PROPOSING, seed=seed)
    result = match(small.instance(), config)
    assert result.certificate.valid
    expected = solve_with_matching_package(small, "hospital")
    assert tuple(result.assignment.tolist()) == expected


@settings(max_examples=200, deadline=None)
@given(small=small_rounds(max_students=9, max_placements=4, max_capacity=3))
def test_matching_package_agrees_on_generated_rounds(small: SmallRound) -> None:
    instance = small.instance()
    student_side = match(instance).assignment.tolist()
    assert tuple(student_side) == solve_with_matching_package(small, "resident")
    company = match(instance, MatchConfig(algorithm=Algorithm.COMPANY_PROPOSING))
    assert tuple(company.assignment.tolist()) == solve_with_matching_package(small, "hospital")


def test_benchmark_shaped_instance_equals_matching_package() -> None:
    """The benchmark generator's shape (10 of n/5 companies, capacity 5-10), at test size."""
    instance = random_instance(400, 80, seed=5)
    result = match(instance)
    lists = [
        tuple(int(p) for p in instance.pref_placement[a:b])
        for a, b in zip(instance.pref_ptr[:-1], instance.pref_ptr[1:], strict=True)
    ]
    assert instance.company_rank is not None
    priority: list[dict[int, int]] = [{} for _ in range(instance.n_placements)]
    for pair, s in enumerate(instance.pair_student().tolist()):
        priority[int(instance.pref_placement[pair])][s] = int(instance.company_rank[pair])
    small = SmallRound(tuple(lists), tuple(instance.capacity.tolist()), tuple(priority))
    assert tuple(result.assignment.tolist()) == solve_with_matching_package(small, "resident")


@pytest.mark.parametrize("tie_breaking", list(TieBreaking))
@pytest.mark.parametrize("seed", range(3))
def test_rounds_and_sequential_processing_agree(tie_breaking: TieBreaking, seed: int) -> None:
    """Order-independence of DA: pure rounds, pure sequential and the hybrid give one answer."""
    rng = np.random.default_rng([seed, 7])
    small = random_round(rng, 400, 25, max_list=8, max_capacity=6, tie_levels=3)
    instance = small.instance()
    outcomes = [
        match(instance, MatchConfig(tie_breaking=tie_breaking, seed=seed, sequential_below=k))
        for k in (0, 32, 10**9)
    ]
    for outcome in outcomes:
        assert outcome.certificate.valid
    assert outcomes[0].rounds >= outcomes[1].rounds >= 1
    assert outcomes[2].rounds == 1  # everything went through the sequential tail
    # Every student proposes exactly down to her final placement, whatever the order.
    assert len({outcome.proposals for outcome in outcomes}) == 1
    reference = outcomes[0].assignment
    for outcome in outcomes[1:]:
        assert np.array_equal(outcome.assignment, reference)


@pytest.mark.parametrize("algorithm", [Algorithm.STUDENT_PROPOSING, Algorithm.COMPANY_PROPOSING])
def test_dense_priority_keys_give_the_same_matching(algorithm: Algorithm) -> None:
    instance = random_instance(2000, 300, ranked=False, seed=3)
    fast = match(instance, MatchConfig(algorithm=algorithm, seed=9))
    dense = match(instance, MatchConfig(algorithm=algorithm, seed=9, dense_priority_keys=True))
    assert np.array_equal(fast.assignment, dense.assignment)


def test_same_seed_same_result_other_seed_other_result() -> None:
    """All companies accept-only: the lottery decides everything, so the seed must matter."""
    instance = random_instance(3000, 150, capacity=(1, 3), ranked=False, seed=1)
    first = match(instance, MatchConfig(seed=42))
    again = match(instance, MatchConfig(seed=42))
    other = match(instance, MatchConfig(seed=43))
    assert first.output_fingerprint() == again.output_fingerprint()
    assert first.output_fingerprint() != other.output_fingerprint()
    assert first.certificate.valid and other.certificate.valid


def test_company_rank_ties_are_broken_by_the_recorded_lottery() -> None:
    """One seat, two equally ranked applicants: the luckier lottery number wins."""
    instance = Instance.from_csr([0, 1, 2], [0, 0], [1], company_rank=[3, 3])
    for seed in range(20):
        for tie_breaking in TieBreaking:
            result = match(instance, MatchConfig(seed=seed, tie_breaking=tie_breaking))
            lottery = result.lottery.astype(np.int64)
            winner = int(np.argmin(lottery))
            assert result.assignment.tolist()[winner] == 0
            assert result.assignment.tolist()[1 - winner] == -1


def test_company_ranks_beat_the_lottery() -> None:
    instance = Instance.from_csr([0, 1, 2], [0, 0], [1], company_rank=[1, 0])
    for seed in range(20):
        assert match(instance, MatchConfig(seed=seed)).assignment.tolist() == [-1, 0]
