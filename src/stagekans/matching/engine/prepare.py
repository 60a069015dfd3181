"""Validation and filtering: turn an :class:`Instance` into the mutually acceptable pair lists.

Every algorithm and the certificate work on the *prepared* lists, which only contain preferences
that are eligible (school rule) and acceptable to the company. Filtering happens once here, and the
removed preferences are recorded so the report can say why a student was not placed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stagekans.matching.engine._types import FloatArray, IntArray
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.instance import MAX_COMPANY_RANK, Instance


@dataclass(frozen=True, eq=False)
class Prepared:
    """Validated, filtered CSR lists plus the bookkeeping needed to explain the outcome.

    ``source_pair`` maps each kept preference back to its index in the instance arrays, so ranks
    are always reported as positions in the list the student actually submitted.
    """

    instance: Instance
    ptr: IntArray
    placement: IntArray
    student: IntArray
    company_rank: IntArray
    capacity: IntArray
    """Effective capacity: the declared seats, but never more than the placement's applicants."""
    source_pair: IntArray
    distance_km: FloatArray | None
    eligible_count: IntArray
    ineligible_pairs: IntArray
    refused_pairs: IntArray
    ranked_by_companies: bool

    @property
    def n_students(self) -> int:
        return self.instance.n_students

    @property
    def n_placements(self) -> int:
        return self.instance.n_placements

    @property
    def n_pairs(self) -> int:
        return int(self.placement.size)

    def submitted_rank(self, pairs: IntArray | None = None) -> IntArray:
        """0-based position of kept preferences (all, or ``pairs``) in the submitted lists."""
        if pairs is None:
            return self.source_pair - self.instance.pref_ptr[self.student]
        return self.source_pair[pairs] - self.instance.pref_ptr[self.student[pairs]]


def prepare(instance: Instance) -> Prepared:
    """Validate the semantics of ``instance`` and drop ineligible or refused preferences.

    Structural problems (ragged arrays) are caught when the instance is built; this adds the
    checks that need the data itself. Every error names the first offending student or placement
    and counts how many more there are.
    """
    n_placements = instance.n_placements
    capacity = instance.capacity
    negative = capacity < 0
    if negative.any():
        first = int(np.flatnonzero(negative)[0])
        label = instance.placement_label(first)
        raise InputError(
            f"placement {label!r} has negative capacity {int(capacity[first])}",
            placement=label,
            occurrences=int(negative.sum()),
        )
    _check_unique_ids(instance)

    placement = instance.pref_placement
    pair_student = instance.pair_student()
    if placement.size:
        low, high = int(placement.min()), int(placement.max())
        if low < 0 or high >= n_placements:
            unknown = (placement < 0) | (placement >= n_placements)
            first = int(np.flatnonzero(unknown)[0])
            student = instance.student_label(int(pair_student[first]))
            raise InputError(
                f"student {student!r} ranks unknown placement {int(placement[first])} "
                f"(there are {n_placements} placements)",
                student=student,
                occurrences=int(unknown.sum()),
            )
    _check_duplicates(instance, pair_student)

    company_rank = instance.company_rank
    if (
        company_rank is not None
        and company_rank.size
        and (int(company_rank.min()) < 0 or int(company_rank.max()) > MAX_COMPANY_RANK)
    ):
        bad = (company_rank < 0) | (company_rank > MAX_COMPANY_RANK)
        first = int(np.flatnonzero(bad)[0])
        student = instance.student_label(int(pair_student[first]))
        place = instance.placement_label(int(placement[first]))
        raise InputError(
            f"placement {place!r} gives student {student!r} rank {int(company_rank[first])}; "
            f"company ranks must lie in 0..{MAX_COMPANY_RANK}",
            student=student,
            placement=place,
            occurrences=int(bad.sum()),
        )
    distance = instance.distance_km
    if distance is not None and distance.size:
        bad = ~np.isfinite(distance) | (distance < 0)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            student = instance.student_label(int(pair_student[first]))
            place = instance.placement_label(int(placement[first]))
            raise InputError(
                f"travel distance from student {student!r} to placement {place!r} is "
                f"{float(distance[first])}; distances must be finite and non-negative",
                student=student,
                placement=place,
                occurrences=int(bad.sum()),
            )

    ptr = instance.pref_ptr
    eligible, acceptable = instance.eligible, instance.acceptable
    if eligible is None and acceptable is None:
        return Prepared(
            instance=instance,
            ptr=ptr,
            placement=placement,
            student=pair_student,
            company_rank=_company_rank_or_ties(instance),
            capacity=effective_capacity(capacity, placement),
            source_pair=np.arange(placement.size, dtype=np.int64),
            distance_km=distance,
            eligible_count=np.diff(ptr),
            ineligible_pairs=np.zeros(0, dtype=np.int64),
            refused_pairs=np.zeros(0, dtype=np.int64),
            ranked_by_companies=company_rank is not None,
        )

    is_eligible = np.ones(placement.size, dtype=np.bool_) if eligible is None else eligible
    keep = is_eligible if acceptable is None else is_eligible & acceptable
    eligible_prefix = np.zeros(placement.size + 1, dtype=np.int64)
    np.cumsum(is_eligible, out=eligible_prefix[1:])
    keep_prefix = np.zeros(placement.size + 1, dtype=np.int64)
    np.cumsum(keep, out=keep_prefix[1:])
    source = np.flatnonzero(keep).astype(np.int64)
    kept_placement = placement[source]
    refused = (
        np.zeros(0, dtype=np.int64)
        if acceptable is None
        else np.flatnonzero(is_eligible & ~acceptable).astype(np.int64)
    )
    return Prepared(
        instance=instance,
        ptr=keep_prefix[ptr],
        placement=kept_placement,
        student=pair_student[source],
        company_rank=_company_rank_or_ties(instance)[source],
        capacity=effective_capacity(capacity, kept_placement),
        source_pair=source,
        distance_km=None if distance is None else distance[source],
        eligible_count=np.diff(eligible_prefix[ptr]),
        ineligible_pairs=np.flatnonzero(~is_eligible).astype(np.int64),
        refused_pairs=refused,
        ranked_by_companies=company_rank is not None,
    )


