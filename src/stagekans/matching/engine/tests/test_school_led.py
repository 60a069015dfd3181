"""School-led assignment: maximum placed, then minimum rank sum; checked two independent ways."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from stagekans.matching.engine import Algorithm, Instance, MatchConfig, match
from stagekans.matching.engine.eligibility import apply_eligibility
from stagekans.matching.engine.prepare import prepare
from stagekans.matching.engine.school_led import school_led
from stagekans.matching.engine.synthetic import random_instance
from stagekans.matching.engine.tests.support import (
    SmallRound,
    all_assignments,
    is_feasible,
    small_rounds,
)

SCHOOL = MatchConfig(algorithm=Algorithm.SCHOOL_LED)


def _objective(small: SmallRound, assignment: tuple[int, ...]) -> tuple[int, int]:
    """(placed, rank sum) with ranks as positions in the submitted lists."""
    placed = [s for s, p in enumerate(assignment) if p >= 0]
    return len(placed), sum(small.student_prefs[s].index(assignment[s]) for s in placed)


@settings(max_examples=150, deadline=None)
@given(small=small_rounds(max_students=5, max_placements=3))
def test_school_led_is_optimal_by_brute_force(small: SmallRound) -> None:
    result = match(small.instance(), SCHOOL)
    assignment = tuple(result.assignment.tolist())
    assert is_feasible(small, assignment)
    assert result.certificate.valid
    best = max(
        all_assignments(small), key=lambda a: (_objective(small, a)[0], -_objective(small, a)[1])
    )
    assert _objective(small, assignment) == _objective(small, best)


def _expanded_optimum(instance: Instance) -> tuple[int, int]:
    """The same optimum via LAPJVsp on a graph with one column per seat plus a dummy per student."""
    prepared = prepare(instance)
    rank = prepared.submitted_rank()
    seat_ptr = np.concatenate(([0], np.cumsum(prepared.capacity)))
    seats = int(seat_ptr[-1])
    big = prepared.n_students * (int(rank.max()) + 1) + 1
    rows, cols, weights = [], [], []
    for pair in range(prepared.n_pairs):
        p = int(prepared.placement[pair])
        for seat in range(int(seat_ptr[p]), int(seat_ptr[p + 1])):
            rows.append(int(prepared.student[pair]))
            cols.append(seat)
            weights.append(int(rank[pair]) + 1)
    for s in range(prepared.n_students):
        rows.append(s)
        cols.append(seats + s)
        weights.append(big)
    graph = csr_array(
        (np.asarray(weights, float), (rows, cols)),
        shape=(prepared.n_students, seats + prepared.n_students),
    )
    row, col = min_weight_full_bipartite_matching(graph)
    real = col < seats
    total = float(graph[row[real], col[real]].sum())
    placed = int(real.sum())
    return placed, round(total) - placed


@pytest.mark.parametrize("seed", range(3))
def test_school_led_agrees_with_an_assignment_solver(seed: int) -> None:
    instance = random_instance(300, 40, list_length=5, capacity=(0, 6), refusal_rate=0.2, seed=seed)
    outcome = school_led(prepare(instance))
    assert (outcome.placed, outcome.rank_sum) == _expanded_optimum(instance)


def test_school_led_places_more_than_deferred_acceptance_when_it_can() -> None:
    """A stable matching may leave a student out that the school can still place."""
    instance = Instance.from_lists(
        [[0, 1], [0]], [1, 1], company_prefs=[[0, 1], [0]]
    )  # student 0 is the company's favourite at 0, but only she can go to 1
    stable = match(instance)
    school = match(instance, SCHOOL)
    assert stable.report.n_placed == 1
    assert school.report.n_placed == 2
    assert school.assignment.tolist() == [1, 0]
    assert school.certificate.valid
    assert school.certificate.blocking_pairs == 1
    assert not school.config.guarantees.stable
    assert not school.config.guarantees.strategy_proof_for_students


def test_school_led_honours_eligibility() -> None:
    instance = Instance.from_lists([[0, 1], [1]], [1, 1], placement_ids=["near", "far"])
    instance = apply_eligibility(
        instance, distance_km=np.array([5.0, 50.0, 50.0]), max_distance_km=20.0
    )
    result = match(instance, SCHOOL)
    assert result.assignment.tolist() == [0, -1]
    assert result.report.unplaced_by_reason["ranked_nothing_eligible"] == 1
