"""Seeded lotteries and the priority keys that combine them with company ranks.

The lottery is a keyed *bijective* 32-bit hash of the student index (single tie-breaking, STB) or
of the student index under a per-placement key (multiple tie-breaking, MTB), not a draw from
numpy's random generators. That buys three things: the numbers are identical on every machine and
numpy version (integer arithmetic only), they never tie (a bijection cannot map two students to one
number), and a student's MTB number at a placement depends only on (seed, student, placement), so
reordering her list cannot change her luck; the strategy-proofness argument needs exactly that.
"""

from __future__ import annotations

import enum

import numpy as np

from stagekans.matching.engine._types import IntArray, U32Array

_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
MAX_SEED = _MASK64


class TieBreaking(enum.StrEnum):
    """How ties in company priorities are broken.

    STB gives each student one number used at every placement; MTB draws a fresh number per
    (student, placement). STB is what stable improvement cycles are defined against.
    """

    SINGLE = "stb"
    MULTIPLE = "mtb"


def _splitmix64(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & _MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return state, z ^ (z >> 31)


def round_keys(seed: int, count: int) -> list[int]:
    """Expand a user seed into independent 32-bit round keys (pure integer arithmetic)."""
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"lottery seed must lie in 0..{MAX_SEED}, got {seed}")
    keys = []
    state = seed
    for _ in range(count):
        state, value = _splitmix64(state)
        keys.append(value & _MASK32)
    return keys


def mix32(x: U32Array) -> U32Array:
    """Wellons' low-bias 32-bit finaliser: every step is invertible, so the map is a bijection."""
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x21F0AAAD)
    x = x ^ (x >> np.uint32(15))
    x = x * np.uint32(0x735A2D97)
    return x ^ (x >> np.uint32(15))


def _check_index_range(n: int) -> None:
    if n > 2**32:
        raise ValueError("the lottery supports at most 2**32 students")


def single_lottery(n_students: int, seed: int) -> U32Array:
    """STB: one number per student, lower is luckier, all distinct."""
    _check_index_range(n_students)
    k0, k1, k2 = round_keys(seed, 3)
    x = np.arange(n_students, dtype=np.uint32) ^ np.uint32(k0)
    x = mix32(x) + np.uint32(k1)
    return mix32(mix32(x) ^ np.uint32(k2))


def multiple_lottery(
    student: IntArray, placement: IntArray, n_placements: int, seed: int
) -> U32Array:
    """MTB: one number per (student, placement) pair, distinct among a placement's applicants."""
    _check_index_range(int(student.max()) + 1 if student.size else 0)
    k0, k1, k2, k3, k4 = round_keys(seed, 5)
    p = np.arange(n_placements, dtype=np.uint32)
    outer = mix32(mix32(p ^ np.uint32(k0)) + np.uint32(k1))
    inner = mix32(outer ^ np.uint32(k2))
    x = student.astype(np.uint32) ^ outer[placement]
    x = mix32(x) + inner[placement]
    x = mix32(x) ^ np.uint32(k3)
    return mix32(mix32(x) + np.uint32(k4))


def priority_keys(
    placement: IntArray,
    company_rank: IntArray,
    lottery: U32Array,
    n_placements: int,
    *,
    dense: bool = False,
    student: IntArray | None = None,
    student_lottery: U32Array | None = None,
) -> IntArray:
    """One int64 per preference ordering (placement, company rank, lottery) lexicographically.

    With the placement in the high bits, sorting keys groups proposals by placement and ranks
    them within it in a single integer sort, and comparing two keys of one placement compares
    the students' priorities there. Keys stay below 2**62, so ``INT64_MAX`` is free to mean "no
    cutoff" in the algorithms. Packing (placement, rank, 32-bit lottery) needs
    ``placement_bits + rank_bits <= 30``; national rounds with skewed popularity exceed that (one
    placement with 120k applicants needs 17 rank bits next to 15 placement bits), so in order:

    1. ranks that are strict within every placement (a full company ranking) need no lottery:
       the key is ``placement << rank_bits | rank`` (checked with one ``np.sort``);
    2. with single tie-breaking (``student`` and ``student_lottery`` given) the lottery is
       replaced by each student's position in the lottery, ``ceil(log2 n_students)`` bits;
    3. otherwise the key falls back to the dense rank within the placement (one sort).

    Every path orders the preferences of a placement identically (tested), so the matching does
    not depend on which one was taken; ``dense=True`` forces the fallback for those tests.
    """
    if placement.size == 0:
        return np.zeros(0, dtype=np.int64)
    placement_bits = max(n_placements - 1, 0).bit_length()
    rank_bits = int(company_rank.max()).bit_length()
    if not dense:
        if placement_bits + rank_bits + 32 <= _KEY_BITS:
            keys = placement << rank_bits
            keys += company_rank
            keys <<= 32
            keys |= lottery
            return keys
        if placement_bits + rank_bits <= _KEY_BITS:
            ranked = placement << rank_bits
            ranked |= company_rank
            ordered = np.sort(ranked)
            if not bool((ordered[1:] == ordered[:-1]).any()):
                return ranked
            del ordered
            if student is not None and student_lottery is not None:
                student_bits = max(student_lottery.size - 1, 0).bit_length()
                if placement_bits + rank_bits + student_bits <= _KEY_BITS:
                    position = np.empty(student_lottery.size, dtype=np.int64)
                    position[np.argsort(student_lottery)] = np.arange(
                        student_lottery.size, dtype=np.int64
                    )
                    ranked <<= student_bits
                    ranked |= position[student]
                    return ranked
    counts = np.bincount(placement, minlength=n_placements)
    if placement_bits + rank_bits <= 32:
        composite = (placement << rank_bits | company_rank).astype(np.uint64) << np.uint64(32)
        composite |= lottery.astype(np.uint64)
        order = np.argsort(composite)
        del composite
    else:
        order = np.lexsort((lottery, company_rank, placement))
    starts = np.cumsum(counts) - counts
    within = np.empty(placement.size, dtype=np.int64)
    within[order] = np.arange(placement.size, dtype=np.int64) - starts[placement[order]]
    within_bits = int(counts.max()).bit_length()
    if placement_bits + within_bits > _KEY_BITS:
        raise ValueError("too many placements and applicants to build 62-bit priority keys")
    return (placement << within_bits) | within


#: Priority keys stay below 2**62 (see :func:`priority_keys`).
_KEY_BITS = 62