def effective_capacity(capacity: IntArray, placement: IntArray) -> IntArray:
    """Seats that can actually be filled: at most one per (eligible, acceptable) applicant.

    Every algorithm allocates per seat, so a declared capacity of 10**12 ("unlimited") would
    otherwise cost memory in proportion to the declaration; capped, memory follows the applicants
    and the matching is unchanged (a placement can never hold more students than applied).
    """
    applicants = np.bincount(placement, minlength=capacity.size)
    return np.minimum(capacity, applicants).astype(np.int64, copy=False)


def _company_rank_or_ties(instance: Instance) -> IntArray:
    if instance.company_rank is None:
        return np.zeros(instance.n_preferences, dtype=np.int64)
    return instance.company_rank


def _check_unique_ids(instance: Instance) -> None:
    for kind, ids in (("student", instance.student_ids), ("placement", instance.placement_ids)):
        if ids is None or len(set(ids)) == len(ids):
            continue
        seen: set[str] = set()
        for label in ids:
            if label in seen:
                raise InputError(
                    f"{kind} id {label!r} is used for more than one {kind}",
                    student=label if kind == "student" else None,
                    placement=label if kind == "placement" else None,
                )
            seen.add(label)


def _check_duplicates(instance: Instance, pair_student: IntArray) -> None:
    """Reject a student listing one placement twice; her rank there would be ambiguous.

    Lists are short, so the usual path pads them into a (students x longest list) matrix and
    sorts each row, which is far cheaper than a global sort of all preferences.
    """
    ptr, placement = instance.pref_ptr, instance.pref_placement
    n_students, n_pairs = instance.n_students, instance.n_preferences
    if n_pairs < 2:
        return
    lengths = np.diff(ptr)
    longest = int(lengths.max())
    if longest < 2:
        return
    duplicate_student: int
    duplicate_placement: int
    if n_students * longest <= 4 * n_pairs + 1024:
        if int(lengths.min()) == longest:
            padded = placement.reshape(n_students, longest)
        else:
            padded = np.full((n_students, longest), -1, dtype=np.int64)
            column = np.arange(n_pairs, dtype=np.int64) - ptr[pair_student]
            padded[pair_student, column] = placement
        rows = np.sort(padded, axis=1)
        repeated = (rows[:, 1:] == rows[:, :-1]) & (rows[:, 1:] >= 0)
        count = int(repeated.sum())
        if count == 0:
            return
        duplicate_student = int(np.flatnonzero(repeated.any(axis=1))[0])
        duplicate_placement = int(rows[duplicate_student, 1:][repeated[duplicate_student]][0])
    else:
        keys = np.sort(pair_student * max(instance.n_placements, 1) + placement)
        repeated_keys = keys[1:] == keys[:-1]
        count = int(repeated_keys.sum())
        if count == 0:
            return
        duplicate_student, duplicate_placement = divmod(
            int(keys[1:][repeated_keys][0]), max(instance.n_placements, 1)
        )
    student = instance.student_label(duplicate_student)
    place = instance.placement_label(duplicate_placement)
    raise InputError(
        f"student {student!r} ranks placement {place!r} more than once",
        student=student,
        placement=place,
        occurrences=count,
    )
