"""Deferred acceptance with capacities, vectorised as simultaneous proposal rounds.

Student-proposing DA with simultaneous proposals produces the same student-optimal stable matching
as the sequential algorithm: the outcome of DA does not depend on the order in which proposals are
processed. So each round lets *all* free students propose to their next choice at once, and each
placement keeps its best ``capacity`` among the students it held and the new proposers, found by
sorting the new proposals' integer keys and merging them into the already sorted seats. Work per
round is proportional to the proposals made plus the seats of the placements that received them,
never to the size of the whole instance.

A few rejection chains can drag on for many rounds with a handful of proposals each, where numpy's
per-call overhead dominates; below ``sequential_below`` free students the remaining proposals are
processed one at a time, which by the same order-independence still yields the same matching.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from stagekans.matching.engine._types import INT64_MAX, IntArray
from stagekans.matching.engine.prepare import Prepared

#: Called after every round with (round number, students still proposing, proposals so far).
RoundCallback = Callable[[int, int, int], None]


@dataclass(frozen=True)
class DeferredAcceptanceOutcome:
    """Per student the index (into the prepared pairs) of the pair she is matched by, or -1."""

    assigned_pair: IntArray
    rounds: int
    proposals: int


def _seat_offsets(capacity: IntArray) -> IntArray:
    offsets = np.zeros(capacity.size + 1, dtype=np.int64)
    np.cumsum(capacity, out=offsets[1:])
    return offsets


def _ragged_ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenate ``range(start, start + length)`` for every row without a Python loop."""
    total = int(lengths.sum())
    group_start = np.cumsum(lengths) - lengths
    return np.repeat(starts - group_start, lengths) + np.arange(total, dtype=np.int64)


def student_proposing(
    prepared: Prepared,
    key: IntArray,
    *,
    on_round: RoundCallback | None = None,
    sequential_below: int = 32,
) -> DeferredAcceptanceOutcome:
    """Student-optimal stable matching for the strict priorities encoded in ``key``.

    ``key`` must order each placement's applicants (lower is better) and, as built by
    :func:`~stagekans.matching.engine.lottery.priority_keys`, carry the placement in its high bits
    so that sorting keys groups candidates by placement.
    """
    placement, capacity = prepared.placement, prepared.capacity
    n_placements = prepared.n_placements
    pos = prepared.ptr[:-1].copy()
    end = prepared.ptr[1:]
    seat_ptr = _seat_offsets(capacity)
    seat_key = np.full(int(seat_ptr[-1]), INT64_MAX, dtype=np.int64)
    seat_student = np.full(int(seat_ptr[-1]), -1, dtype=np.int64)
    held = np.zeros(n_placements, dtype=np.int64)
    # A proposal is considered only if its key beats the cutoff: the worst held key of a full
    # placement, "anything" for one with room, and "nothing" for a placement without seats.
    cutoff = np.where(capacity > 0, INT64_MAX, -1).astype(np.int64)

    free = np.flatnonzero(pos < end).astype(np.int64)
    rounds = 0
    proposals = 0
    while free.size >= max(sequential_below, 1):
        rounds += 1
        # Cutoffs only tighten, so a proposal that cannot beat one now never will: students skip
        # straight past such choices within the round, and only viable proposals are merged.
        viable_student, viable_key, viable_target = [], [], []
        probing = free
        while probing.size:
            proposals += int(probing.size)
            at = pos[probing]
            proposal_key = key[at]
            target = placement[at]
            considered = proposal_key < cutoff[target]
            viable_student.append(probing[considered])
            viable_key.append(proposal_key[considered])
            viable_target.append(target[considered])
            rejected = probing[~considered]
            pos[rejected] += 1
            probing = rejected[pos[rejected] < end[rejected]]
        losers = _merge_round(
            np.concatenate(viable_student),
            np.concatenate(viable_key),
            np.concatenate(viable_target),
            capacity,
            seat_ptr,
            seat_key,
            seat_student,
            held,
            cutoff,
        )
        pos[losers] += 1
        free = losers[pos[losers] < end[losers]]
        if on_round is not None:
            on_round(rounds, int(free.size), proposals)
    if free.size:
        tail_proposals = _sequential_tail(
            free, pos, end, placement, key, capacity, seat_ptr, seat_key, seat_student, held, cutoff
        )
        proposals += tail_proposals
        rounds += 1
        if on_round is not None:
            on_round(rounds, 0, proposals)

    assigned_pair = np.full(prepared.n_students, -1, dtype=np.int64)
    filled = _ragged_ranges(seat_ptr[:-1], held)
    matched_students = seat_student[filled]
    assigned_pair[matched_students] = pos[matched_students]
    return DeferredAcceptanceOutcome(assigned_pair, rounds, proposals)


