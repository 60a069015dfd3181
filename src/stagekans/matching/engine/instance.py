"""The array form of a matching round and the builders that produce it.

A round is stored as CSR-style preference lists: student ``s`` ranks the placements
``pref_placement[pref_ptr[s]:pref_ptr[s + 1]]``, best first. Every per-preference attribute (the
company's rank of that student, whether the company accepts her, eligibility, travel distance) is
a flat array aligned with ``pref_placement``. Building this once from the web models or a file
keeps memory at a few bytes per preference and lets every algorithm run vectorised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from stagekans.matching.engine._types import BoolArray, FloatArray, IntArray
from stagekans.matching.engine.errors import InputError

if TYPE_CHECKING:
    from stagekans.matching.engine.long_format import Labels

#: Company ranks share an int64 priority key with the lottery, so they must stay below 2**31.
MAX_COMPANY_RANK = 2**31 - 1


def _as_array(name: str, values: npt.ArrayLike) -> npt.NDArray[Any]:
    try:
        array = np.asarray(values)
    except ValueError as exc:  # numpy refuses nested sequences of unequal length
        raise InputError(f"{name} is a ragged array: {exc}") from exc
    if array.ndim != 1:
        raise InputError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def as_int_array(name: str, values: npt.ArrayLike) -> IntArray:
    """Coerce to int64, refusing floats and booleans that would silently truncate or misindex."""
    array = _as_array(name, values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.dtype.kind not in "iu":
        raise InputError(_not_integers(name, array))
    if array.dtype == np.uint64 and int(array.max()) > np.iinfo(np.int64).max:
        raise InputError(f"{name} contains values that do not fit in a 64-bit signed integer")
    return array.astype(np.int64, copy=False)


def _not_integers(name: str, array: npt.NDArray[Any]) -> str:
    """Say which entry is not an integer: 0.7, '1', NaN and True are refused, never coerced."""
    for position, value in enumerate(array.tolist()):
        if isinstance(value, bool) or not isinstance(value, int):
            return (
                f"{name} must contain integers, but entry {position} is {value!r}"
                f" ({type(value).__name__})"
            )
        if not -(2**63) <= value < 2**63:
            return f"{name} entry {position} ({value}) does not fit in a 64-bit signed integer"
    return f"{name} must contain integers, got dtype {array.dtype}"


def _checked_index(value: object, where: str) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise InputError(f"{where} must be an integer index, got {value!r}")
    return int(value)


def as_bool_array(name: str, values: npt.ArrayLike) -> BoolArray:
    """Coerce to bool, refusing integer flags other than 0/1 that hint at a column mix-up."""
    array = _as_array(name, values)
    if array.size == 0:
        return np.zeros(0, dtype=np.bool_)
    if array.dtype.kind == "b":
        return array.astype(np.bool_, copy=False)
    if array.dtype.kind in "iu" and bool(np.isin(array, (0, 1)).all()):
        return array.astype(np.bool_)
    raise InputError(f"{name} must contain booleans (or 0/1), got dtype {array.dtype}")


def as_float_array(name: str, values: npt.ArrayLike) -> FloatArray:
    array = _as_array(name, values)
    if array.size == 0:
        return np.zeros(0, dtype=np.float64)
    if array.dtype.kind not in "iuf":
        raise InputError(f"{name} must contain numbers, got dtype {array.dtype}")
    return array.astype(np.float64, copy=False)


def _labels(name: str, ids: Sequence[Hashable] | None, expected: int) -> tuple[str, ...] | None:
    if ids is None:
        return None
    # Made str once, by __post_init__ (converting here as well cost a pass over 500k labels).
    labels = cast("tuple[str, ...]", tuple(ids))
    if len(labels) != expected:
        raise InputError(f"{name} has {len(labels)} entries but the instance has {expected}")
    return labels


@dataclass(frozen=True, eq=False)
class Instance:
    """One matching round in array form; see the module docstring for the layout.

    ``company_rank`` orders students within a placement (lower is better, equal values are ties
    that the lottery breaks); ``None`` means every company only *accepts* students without ranking
    them. ``acceptable`` is the company's verdict per preference (``None``: accepts everyone who
    applied) and ``eligible`` the school's rule (crebo recognition, travel distance).
    """

    pref_ptr: IntArray
    pref_placement: IntArray
    capacity: IntArray
    company_rank: IntArray | None = None
    acceptable: BoolArray | None = None
    eligible: BoolArray | None = None
    distance_km: FloatArray | None = None
    student_ids: tuple[str, ...] | None = None
    placement_ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # Constructed directly (not via ``from_csr``), the arrays may have any dtype; an int32
        # placement array would silently overflow when packed into priority keys, so coerce here.
        coercions = {
            "pref_ptr": as_int_array,
            "pref_placement": as_int_array,
            "capacity": as_int_array,
            "company_rank": as_int_array,
            "acceptable": as_bool_array,
            "eligible": as_bool_array,
            "distance_km": as_float_array,
        }
        for name, coerce in coercions.items():
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, coerce(name, value))
        for name in ("student_ids", "placement_ids"):
            labels = getattr(self, name)
            if labels is not None:
                object.__setattr__(self, name, tuple(map(str, labels)))
        self._check_structure()

    @property
    def n_students(self) -> int:
        return int(self.pref_ptr.size - 1)

    @property
    def n_placements(self) -> int:
        return int(self.capacity.size)

    @property
    def n_preferences(self) -> int:
        return int(self.pref_placement.size)

    def student_label(self, index: int) -> str:
        if self.student_ids is not None and 0 <= index < len(self.student_ids):
            return self.student_ids[index]
        return f"#{index}"

    def placement_label(self, index: int) -> str:
        if self.placement_ids is not None and 0 <= index < len(self.placement_ids):
            return self.placement_ids[index]
        return f"#{index}"

    def pair_student(self) -> IntArray:
        """The student owning each preference, materialised because most checks are per pair."""
        return np.repeat(np.arange(self.n_students, dtype=np.int64), np.diff(self.pref_ptr))

    def replace(self, **changes: Any) -> Instance:
        return replace(self, **changes)

    def fingerprint(self) -> str:
        """SHA-256 over a canonical byte encoding, so two machines can prove they saw one input."""
        digest = hashlib.sha256()
        arrays: list[tuple[str, npt.NDArray[Any] | None]] = [
            ("pref_ptr", self.pref_ptr),
            ("pref_placement", self.pref_placement),
            ("capacity", self.capacity),
            ("company_rank", self.company_rank),
            ("acceptable", self.acceptable),
            ("eligible", self.eligible),
            ("distance_km", self.distance_km),
        ]
        for name, array in arrays:
            digest.update(name.encode())
            if array is None:
                digest.update(b"\x00none")
                continue
            dtype = "<f8" if array.dtype.kind == "f" else "<i8"
            digest.update(np.ascontiguousarray(array, dtype=dtype).tobytes())
        for name, ids in (("student_ids", self.student_ids), ("placement_ids", self.placement_ids)):
            digest.update(name.encode())
            if ids is not None:
                digest.update("\x1f".join(ids).encode())
        return digest.hexdigest()

    def _check_structure(self) -> None:
        """Catch ragged or misaligned arrays before any algorithm indexes out of bounds."""
        ptr = self.pref_ptr
        if ptr.ndim != 1 or ptr.size == 0:
            raise InputError("pref_ptr must be a one-dimensional array of n_students + 1 offsets")
        if int(ptr[0]) != 0:
            raise InputError(f"pref_ptr must start at 0, starts at {int(ptr[0])}")
        steps = np.diff(ptr)
        if steps.size and int(steps.min()) < 0:
            student = int(np.flatnonzero(steps < 0)[0])
            raise InputError(
                f"ragged preference arrays: the list of student {self.student_label(student)!r} "
                "ends before it starts (pref_ptr decreases)",
                student=self.student_label(student),
                occurrences=int((steps < 0).sum()),
            )
        if int(ptr[-1]) != self.pref_placement.size:
            raise InputError(
                f"ragged preference arrays: pref_ptr ends at {int(ptr[-1])} but there are "
                f"{self.pref_placement.size} preferences"
            )
        for name in ("company_rank", "acceptable", "eligible", "distance_km"):
            array = getattr(self, name)
            if array is not None and array.shape != self.pref_placement.shape:
                raise InputError(
                    f"ragged preference arrays: {name} has {array.size} entries for "
                    f"{self.pref_placement.size} preferences"
                )
        if self.capacity.ndim != 1:
            raise InputError("capacity must be one-dimensional")
        for name, ids, expected in (
            ("student_ids", self.student_ids, self.n_students),
            ("placement_ids", self.placement_ids, self.n_placements),
        ):
            if ids is not None and len(ids) != expected:
                raise InputError(f"{name} has {len(ids)} entries but the instance has {expected}")

    @classmethod
    def from_csr(
        cls,
        pref_ptr: npt.ArrayLike,
        pref_placement: npt.ArrayLike,
        capacity: npt.ArrayLike,
        *,
        company_rank: npt.ArrayLike | None = None,
        acceptable: npt.ArrayLike | None = None,
        eligible: npt.ArrayLike | None = None,
        distance_km: npt.ArrayLike | None = None,
        student_ids: Sequence[Hashable] | None = None,
        placement_ids: Sequence[Hashable] | None = None,
    ) -> Instance:
        """Build from CSR arrays, coercing dtypes once so the algorithms can trust them."""
        ptr = as_int_array("pref_ptr", pref_ptr)
        cap = as_int_array("capacity", capacity)
        return cls(
            pref_ptr=ptr,
            pref_placement=as_int_array("pref_placement", pref_placement),
            capacity=cap,
            company_rank=None
            if company_rank is None
            else as_int_array("company_rank", company_rank),
            acceptable=None if acceptable is None else as_bool_array("acceptable", acceptable),
            eligible=None if eligible is None else as_bool_array("eligible", eligible),
            distance_km=None if distance_km is None else as_float_array("distance_km", distance_km),
            student_ids=_labels("student_ids", student_ids, max(ptr.size - 1, 0)),
            placement_ids=_labels("placement_ids", placement_ids, cap.size),
        )

    @classmethod
    def from_lists(
        cls,
        student_prefs: Sequence[Sequence[int]],
        capacity: Sequence[int] | npt.ArrayLike,
        *,
        company_prefs: Sequence[Sequence[int] | None] | None = None,
        student_ids: Sequence[Hashable] | None = None,
        placement_ids: Sequence[Hashable] | None = None,
    ) -> Instance:
        """Build from Python lists; convenient for small rounds and tests.

        ``company_prefs[p]`` ranks the acceptable students of placement ``p`` best first; students
        it leaves out are refused. ``None`` (for the whole argument or one placement) means the
        company accepts every applicant without ranking them.
        """
        lengths = [len(prefs) for prefs in student_prefs]
        ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        flat = [
            _checked_index(p, f"choice {position + 1} of student {s}")
            for s, prefs in enumerate(student_prefs)
            for position, p in enumerate(prefs)
        ]
        instance = cls.from_csr(
            ptr,
            np.asarray(flat, dtype=np.int64),
            capacity,
            student_ids=student_ids,
            placement_ids=placement_ids,
        )
        if company_prefs is None:
            return instance
        if len(company_prefs) != instance.n_placements:
            raise InputError(
                f"company_prefs has {len(company_prefs)} lists for {instance.n_placements} "
                "placements"
            )
        ranked = np.array([prefs is not None for prefs in company_prefs], dtype=np.bool_)
        company_lengths = [0 if prefs is None else len(prefs) for prefs in company_prefs]
        company_ptr = np.zeros(len(company_lengths) + 1, dtype=np.int64)
        np.cumsum(company_lengths, out=company_ptr[1:])
        company_student = np.asarray(
            [
                _checked_index(s, f"entry {position + 1} in the list of placement {p}")
                for p, prefs in enumerate(company_prefs)
                if prefs is not None
                for position, s in enumerate(prefs)
            ],
            dtype=np.int64,
        )
        return with_company_lists(instance, company_ptr, company_student, ranked)

    @classmethod
    def from_long_format(
        cls,
        student: Labels,
        placement: Labels,
        student_rank: npt.ArrayLike,
        capacity_placement: Labels,
        capacity: npt.ArrayLike,
        *,
        company_rank: npt.ArrayLike | None = None,
        acceptable: npt.ArrayLike | None = None,
        eligible: npt.ArrayLike | None = None,
        distance_km: npt.ArrayLike | None = None,
        students: Labels | None = None,
    ) -> Instance:
        """Build from one row per (student, placement) preference, as a database export has it.

        Students and placements are indexed in sorted label order, so the result (and the lottery,
        which is keyed on those indices) does not depend on the order of the rows. A row without a
        placement only registers the student, so students who ranked nothing are still reported.
        """
        # Arrow is imported here, not at module level: array-only callers never pay for it.
        import pyarrow as pa

        from stagekans.matching.engine import long_format

        student_array = long_format.as_label_array("student", student)
        placement_array = long_format.as_label_array("placement", placement)
        n_rows = len(student_array)
        if len(placement_array) != n_rows:
            raise InputError(
                f"ragged preference rows: {n_rows} students but {len(placement_array)} placements"
            )
        ranks = as_int_array("student_rank", student_rank)
        if ranks.size != n_rows:
            raise InputError(f"ragged preference rows: {n_rows} students but {ranks.size} ranks")
        if student_array.null_count:
            row = int(np.flatnonzero(np.asarray(student_array.is_null()))[0])
            raise InputError(f"preference row {row + 1} names no student")

        cap_array = long_format.as_label_array("capacity_placement", capacity_placement)
        cap_values = as_int_array("capacity", capacity)
        if cap_values.size != len(cap_array):
            raise InputError(
                f"{len(cap_array)} placements in the capacity table but {cap_values.size} "
                "capacities"
            )
        if cap_array.null_count:
            row = int(np.flatnonzero(np.asarray(cap_array.is_null()))[0])
            raise InputError(f"capacity row {row + 1} names no placement")
        repeated_placement = long_format.first_duplicate(cap_array)
        if repeated_placement is not None:
            raise InputError(
                f"placement {repeated_placement!r} appears more than once in the capacity table",
                placement=repeated_placement,
            )
        placements = long_format.factorise(cap_array)
        placement_ids = placements.labels
        sorted_capacity = np.empty(len(placement_ids), dtype=np.int64)
        sorted_capacity[placements.codes] = cap_values

        if students is None:
            factorised = long_format.factorise(student_array)
            student_ids, s_all = factorised.labels, factorised.codes
        else:
            declared = long_format.as_label_array("students", students)
            if long_format.first_duplicate(declared) is not None:
                raise InputError("the student list contains duplicate students")
            student_ids = long_format.factorise(declared).labels
            s_all = long_format.lookup(student_array, student_ids)
            unknown_student = s_all < 0
            if unknown_student.any():
                row = int(np.flatnonzero(unknown_student)[0])
                label = str(student_array[row].as_py())
                raise InputError(
                    f"preference row {row + 1} names unknown student {label!r}", student=label
                )

        ranked = long_format.present(placement_array)
        rows: IntArray | None
        if bool(ranked.all()):  # every row names a placement: no copies needed
            rows = None
            s_idx, rank_rows, ranked_array = s_all, ranks, placement_array
        else:
            rows = np.flatnonzero(ranked)
            s_idx, rank_rows = s_all[rows], ranks[rows]
            ranked_array = placement_array.take(pa.array(rows))
        del ranked
        p_idx = long_format.lookup(ranked_array, placement_ids)
        unknown_placement = p_idx < 0
        if unknown_placement.any():
            row = int(np.flatnonzero(unknown_placement)[0])
            row = row if rows is None else int(rows[row])
            s_label = str(student_array[row].as_py())
            p_label = str(placement_array[row].as_py())
            raise InputError(
                f"student {s_label!r} ranks unknown placement {p_label!r}",
                student=s_label,
                placement=p_label,
                occurrences=int(unknown_placement.sum()),
            )

        order, ptr_or_duplicate = long_format.csr_order(s_idx, rank_rows, len(student_ids))
        if order is None:
            s_dup, r_dup, count = ptr_or_duplicate
            label = student_ids[s_dup]
            raise InputError(
                f"student {label!r} has more than one choice with rank {r_dup}",
                student=label,
                occurrences=count,
            )
        ptr = ptr_or_duplicate
        source = order if rows is None else rows[order]

        def aligned(values: npt.ArrayLike | None, name: str) -> npt.NDArray[Any] | None:
            if values is None:
                return None
            array = _as_array(name, values)
            if array.size != n_rows:
                raise InputError(f"ragged preference rows: {name} has {array.size} of {n_rows}")
            return array[source]

        return cls.from_csr(
            ptr,
            p_idx[order],
            sorted_capacity,
            company_rank=aligned(company_rank, "company_rank"),
            acceptable=aligned(acceptable, "acceptable"),
            eligible=aligned(eligible, "eligible"),
            distance_km=aligned(distance_km, "distance_km"),
            student_ids=student_ids,
            placement_ids=placement_ids,
        )


def with_company_lists(
    instance: Instance,
    company_ptr: npt.ArrayLike,
    company_student: npt.ArrayLike,
    ranked: npt.ArrayLike | None = None,
) -> Instance:
    """Derive ``company_rank`` and ``acceptable`` from per-placement ranked lists of students.

    A placement's list (CSR ``company_student[company_ptr[p]:company_ptr[p + 1]]``, best first)
    is the set of students it accepts; everyone else who applied is refused. Placements with
    ``ranked[p] == False`` accept every applicant without ranking (their lists are ignored). The
    join is one sort of the company-side pairs, so it stays vectorised at national scale.
    """
    cptr = as_int_array("company_ptr", company_ptr)
    cstudent = as_int_array("company_student", company_student)
    n_students, n_placements = instance.n_students, instance.n_placements
    if cptr.size != n_placements + 1 or int(cptr[0]) != 0 or int(cptr[-1]) != cstudent.size:
        raise InputError(
            "ragged company lists: company_ptr must hold n_placements + 1 offsets from 0 to "
            "len(company_student)"
        )
    csteps = np.diff(cptr)
    if csteps.size and int(csteps.min()) < 0:
        bad = int(np.flatnonzero(csteps < 0)[0])
        raise InputError(
            f"ragged company lists: the list of placement {instance.placement_label(bad)!r} "
            "ends before it starts",
            placement=instance.placement_label(bad),
        )
    ranked_mask = (
        np.ones(n_placements, dtype=np.bool_) if ranked is None else as_bool_array("ranked", ranked)
    )
    if ranked_mask.size != n_placements:
        raise InputError(f"ranked has {ranked_mask.size} entries for {n_placements} placements")
    cplacement = np.repeat(np.arange(n_placements, dtype=np.int64), csteps)
    out_of_range = (cstudent < 0) | (cstudent >= n_students)
    if out_of_range.any():
        first = int(np.flatnonzero(out_of_range)[0])
        p = int(cplacement[first])
        raise InputError(
            f"placement {instance.placement_label(p)!r} ranks unknown student "
            f"{int(cstudent[first])}",
            placement=instance.placement_label(p),
            occurrences=int(out_of_range.sum()),
        )
    ckey = cplacement * n_students + cstudent
    corder = np.argsort(ckey, kind="stable")
    ckey_sorted = ckey[corder]
    repeated = ckey_sorted[1:] == ckey_sorted[:-1]
    if repeated.any():
        first = int(np.flatnonzero(repeated)[0])
        key = int(ckey_sorted[first])
        p, s = divmod(key, n_students)
        raise InputError(
            f"placement {instance.placement_label(p)!r} ranks student "
            f"{instance.student_label(s)!r} more than once",
            placement=instance.placement_label(p),
            student=instance.student_label(s),
            occurrences=int(repeated.sum()),
        )
    pair_student = instance.pair_student()
    pair_placement = instance.pref_placement
    valid = (pair_placement >= 0) & (pair_placement < n_placements)
    skey = np.where(valid, pair_placement, 0) * n_students + pair_student
    found_at = np.searchsorted(ckey_sorted, skey)
    found_at_clipped = np.minimum(found_at, max(ckey_sorted.size - 1, 0))
    found = valid & (ckey_sorted.size > 0)
    if ckey_sorted.size:
        found &= ckey_sorted[found_at_clipped] == skey
    position = np.zeros(skey.size, dtype=np.int64)
    if ckey_sorted.size:
        source = corder[found_at_clipped]
        position = source - cptr[np.where(valid, pair_placement, 0)]
    accept_all = np.zeros(skey.size, dtype=np.bool_)
    accept_all[valid] = ~ranked_mask[pair_placement[valid]]
    company_rank = np.where(found & ~accept_all, position, 0).astype(np.int64)
    acceptable = found | accept_all | ~valid
    return instance.replace(company_rank=company_rank, acceptable=acceptable)
