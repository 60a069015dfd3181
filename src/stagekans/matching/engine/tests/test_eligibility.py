"""Eligibility: crebo recognition and travel distance."""

from __future__ import annotations

import numpy as np
import pytest

from stagekans.matching.engine import InputError, Instance
from stagekans.matching.engine.eligibility import (
    apply_eligibility,
    crebo_recognised,
    haversine_km,
    pair_distances,
)


def test_haversine_matches_known_distances() -> None:
    # Amsterdam Centraal to Utrecht Centraal is about 35 km as the crow flies.
    assert 34.0 < float(haversine_km(52.3791, 4.9003, 52.0894, 5.1100)) < 36.5
    # A quarter of the equator.
    assert float(haversine_km(0, 0, 0, 90)) == pytest.approx(np.pi * 6371.0088 / 2)
    assert float(haversine_km(51.0, 5.0, 51.0, 5.0)) == 0.0


def test_crebo_recognition_matches_a_set_based_reference() -> None:
    rng = np.random.default_rng(0)
    n_students, n_placements = 200, 30
    lengths = rng.integers(0, 6, n_students)
    prefs = [list(rng.choice(n_placements, size=k, replace=False)) for k in lengths]
    instance = Instance.from_lists(prefs, [1] * n_placements)
    student_crebo = rng.choice([25187, 25188, 90000, -1], n_students)
    recognitions = [
        sorted(set(rng.choice([25187, 25188, 90000], rng.integers(0, 3)).tolist()))
        for _ in range(n_placements)
    ]
    ptr = np.concatenate(([0], np.cumsum([len(r) for r in recognitions])))
    flat = [c for r in recognitions for c in r]
    mask = crebo_recognised(instance, student_crebo, ptr, flat)
    expected = [
        int(student_crebo[s]) in recognitions[p] for s, row in enumerate(prefs) for p in row
    ]
    assert mask.tolist() == expected
    assert any(expected) and not all(expected)


def test_distance_limit_needs_distances() -> None:
    instance = Instance.from_lists([[0]], [1])
    with pytest.raises(InputError, match="needs distances"):
        apply_eligibility(instance, max_distance_km=10.0)


def test_pair_distances_and_limit() -> None:
    instance = Instance.from_lists([[0, 1], [1]], [1, 1])
    distances = pair_distances(instance, [52.0, 52.0], [5.0, 6.0], [52.0, 52.0], [5.0, 6.0])
    assert distances[0] == 0.0 and distances[2] == 0.0 and distances[1] > 60.0
    eligible = apply_eligibility(instance, distance_km=distances, max_distance_km=30.0).eligible
    assert eligible is not None and eligible.tolist() == [True, False, True]