def _merge_round(
    students: IntArray,
    keys: IntArray,
    targets: IntArray,
    capacity: IntArray,
    seat_ptr: IntArray,
    seat_key: IntArray,
    seat_student: IntArray,
    held: IntArray,
    cutoff: IntArray,
) -> IntArray:
    """Let each placement keep its best ``capacity`` of held plus new students; return the rest.

    Seats of a placement stay sorted best-first, so the cutoff is simply its last seat.
    """
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(keys)
    keys, students, targets = keys[order], students[order], targets[order]
    boundaries = np.flatnonzero(targets[1:] != targets[:-1]) + 1
    group_start = np.concatenate((np.zeros(1, dtype=np.int64), boundaries))
    affected = targets[group_start]
    new_count = np.diff(np.append(group_start, keys.size))
    held_count = held[affected]
    total_held = int(held_count.sum())
    if total_held:
        seats = _ragged_ranges(seat_ptr[affected], held_count)
        merged_key, merged_student = _merge_sorted(
            seat_key[seats], seat_student[seats], keys, students
        )
    else:
        merged_key, merged_student = keys, students
    count = held_count + new_count
    affected_capacity = capacity[affected]
    offset_in_group = np.arange(merged_key.size, dtype=np.int64) - np.repeat(
        np.cumsum(count) - count, count
    )
    keep = offset_in_group < np.repeat(affected_capacity, count)
    seat = np.repeat(seat_ptr[affected], count)[keep] + offset_in_group[keep]
    seat_key[seat] = merged_key[keep]
    seat_student[seat] = merged_student[keep]
    held[affected] = np.minimum(count, affected_capacity)
    full = affected[count >= affected_capacity]
    cutoff[full] = seat_key[seat_ptr[full] + capacity[full] - 1]
    return merged_student[~keep]


def _merge_sorted(
    left_key: IntArray, left_value: IntArray, right_key: IntArray, right_value: IntArray
) -> tuple[IntArray, IntArray]:
    """Merge two sorted key arrays with distinct keys (cheaper than sorting the concatenation).

    The gathered seats are already globally sorted (seats are sorted within a placement and the
    placement sits in the high bits of the key), so only the interleaving has to be found.
    """
    size = left_key.size + right_key.size
    left_at = np.arange(left_key.size, dtype=np.int64) + np.searchsorted(right_key, left_key)
    right_at = np.arange(right_key.size, dtype=np.int64) + np.searchsorted(left_key, right_key)
    merged_key = np.empty(size, dtype=np.int64)
    merged_value = np.empty(size, dtype=np.int64)
    merged_key[left_at] = left_key
    merged_key[right_at] = right_key
    merged_value[left_at] = left_value
    merged_value[right_at] = right_value
    return merged_key, merged_value


def _sequential_tail(
    free: IntArray,
    pos: IntArray,
    end: IntArray,
    placement: IntArray,
    key: IntArray,
    capacity: IntArray,
    seat_ptr: IntArray,
    seat_key: IntArray,
    seat_student: IntArray,
    held: IntArray,
    cutoff: IntArray,
) -> int:
    """Classic one-proposal-at-a-time DA on the same seat arrays as the rounds."""
    stack = free.tolist()
    proposals = 0
    while stack:
        student = stack.pop()
        j = int(pos[student])
        stop = int(end[student])
        while j < stop:
            proposals += 1
            p = int(placement[j])
            k = int(key[j])
            if k >= int(cutoff[p]):
                j += 1
                continue
            base = int(seat_ptr[p])
            h = int(held[p])
            c = int(capacity[p])
            i = base + int(np.searchsorted(seat_key[base : base + h], k))
            last = base + min(h, c - 1)
            if h == c:
                loser = int(seat_student[base + c - 1])
                pos[loser] += 1
                stack.append(loser)
            else:
                held[p] = h + 1
            seat_key[i + 1 : last + 1] = seat_key[i:last]
            seat_student[i + 1 : last + 1] = seat_student[i:last]
            seat_key[i] = k
            seat_student[i] = student
            if int(held[p]) == c:
                cutoff[p] = seat_key[base + c - 1]
            break
        pos[student] = j
    return proposals


def company_proposing(
    prepared: Prepared,
    key: IntArray,
    *,
    on_round: RoundCallback | None = None,
) -> DeferredAcceptanceOutcome:
    """Company-optimal stable matching: placements offer seats down their priority order.

    Students hold their best offer. Because a student's pairs are stored best-first and
    contiguously, the pair index itself is her preference order, so "best offer" is simply the
    smallest pair index among her offers.
    """
    placement, student, capacity = prepared.placement, prepared.student, prepared.capacity
    n_placements = prepared.n_placements
    order = np.argsort(key, kind="stable")
    counts = np.bincount(placement, minlength=n_placements).astype(np.int64)
    list_ptr = np.zeros(n_placements + 1, dtype=np.int64)
    np.cumsum(counts, out=list_ptr[1:])
    next_offer = list_ptr[:-1].copy()
    list_end = list_ptr[1:]
    vacancies = capacity.copy()
    held = np.full(prepared.n_students, -1, dtype=np.int64)
    active = np.flatnonzero((vacancies > 0) & (next_offer < list_end)).astype(np.int64)
    rounds = 0
    proposals = 0
    while active.size:
        rounds += 1
        n_offers = np.minimum(vacancies[active], list_end[active] - next_offer[active])
        offers = order[_ragged_ranges(next_offer[active], n_offers)]
        proposals += int(offers.size)
        next_offer[active] += n_offers
        vacancies[active] -= n_offers
        current = held[student[offers]]
        candidates = np.unique(np.concatenate((offers, current[current >= 0])))
        owner = student[candidates]
        first = np.ones(candidates.size, dtype=np.bool_)
        first[1:] = owner[1:] != owner[:-1]
        held[owner[first]] = candidates[first]
        declined = placement[candidates[~first]]
        np.add.at(vacancies, declined, 1)
        touched = np.unique(np.concatenate((active, declined)))
        active = touched[(vacancies[touched] > 0) & (next_offer[touched] < list_end[touched])]
        if on_round is not None:
            on_round(rounds, int(active.size), proposals)
    return DeferredAcceptanceOutcome(held, rounds, proposals)
