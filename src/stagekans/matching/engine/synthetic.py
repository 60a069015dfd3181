"""Reproducible random rounds for tests, benchmarks and demonstrations.

The benchmark's instances come from here, so "students rank 10 of R/5 companies with capacity
5-10" means one precise thing everywhere: each student ranks ``list_length`` distinct placements
chosen uniformly, each company ranks its applicants in a uniformly random strict order.
"""

from __future__ import annotations

import numpy as np

from stagekans.matching.engine.instance import Instance


def random_instance(
    n_students: int,
    n_placements: int,
    *,
    list_length: int = 10,
    capacity: tuple[int, int] = (5, 10),
    ranked: bool = True,
    rank_levels: int | None = None,
    refusal_rate: float = 0.0,
    seed: int = 0,
) -> Instance:
    """A random round; ``ranked=False`` makes every company accept-only (ties for the lottery).

    ``rank_levels`` gives coarse company ranks instead (each applicant lands in one of that many
    priority classes), the situation in which stable improvement cycles matter.
    """
    rng = np.random.default_rng(seed)
    k = min(list_length, n_placements)
    choices = rng.integers(0, n_placements, size=(n_students, k), dtype=np.int64)
    if k > 1:
        while True:
            ordered = np.sort(choices, axis=1)
            repeated = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
            if repeated.size == 0:
                break
            choices[repeated] = rng.integers(
                0, n_placements, size=(repeated.size, k), dtype=np.int64
            )
    placement = choices.reshape(-1)
    ptr = np.arange(0, n_students * k + 1, max(k, 1), dtype=np.int64)[: n_students + 1]
    if k == 0:
        ptr = np.zeros(n_students + 1, dtype=np.int64)
    low, high = capacity
    caps = rng.integers(low, high + 1, size=n_placements, dtype=np.int64)
    company_rank = None
    if ranked and rank_levels is not None:
        company_rank = rng.integers(0, rank_levels, size=placement.size, dtype=np.int64)
    elif ranked:
        noise = rng.permutation(placement.size).astype(np.int64)
        order = np.argsort(placement * max(placement.size, 1) + noise)
        counts = np.bincount(placement, minlength=n_placements)
        starts = np.cumsum(counts) - counts
        company_rank = np.empty(placement.size, dtype=np.int64)
        company_rank[order] = np.arange(placement.size, dtype=np.int64) - starts[placement[order]]
    acceptable = None
    if refusal_rate > 0:
        acceptable = rng.random(placement.size) >= refusal_rate
    return Instance.from_csr(ptr, placement, caps, company_rank=company_rank, acceptable=acceptable)
