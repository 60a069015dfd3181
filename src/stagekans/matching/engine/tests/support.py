"""Independent reference implementations the engine is checked against.

Everything here is deliberately naive (plain Python, enumeration) so that it shares no code and no
cleverness with the engine: brute-force stable matchings, blocking pairs by definition, and the
conversion to the PyPI ``matching`` package used as an oracle.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from stagekans.matching.engine.instance import Instance

Assignment = tuple[int, ...]


@dataclass(frozen=True)
class SmallRound:
    """A round in list form: what a person would write down, and what the oracles consume.

    ``priority[p][s]`` is placement ``p``'s priority of student ``s`` (lower is better, equal
    values tie); a student missing from ``priority[p]`` is refused by ``p``.
    """

    student_prefs: tuple[tuple[int, ...], ...]
    capacity: tuple[int, ...]
    priority: tuple[dict[int, int], ...]

    @property
    def n_students(self) -> int:
        return len(self.student_prefs)

    @property
    def n_placements(self) -> int:
        return len(self.capacity)

    def acceptable_lists(self) -> list[list[int]]:
        """Each student's list restricted to placements that accept her."""
        return [
            [p for p in prefs if s in self.priority[p]]
            for s, prefs in enumerate(self.student_prefs)
        ]

    def instance(self) -> Instance:
        ptr = np.zeros(self.n_students + 1, dtype=np.int64)
        np.cumsum([len(prefs) for prefs in self.student_prefs], out=ptr[1:])
        flat = [p for prefs in self.student_prefs for p in prefs]
        pairs = [(s, p) for s, prefs in enumerate(self.student_prefs) for p in prefs]
        rank = [self.priority[p].get(s, 0) for s, p in pairs]
        acceptable = [s in self.priority[p] for s, p in pairs]
        return Instance.from_csr(
            ptr,
            np.asarray(flat, dtype=np.int64),
            np.asarray(self.capacity, dtype=np.int64),
            company_rank=np.asarray(rank, dtype=np.int64),
            acceptable=np.asarray(acceptable, dtype=np.bool_),
        )

    def with_student_list(self, student: int, prefs: Sequence[int]) -> SmallRound:
        lists = list(self.student_prefs)
        lists[student] = tuple(prefs)
        return SmallRound(tuple(lists), self.capacity, self.priority)


@st.composite
def small_rounds(
    draw: st.DrawFn,
    *,
    max_students: int = 5,
    max_placements: int = 3,
    max_capacity: int = 2,
    ties: bool = False,
) -> SmallRound:
    """Random small rounds; ``ties=False`` gives strict company priorities."""
    n_students = draw(st.integers(1, max_students))
    n_placements = draw(st.integers(1, max_placements))
    capacity = tuple(draw(st.integers(0, max_capacity)) for _ in range(n_placements))
    prefs = tuple(
        tuple(draw(st.permutations(range(n_placements)))[: draw(st.integers(0, n_placements))])
        for _ in range(n_students)
    )
    priority = []
    for _ in range(n_placements):
        accepted = [s for s in range(n_students) if draw(st.integers(0, 4)) > 0]
        if ties:
            priority.append({s: draw(st.integers(0, 1)) for s in accepted})
        else:
            order = draw(st.permutations(accepted))
            priority.append({s: rank for rank, s in enumerate(order)})
    return SmallRound(prefs, capacity, tuple(priority))


def all_assignments(small: SmallRound) -> Iterator[Assignment]:
    """Every capacity-respecting assignment of students to acceptable placements (or none)."""
    options = [[-1, *prefs] for prefs in small.acceptable_lists()]
    for candidate in itertools.product(*options):
        counts = [0] * small.n_placements
        for p in candidate:
            if p >= 0:
                counts[p] += 1
        if all(c <= cap for c, cap in zip(counts, small.capacity, strict=True)):
            yield tuple(candidate)


def prefers(prefs: Sequence[int], a: int, b: int) -> bool:
    """Does a student with list ``prefs`` strictly prefer ``a`` to ``b`` (-1 = unplaced)?"""
    if a < 0 or a not in prefs:
        return False
    return b < 0 or prefs.index(a) < prefs.index(b)


def blocking_pairs(
    small: SmallRound, assignment: Sequence[int], priority: Sequence[dict[int, int]]
) -> list[tuple[int, int]]:
    """Blocking pairs straight from the definition, under the given (maybe tie-broken) priority."""
    lists = small.acceptable_lists()
    result = []
    for s, prefs in enumerate(lists):
        for p in prefs:
            if not prefers(prefs, p, assignment[s]):
                continue
            holders = [t for t, q in enumerate(assignment) if q == p]
            if len(holders) < small.capacity[p] or any(
                priority[p][s] < priority[p][t] for t in holders
            ):
                result.append((s, p))
    return result


