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


#: Share of placements per capacity band in the national mixed-capacity cases (issue 16): most
#: companies offer a handful of seats, a few large employers (hospitals, retail chains) many.
MIXED_CAPACITY_BANDS: tuple[tuple[float, int, int], ...] = (
    (0.6, 1, 5),
    (0.3, 6, 30),
    (0.1, 31, 150),
)


def national_instance(
    n_students: int,
    n_placements: int,
    *,
    list_length: int = 10,
    popularity_exponent: float = 0.0,
    capacity_bands: tuple[tuple[float, int, int], ...] | None = None,
    capacity: tuple[int, int] = (5, 10),
    ranked: bool = True,
    seed: int = 0,
) -> Instance:
    """A national round with skewed popularity and/or mixed capacities.

    ``popularity_exponent`` > 0 draws choices from a Zipf-like law: the ``j``-th most popular
    placement (in a random order of placements) is chosen with weight ``(j + 1) ** -exponent``,
    so at 0.8 over 30,000 placements the favourite gets about a fifth of all students.
    ``capacity_bands`` lists (share, lowest, highest) seat bands; without it capacities are
    uniform in ``capacity``. Companies rank their applicants in a uniformly random strict order.
    """
    rng = np.random.default_rng(seed)
    k = min(list_length, n_placements)
    weights = np.arange(1, n_placements + 1, dtype=np.float64) ** -popularity_exponent
    weights /= weights.sum()
    cumulative = np.cumsum(weights)
    popularity_order = rng.permutation(n_placements).astype(np.int64)

    def draw(size: tuple[int, int]) -> np.ndarray:
        if popularity_exponent == 0:
            return rng.integers(0, n_placements, size=size, dtype=np.int64)
        position = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
        return popularity_order[np.minimum(position, n_placements - 1)]

    choices = draw((n_students, k))
    if k > 1:
        while True:
            ordered = np.sort(choices, axis=1)
            repeated = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
            if repeated.size == 0:
                break
            # Redraw only the repeated entries, keeping the first occurrence of each placement.
            rows = choices[repeated]
            order = np.argsort(rows, axis=1, kind="stable")
            sorted_rows = np.take_along_axis(rows, order, axis=1)
            dup_sorted = np.zeros_like(sorted_rows, dtype=np.bool_)
            dup_sorted[:, 1:] = sorted_rows[:, 1:] == sorted_rows[:, :-1]
            dup = np.zeros_like(dup_sorted)
            np.put_along_axis(dup, order, dup_sorted, axis=1)
            rows[dup] = draw((int(dup.sum()), 1))[:, 0]
            choices[repeated] = rows
    placement = choices.reshape(-1)
    ptr = np.arange(0, n_students * k + 1, max(k, 1), dtype=np.int64)[: n_students + 1]
    if k == 0:
        ptr = np.zeros(n_students + 1, dtype=np.int64)
    if capacity_bands is None:
        caps = rng.integers(capacity[0], capacity[1] + 1, size=n_placements, dtype=np.int64)
    else:
        shares = np.asarray([band[0] for band in capacity_bands], dtype=np.float64)
        band = rng.choice(len(capacity_bands), size=n_placements, p=shares / shares.sum())
        low = np.asarray([b[1] for b in capacity_bands], dtype=np.int64)[band]
        high = np.asarray([b[2] for b in capacity_bands], dtype=np.int64)[band]
        caps = low + (rng.random(n_placements) * (high - low + 1)).astype(np.int64)
    company_rank = None
    if ranked:
        noise = rng.permutation(placement.size).astype(np.int64)
        order = np.argsort(placement * max(placement.size, 1) + noise)
        counts = np.bincount(placement, minlength=n_placements)
        starts = np.cumsum(counts) - counts
        company_rank = np.empty(placement.size, dtype=np.int64)
        company_rank[order] = np.arange(placement.size, dtype=np.int64) - starts[placement[order]]
    return Instance.from_csr(ptr, placement, caps, company_rank=company_rank)


def crebo_instance(
    n_students: int,
    *,
    students_per_placement: float = 5.0,
    n_crebos: int = 400,
    n_regions: int = 40,
    list_length: int = 10,
    capacity: tuple[int, int] = (1, 6),
    seed: int = 0,
) -> Instance:
    """A national round in which students only rank placements of their crebo and region.

    That is what eligibility does to a real round (recognised for the student's programme and
    within travel distance): the student-placement graph splits into many independent parts.
    Crebo sizes follow a Zipf law (a few large programmes, many small ones); regions are uniform.
    Companies accept everyone who applies (ranks play no role in school-led assignment).
    """
    rng = np.random.default_rng(seed)
    n_placements = max(int(n_students / students_per_placement), 1)
    crebo_weight = np.arange(1, n_crebos + 1, dtype=np.float64) ** -1.0
    crebo_weight /= crebo_weight.sum()
    n_groups = n_crebos * n_regions

    def group_of(size: int) -> np.ndarray:
        crebo = rng.choice(n_crebos, size=size, p=crebo_weight)
        return crebo * n_regions + rng.integers(0, n_regions, size=size)

    placement_group = group_of(n_placements)
    student_group = group_of(n_students)
    by_group = np.argsort(placement_group, kind="stable").astype(np.int64)
    group_size = np.bincount(placement_group, minlength=n_groups)
    group_start = np.cumsum(group_size) - group_size
    size = group_size[student_group]
    lengths = np.minimum(size, list_length)
    ptr = np.zeros(n_students + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    owner = np.repeat(np.arange(n_students, dtype=np.int64), lengths)
    # Distinct offsets per student: a random rotation of a random stride through the group.
    slot = np.arange(ptr[-1], dtype=np.int64) - ptr[owner]
    rotation = rng.integers(0, np.maximum(size, 1))[owner]
    offset = (rotation + slot) % np.maximum(size[owner], 1)
    placement = by_group[group_start[student_group[owner]] + offset]
    caps = rng.integers(capacity[0], capacity[1] + 1, size=n_placements, dtype=np.int64)
    return Instance.from_csr(ptr, placement, caps)
