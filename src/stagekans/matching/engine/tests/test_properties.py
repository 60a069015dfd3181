"""Property tests on small rounds, checked against brute force over all assignments."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stagekans.matching.engine import Algorithm, MatchConfig, TieBreaking, match
from stagekans.matching.engine.certificate import StabilityStandard, certify
from stagekans.matching.engine.engine import draw_lottery
from stagekans.matching.engine.lottery import multiple_lottery, priority_keys, single_lottery
from stagekans.matching.engine.prepare import prepare
from stagekans.matching.engine.tests.support import (
    SmallRound,
    all_assignments,
    blocking_pairs,
    is_feasible,
    small_rounds,
    stable_matchings,
    student_rank,
    tie_broken_priority,
)

FAST = settings(max_examples=250, deadline=None)


def _lottery_of(small: SmallRound, config: MatchConfig) -> dict[tuple[int, int], int]:
    """Lottery value of every (student, placement), computed without the engine's pipeline."""
    pairs = list(itertools.product(range(small.n_students), range(small.n_placements)))
    if config.tie_breaking is TieBreaking.SINGLE:
        per_student = single_lottery(small.n_students, config.seed).tolist()
        return {(s, p): per_student[s] for s, p in pairs}
    student = np.array([s for s, _ in pairs], dtype=np.int64)
    placement = np.array([p for _, p in pairs], dtype=np.int64)
    values = multiple_lottery(student, placement, small.n_placements, config.seed).tolist()
    return {pair: values[i] for i, pair in enumerate(pairs)}


configs = st.builds(
    MatchConfig,
    tie_breaking=st.sampled_from(list(TieBreaking)),
    seed=st.integers(0, 2**64 - 1),
    sequential_below=st.sampled_from([0, 3, 10**6]),
)


@FAST
@given(small=small_rounds(ties=True), config=configs)
def test_student_proposing_is_stable_feasible_and_student_optimal(
    small: SmallRound, config: MatchConfig
) -> None:
    result = match(small.instance(), config)
    assignment = tuple(result.assignment.tolist())
    priority = tie_broken_priority(small, _lottery_of(small, config))
    assert is_feasible(small, assignment)  # capacity and individual rationality
    assert blocking_pairs(small, assignment, priority) == []
    assert result.certificate.valid
    lists = small.acceptable_lists()
    stable = stable_matchings(small, priority)
    assert assignment in stable
    for other in stable:
        for s, prefs in enumerate(lists):
            assert student_rank(prefs, assignment[s]) <= student_rank(prefs, other[s])


@FAST
@given(small=small_rounds(ties=True), config=configs)
def test_company_proposing_is_stable_and_student_pessimal(
    small: SmallRound, config: MatchConfig
) -> None:
    config = MatchConfig(
        algorithm=Algorithm.COMPANY_PROPOSING, tie_breaking=config.tie_breaking, seed=config.seed
    )
    result = match(small.instance(), config)
    assignment = tuple(result.assignment.tolist())
    priority = tie_broken_priority(small, _lottery_of(small, config))
    assert result.certificate.valid
    stable = stable_matchings(small, priority)
    assert assignment in stable
    lists = small.acceptable_lists()
    for other in stable:
        for s, prefs in enumerate(lists):
            assert student_rank(prefs, assignment[s]) >= student_rank(prefs, other[s])


@settings(max_examples=80, deadline=None)
@given(
    small=small_rounds(max_students=4, max_placements=3, ties=True),
    config=configs,
    data=st.data(),
)
def test_no_student_gains_by_reordering_or_truncating_her_list(
    small: SmallRound, config: MatchConfig, data: st.DataObject
) -> None:
    student = data.draw(st.integers(0, small.n_students - 1))
    truthful = match(small.instance(), config).assignment.tolist()[student]
    true_list = list(small.student_prefs[student])
    honest_rank = student_rank(true_list, truthful)
    for size in range(len(true_list) + 1):
        for lie in itertools.permutations(range(small.n_placements), size):
            outcome = match(small.with_student_list(student, lie).instance(), config)
            gained = outcome.assignment.tolist()[student]
            if gained >= 0 and gained in true_list:
                assert true_list.index(gained) >= honest_rank


@FAST
@given(small=small_rounds(ties=True), config=configs, data=st.data())
def test_certificate_agrees_with_brute_force_on_arbitrary_assignments(
    small: SmallRound, config: MatchConfig, data: st.DataObject
) -> None:
    """The certificate is only worth something if it rejects what is wrong: feed it anything."""
    assignment = data.draw(
        st.lists(
            st.integers(-1, small.n_placements - 1),
            min_size=small.n_students,
            max_size=small.n_students,
        )
    )
    prepared = prepare(small.instance())
    _, pair_lottery = draw_lottery(prepared, config)
    keys = priority_keys(
        prepared.placement, prepared.company_rank, pair_lottery, prepared.n_placements
    )
    certificate, _ = certify(
        prepared,
        np.asarray(assignment, dtype=np.int64),
        keys,
        standard=StabilityStandard.STRICT,
        stability_required=True,
    )
    priority = tie_broken_priority(small, _lottery_of(small, config))
    feasible = is_feasible(small, assignment)
    assert (certificate.capacity_respected and certificate.mutually_acceptable) or not feasible
    if feasible:
        expected = blocking_pairs(small, assignment, priority)
        assert certificate.blocking_pairs == len(expected)
        assert certificate.valid == (not expected)
    else:
        assert not certificate.valid


@FAST
@given(small=small_rounds(ties=True), data=st.data())
def test_weak_certificate_counts_blocking_pairs_by_the_definition(
    small: SmallRound, data: st.DataObject
) -> None:
    candidates = list(all_assignments(small))
    assignment = data.draw(st.sampled_from(candidates))
    prepared = prepare(small.instance())
    certificate, _ = certify(
        prepared,
        np.asarray(assignment, dtype=np.int64),
        prepared.company_rank,
        standard=StabilityStandard.WEAK,
        stability_required=True,
    )
    expected = blocking_pairs(small, assignment, small.priority)
    assert certificate.blocking_pairs == len(expected)
    assert certificate.capacity_respected and certificate.mutually_acceptable
