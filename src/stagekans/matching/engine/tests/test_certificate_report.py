"""Certificates catch planted faults; reports explain every unplaced student."""

from __future__ import annotations

import numpy as np

from stagekans.matching.engine import Instance, MatchConfig, UnplacedReason, match, recertify
from stagekans.matching.engine.eligibility import apply_eligibility


def _round() -> Instance:
    """Four students, each unplaced (or placed) for a different reason.

    ann ranks nothing; bob only ranks a placement outside the distance limit; cas is refused by
    the only company she ranks; dirk and eva both want the single seat at 'garage', which ranks
    eva first, and dirk's second choice 'bakery' is taken by fay, whom 'bakery' ranks higher.
    """
    instance = Instance.from_lists(
        [[], [2], [1], [0, 3], [0], [3]],
        [1, 1, 1, 1],
        company_prefs=[[4, 3], [], None, [5, 3]],
        student_ids=["ann", "bob", "cas", "dirk", "eva", "fay"],
        placement_ids=["garage", "shop", "farm", "bakery"],
    )
    distance = np.array([80.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    return apply_eligibility(instance, distance_km=distance, max_distance_km=25.0)


def test_report_gives_the_reason_for_every_unplaced_student() -> None:
    result = match(_round())
    assert result.certificate.valid
    labels = [UnplacedReason(int(code)).label for code in result.unplaced_reason]
    assert labels == [
        "ranked_nothing_eligible",
        "ranked_nothing_eligible",
        "refused_everywhere",
        "all_full",
        "placed",
        "placed",
    ]
    report = result.report
    assert (report.n_students, report.n_placed, report.n_unplaced) == (6, 2, 4)
    assert report.unplaced_by_reason == {
        "ranked_nothing_eligible": 2,
        "refused_everywhere": 1,
        "all_full": 1,
    }
    assert report.rank_distribution == (2,)
    assert report.mean_rank == 1.0
    assert report.mean_distance_km == (6.0 + 7.0) / 2
    assert (report.ineligible_preferences, report.refused_preferences) == (1, 1)
    assert report.seats == 4
    summary = result.to_dict()
    assert summary["report"]["unplaced_by_reason"]["all_full"] == 1
    assert summary["certificate"]["valid"] is True
    assert summary["config"]["seed"] == 0


def test_ranks_are_positions_in_the_submitted_list() -> None:
    """A refused first choice still counts: placement at the second choice is rank 2."""
    instance = Instance.from_lists([[0, 1]], [1, 1], company_prefs=[[], [0]])
    result = match(instance)
    assert result.assigned_rank.tolist() == [1]
    assert result.report.rank_distribution == (0, 1)


def test_planted_faults_are_detected() -> None:
    instance = _round()
    config = MatchConfig()
    good = match(instance, config)
    assert recertify(instance, good.assignment, config).valid

    over_capacity = good.assignment.copy()
    over_capacity[3] = 0  # dirk joins eva at the single-seat garage
    certificate = recertify(instance, over_capacity, config)
    assert not certificate.capacity_respected and not certificate.valid
    assert certificate.over_capacity == ("garage",)

    refused = good.assignment.copy()
    refused[2] = 1  # cas at the shop that refused her
    certificate = recertify(instance, refused, config)
    assert not certificate.mutually_acceptable
    assert certificate.unacceptable_assignments == (("cas", "shop"),)

    blocking = good.assignment.copy()
    blocking[4] = -1  # eva unplaced although the garage has room and wants her
    certificate = recertify(instance, blocking, config)
    assert certificate.capacity_respected and certificate.mutually_acceptable
    assert ("eva", "garage") in certificate.blocking_examples
    assert certificate.blocking_pairs == 2  # dirk would take the free garage seat too
    assert not certificate.valid

    out_of_range = good.assignment.copy()
    out_of_range[0] = 99
    assert not recertify(instance, out_of_range, config).mutually_acceptable


def test_progress_is_reported_through_every_phase() -> None:
    phases: list[str] = []
    match(_round(), progress=lambda event: phases.append(event.phase))
    assert phases[0] == "validate"
    assert phases[-1] == "done"
    assert {"match", "certify"} <= set(phases)