def is_feasible(small: SmallRound, assignment: Sequence[int]) -> bool:
    lists = small.acceptable_lists()
    if any(p >= 0 and p not in lists[s] for s, p in enumerate(assignment)):
        return False
    counts = [0] * small.n_placements
    for p in assignment:
        if 0 <= p < small.n_placements:
            counts[p] += 1
        elif p >= small.n_placements or p < -1:
            return False
    return all(c <= cap for c, cap in zip(counts, small.capacity, strict=True))


def stable_matchings(small: SmallRound, priority: Sequence[dict[int, int]]) -> list[Assignment]:
    return [a for a in all_assignments(small) if not blocking_pairs(small, a, priority)]


def student_rank(prefs: Sequence[int], placement: int) -> int:
    """Position of ``placement`` in ``prefs``; unplaced counts as worse than any listed choice."""
    return prefs.index(placement) if placement >= 0 else len(prefs)


def tie_broken_priority(
    small: SmallRound, lottery_of: dict[tuple[int, int], int]
) -> list[dict[int, int]]:
    """Company priority with ties broken by the lottery value of each (student, placement)."""
    broken = []
    for p, ranks in enumerate(small.priority):
        order = sorted((ranks[s], lottery_of[(s, p)], s) for s in ranks)
        broken.append({s: i for i, (_, _, s) in enumerate(order)})
    return broken


#: ``HospitalResident`` deep-copies its linked player graph, which exceeds Python's recursion limit
#: beyond a few hundred players; larger rounds call the same algorithm function directly.
_GAME_LIMIT = 150


def solve_with_matching_package(small: SmallRound, optimal: str) -> Assignment:
    """Run the PyPI ``matching`` HospitalResident solver on the mutually acceptable lists."""
    from matching.algorithms import hospital_resident
    from matching.games import HospitalResident
    from matching.games.hospital_resident import _make_players

    lists = small.acceptable_lists()
    resident_prefs = {
        f"s{s}": [f"p{p}" for p in prefs if small.capacity[p] > 0] for s, prefs in enumerate(lists)
    }
    resident_prefs = {r: prefs for r, prefs in resident_prefs.items() if prefs}
    hospital_prefs: dict[str, list[str]] = {}
    for p, ranks in enumerate(small.priority):
        if small.capacity[p] == 0:
            continue
        applicants = [
            s
            for s in sorted(ranks, key=ranks.__getitem__)
            if f"p{p}" in resident_prefs.get(f"s{s}", [])
        ]
        if applicants:
            hospital_prefs[f"p{p}"] = [f"s{s}" for s in applicants]
    capacities = {h: small.capacity[int(h[1:])] for h in hospital_prefs}
    assignment = [-1] * small.n_students
    if not resident_prefs:
        return tuple(assignment)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(resident_prefs) <= _GAME_LIMIT:
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, capacities
            )
            solution = game.solve(optimal=optimal)
        else:
            residents, hospitals = _make_players(resident_prefs, hospital_prefs, capacities)
            solution = hospital_resident(residents, hospitals, optimal=optimal)
    for hospital, residents in solution.items():
        for resident in residents:
            assignment[int(resident.name[1:])] = int(hospital.name[1:])
    return tuple(assignment)


def random_round(
    rng: np.random.Generator,
    n_students: int,
    n_placements: int,
    *,
    max_list: int,
    max_capacity: int,
    refusal_rate: float = 0.1,
    tie_levels: int | None = None,
) -> SmallRound:
    """A random round of any size, for oracle comparisons beyond what enumeration can handle."""
    prefs = []
    for _ in range(n_students):
        length = int(rng.integers(0, min(max_list, n_placements) + 1))
        prefs.append(tuple(int(p) for p in rng.choice(n_placements, size=length, replace=False)))
    capacity = tuple(int(c) for c in rng.integers(0, max_capacity + 1, size=n_placements))
    priority = []
    for _ in range(n_placements):
        accepted = [s for s in range(n_students) if rng.random() >= refusal_rate]
        if tie_levels is None:
            order = rng.permutation(len(accepted))
            priority.append({s: int(order[i]) for i, s in enumerate(accepted)})
        else:
            priority.append({s: int(rng.integers(0, tie_levels)) for s in accepted})
    return SmallRound(tuple(prefs), capacity, tuple(priority))
