"""The certificate and report that accompany every matching.

The certificate re-derives everything from the instance and the final student -> placement array,
trusting nothing the algorithm kept internally, so a bug in an algorithm shows up as a failed
certificate rather than as a silently wrong round. All checks are linear in the total list length:
one pass finds each student's position of her placement, one ``maximum.at`` finds each placement's
worst admitted priority, and one pass over the preferences each student ranks above her placement
(the only ones that can block) finds the blocking pairs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stagekans.matching.engine._types import INT64_MAX, IntArray
from stagekans.matching.engine.prepare import Prepared

#: How many offending pairs or placements a certificate lists by name.
EXAMPLES = 10


class StabilityStandard(enum.StrEnum):
    """Which company priorities a blocking pair is judged against.

    ``strict`` uses the ranks with ties broken by the recorded lottery (what DA guarantees);
    ``weak`` treats equally ranked students as equal (what improvement cycles preserve).
    """

    STRICT = "strict"
    WEAK = "weak"


class UnplacedReason(enum.IntEnum):
    PLACED = 0
    NOTHING_ELIGIBLE = 1
    REFUSED_EVERYWHERE = 2
    ALL_FULL = 3

    @property
    def label(self) -> str:
        return {
            UnplacedReason.PLACED: "placed",
            UnplacedReason.NOTHING_ELIGIBLE: "ranked_nothing_eligible",
            UnplacedReason.REFUSED_EVERYWHERE: "refused_everywhere",
            UnplacedReason.ALL_FULL: "all_full",
        }[self]


@dataclass(frozen=True)
class Certificate:
    """Evidence that a matching is feasible and (where promised) stable."""

    capacity_respected: bool
    over_capacity: tuple[str, ...]
    mutually_acceptable: bool
    unacceptable_assignments: tuple[tuple[str, str], ...]
    stability_standard: StabilityStandard
    stability_required: bool
    blocking_pairs: int
    blocking_examples: tuple[tuple[str, str], ...]
    preferences_checked: int

    @property
    def stable(self) -> bool:
        return self.blocking_pairs == 0

    @property
    def valid(self) -> bool:
        return (
            self.capacity_respected
            and self.mutually_acceptable
            and (self.stable or not self.stability_required)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "capacity_respected": self.capacity_respected,
            "over_capacity": list(self.over_capacity),
            "mutually_acceptable": self.mutually_acceptable,
            "unacceptable_assignments": [list(pair) for pair in self.unacceptable_assignments],
            "stability_standard": self.stability_standard.value,
            "stability_required": self.stability_required,
            "blocking_pairs": self.blocking_pairs,
            "blocking_examples": [list(pair) for pair in self.blocking_examples],
            "preferences_checked": self.preferences_checked,
        }


@dataclass(frozen=True)
class Report:
    """What a school needs to read about a round's outcome."""

    n_students: int
    n_placed: int
    seats: int
    rank_distribution: tuple[int, ...]
    unplaced_by_reason: dict[str, int] = field(default_factory=dict)
    mean_rank: float | None = None
    mean_distance_km: float | None = None
    ineligible_preferences: int = 0
    refused_preferences: int = 0

    @property
    def n_unplaced(self) -> int:
        return self.n_students - self.n_placed

    def to_dict(self) -> dict[str, Any]:
        return {
            "n_students": self.n_students,
            "n_placed": self.n_placed,
            "n_unplaced": self.n_unplaced,
            "seats": self.seats,
            "rank_distribution": {
                str(rank + 1): count for rank, count in enumerate(self.rank_distribution)
            },
            "mean_rank": self.mean_rank,
            "unplaced_by_reason": dict(self.unplaced_by_reason),
            "mean_distance_km": self.mean_distance_km,
            "ineligible_preferences": self.ineligible_preferences,
            "refused_preferences": self.refused_preferences,
        }


