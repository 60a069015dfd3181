"""Vectorised conversion of labelled long-format rounds (one row per preference) into CSR arrays.

A database export or a CSV file names students and placements by string ids, one row per
(student, placement, rank). Mapping half a million ids to indices one Python object at a time
costs seconds, so labels are factorised with Arrow's hash-based dictionary encoding and rows are
placed into their student's list by a counting scatter (a sort only when ranks have gaps).

Students and placements are indexed in sorted label order (Arrow sorts UTF-8 bytes, which is the
same as Python's code-point order), so the row order of the export cannot change the result.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from stagekans.matching.engine._types import BoolArray, IntArray

Labels: TypeAlias = Sequence[Hashable] | npt.NDArray[Any] | pa.Array | pa.ChunkedArray


def as_label_array(name: str, values: Labels) -> pa.Array:
    """Labels as an Arrow string array; integers become their decimal text, None stays null."""
    if isinstance(values, pa.ChunkedArray):
        array = values.combine_chunks()
    elif isinstance(values, pa.Array):
        array = values
    else:
        source: Any = values.tolist() if isinstance(values, np.ndarray) else values
        try:
            array = pa.array(source, from_pandas=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # Mixed types (say ints and strings): fall back to str() per label, as before.
            array = pa.array([None if v is None else str(v) for v in source], type=pa.string())
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        if pa.types.is_null(array.type):
            return pa.array([None] * len(array), type=pa.string())
        if not (pa.types.is_integer(array.type) or pa.types.is_boolean(array.type)):
            array = pa.array(
                [None if v is None else str(v) for v in array.to_pylist()], type=pa.string()
            )
        else:
            array = pc.cast(array, pa.string())
    return array


@dataclass(frozen=True)
class Factorised:
    codes: IntArray
    """Index of each row's label in ``labels`` (-1 for null or empty)."""
    labels: list[str]
    """Distinct labels in sorted order."""


def _dictionary(array: pa.Array) -> tuple[pa.Array, IntArray]:
    """Distinct values and each row's index among them (-1 for null), one hash pass."""
    encoded = pc.dictionary_encode(array)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    indices = encoded.indices
    if indices.null_count:
        indices = indices.fill_null(-1)
    return encoded.dictionary, np.asarray(indices).astype(np.int64)


def factorise(array: pa.Array) -> Factorised:
    """Distinct labels in sorted order and each row's index among them (-1 for null)."""
    dictionary, codes = _dictionary(array)
    order = np.asarray(pc.sort_indices(dictionary), dtype=np.int64)
    rank = np.empty(order.size + 1, dtype=np.int64)
    rank[order] = np.arange(order.size, dtype=np.int64)
    rank[-1] = -1  # codes of -1 (null) stay -1
    return Factorised(rank[codes], dictionary.take(pa.array(order)).to_pylist())


def lookup(array: pa.Array, labels: list[str]) -> IntArray:
    """Index of each row's label in the sorted ``labels`` (-1 for null or unknown).

    Only the distinct values are looked up, so a column with a few thousand placements repeated
    over millions of rows costs one hash pass over the rows.
    """
    dictionary, codes = _dictionary(array)
    found = pc.index_in(dictionary, value_set=pa.array(labels, type=array.type))
    position = np.append(np.asarray(found.fill_null(-1), dtype=np.int64), -1)
    return position[codes]


def first_duplicate(labels: pa.Array) -> str | None:
    counts = pc.value_counts(labels)
    repeated = pc.filter(counts, pc.greater(counts.field("counts"), 1))
    if len(repeated) == 0:
        return None
    seen: set[str] = set()
    for label in labels.to_pylist():
        if label in seen:
            return str(label)
        seen.add(label)
    return None  # pragma: no cover - value_counts found one


def csr_order(
    student: IntArray, rank: IntArray, n_students: int
) -> tuple[IntArray, IntArray] | tuple[None, tuple[int, int, int]]:
    """Order rows by (student, rank): returns (row per CSR slot, ``pref_ptr``).

    If a student has two rows with one rank, returns ``(None, (student, rank, count))``. When
    every student's ranks are consecutive (1, 2, 3, ...), each row's slot is known directly and
    a scatter replaces the sort.
    """
    counts = np.bincount(student, minlength=n_students)
    ptr = np.zeros(n_students + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    if student.size == 0:
        return np.zeros(0, dtype=np.int64), ptr
    # Exports usually come ordered by student and rank already: then there is nothing to do.
    same_student = student[1:] == student[:-1]
    if bool((student[1:] >= student[:-1]).all()) and bool(
        (rank[1:][same_student] > rank[:-1][same_student]).all()
    ):
        return np.arange(student.size, dtype=np.int64), ptr
    del same_student
    lowest = np.full(n_students, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, student, rank)
    offset = rank - lowest[student]
    if bool((offset < counts[student]).all()):
        slot = ptr[student] + offset
        occupancy = np.bincount(slot, minlength=student.size)
        if int(occupancy.max()) <= 1:
            order = np.empty(student.size, dtype=np.int64)
            order[slot] = np.arange(student.size, dtype=np.int64)
            return order, ptr
    order = np.lexsort((rank, student))
    s_sorted, r_sorted = student[order], rank[order]
    same = (s_sorted[1:] == s_sorted[:-1]) & (r_sorted[1:] == r_sorted[:-1])
    if same.any():
        first = int(np.flatnonzero(same)[0])
        return None, (int(s_sorted[first]), int(r_sorted[first]), int(same.sum()))
    return order.astype(np.int64, copy=False), ptr


def present(placement: pa.Array) -> BoolArray:
    """Rows that name a placement (a null or empty placement only registers the student)."""
    filled = pc.and_(pc.is_valid(placement), pc.not_equal(pc.utf8_length(placement), 0))
    return np.asarray(filled.fill_null(False), dtype=np.bool_)
