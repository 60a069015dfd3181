"""Degenerate rounds must still produce a certified, explained result under every configuration."""

from __future__ import annotations

import pytest

from stagekans.matching.engine import Algorithm, Instance, MatchConfig, TieBreaking, match

CONFIGS = [
    MatchConfig(),
    MatchConfig(tie_breaking=TieBreaking.MULTIPLE),
    MatchConfig(algorithm=Algorithm.COMPANY_PROPOSING),
    MatchConfig(algorithm=Algorithm.SCHOOL_LED),
    MatchConfig(improvement_cycles=True),
    MatchConfig(dense_priority_keys=True),
]

ROUNDS = {
    "nobody": (Instance.from_lists([], []), [], {}),
    "no placements": (
        Instance.from_lists([[], []], []),
        [-1, -1],
        {"ranked_nothing_eligible": 2},
    ),
    "no seats": (Instance.from_lists([[0], [0]], [0]), [-1, -1], {"all_full": 2}),
    "all refused": (
        Instance.from_lists([[0, 1], [1]], [1, 1], company_prefs=[[], []]),
        [-1, -1],
        {"refused_everywhere": 2},
    ),
    "everyone fits": (Instance.from_lists([[1, 0], [0]], [1, 1]), [1, 0], {}),
}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.algorithm}-{c.tie_breaking}")
@pytest.mark.parametrize("name", list(ROUNDS))
def test_degenerate_rounds(name: str, config: MatchConfig) -> None:
    instance, expected, reasons = ROUNDS[name]
    result = match(instance, config)
    assert result.certificate.valid
    assert result.assignment.tolist() == expected
    unplaced = {
        reason: count for reason, count in result.report.unplaced_by_reason.items() if count
    }
    assert unplaced == reasons
    assert result.to_dict()["report"]["n_placed"] == sum(p >= 0 for p in expected)