def certify(
    prepared: Prepared,
    assignment: IntArray,
    priority: IntArray,
    *,
    standard: StabilityStandard,
    stability_required: bool,
) -> tuple[Certificate, IntArray]:
    """Check ``assignment`` (placement per student, -1 if unplaced) against the instance.

    ``priority`` holds, per prepared preference, the company's priority of that student (lower is
    better; only compared within one placement). Returns the certificate and, per student, the
    index of the prepared preference she was placed by (-1 if unplaced or not acceptable), which
    the report reuses.
    """
    instance = prepared.instance
    n_students, n_placements = prepared.n_students, prepared.n_placements
    placement, student = prepared.placement, prepared.student
    # Judge against the declared seats (not the effective ones the algorithms use), so an
    # assignment is checked against what the companies actually offered.
    capacity = instance.capacity
    if assignment.shape != (n_students,):
        raise ValueError(f"assignment must have shape ({n_students},), got {assignment.shape}")
    in_range = (assignment >= -1) & (assignment < n_placements)
    placed = in_range & (assignment >= 0)

    filled = np.bincount(assignment[placed], minlength=n_placements)
    over = np.flatnonzero(filled > capacity)

    matches = np.flatnonzero(placement == assignment[student])
    assigned_pair = np.full(n_students, -1, dtype=np.int64)
    assigned_pair[student[matches]] = matches
    unacceptable = np.flatnonzero(~in_range | (placed & (assigned_pair < 0)))

    acceptable_pair = assigned_pair[assigned_pair >= 0]
    worst_admitted = np.full(n_placements, -1, dtype=np.int64)
    np.maximum.at(worst_admitted, placement[acceptable_pair], priority[acceptable_pair])
    threshold = np.where(filled < capacity, INT64_MAX, worst_admitted)
    # Only preferences a student ranks above her placement (all of them if unplaced) can block.
    first = prepared.ptr[:-1]
    above = np.where(assigned_pair >= 0, assigned_pair, prepared.ptr[1:]) - first
    candidates = _ragged_ranges(first, above)
    blocking_pairs = candidates[priority[candidates] < threshold[placement[candidates]]]

    def pair_label(pair: int) -> tuple[str, str]:
        return (
            instance.student_label(int(student[pair])),
            instance.placement_label(int(placement[pair])),
        )

    certificate = Certificate(
        capacity_respected=over.size == 0,
        over_capacity=tuple(instance.placement_label(int(p)) for p in over[:EXAMPLES]),
        mutually_acceptable=unacceptable.size == 0,
        unacceptable_assignments=tuple(
            (
                instance.student_label(int(s)),
                instance.placement_label(int(assignment[s]))
                if in_range[s]
                else str(int(assignment[s])),
            )
            for s in unacceptable[:EXAMPLES]
        ),
        stability_standard=standard,
        stability_required=stability_required,
        blocking_pairs=int(blocking_pairs.size),
        blocking_examples=tuple(pair_label(int(pair)) for pair in blocking_pairs[:EXAMPLES]),
        preferences_checked=prepared.n_pairs,
    )
    return certificate, assigned_pair


def _ragged_ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    total = int(lengths.sum())
    group_start = np.cumsum(lengths) - lengths
    return np.repeat(starts - group_start, lengths) + np.arange(total, dtype=np.int64)


def unplaced_reasons(prepared: Prepared, assigned_pair: IntArray) -> IntArray:
    """Why each student is unplaced (an :class:`UnplacedReason` code, 0 when placed)."""
    reasons = np.full(prepared.n_students, int(UnplacedReason.ALL_FULL), dtype=np.int64)
    reasons[np.diff(prepared.ptr) == 0] = int(UnplacedReason.REFUSED_EVERYWHERE)
    reasons[prepared.eligible_count == 0] = int(UnplacedReason.NOTHING_ELIGIBLE)
    reasons[assigned_pair >= 0] = int(UnplacedReason.PLACED)
    return reasons


def build_report(prepared: Prepared, assigned_pair: IntArray, reasons: IntArray) -> Report:
    placed_pairs = assigned_pair[assigned_pair >= 0]
    ranks = prepared.submitted_rank(placed_pairs)
    distribution = np.bincount(ranks) if ranks.size else np.zeros(0, dtype=np.int64)
    reason_counts = np.bincount(reasons, minlength=len(UnplacedReason))
    distance = prepared.distance_km
    mean_distance = (
        float(distance[placed_pairs].mean()) if distance is not None and placed_pairs.size else None
    )
    return Report(
        n_students=prepared.n_students,
        n_placed=int(placed_pairs.size),
        # Declared seats, summed exactly: "unlimited" capacities such as 2**62 would overflow.
        seats=sum(prepared.instance.capacity.tolist()),
        rank_distribution=tuple(int(c) for c in distribution),
        unplaced_by_reason={
            reason.label: int(reason_counts[reason])
            for reason in UnplacedReason
            if reason is not UnplacedReason.PLACED
        },
        mean_rank=float(ranks.mean()) + 1.0 if ranks.size else None,
        mean_distance_km=mean_distance,
        ineligible_preferences=int(prepared.ineligible_pairs.size),
        refused_preferences=int(prepared.refused_pairs.size),
    )
