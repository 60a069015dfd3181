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


#: Labels of at most this many UTF-8 bytes are packed into one 64-bit integer each.
_PACKED_BYTES = 8


def packed_keys(array: pa.Array) -> npt.NDArray[np.uint64] | None:
    """Each label as an order-preserving 64-bit integer, or None if some label does not fit.

    A label of up to eight bytes, zero-padded on the right and read big-endian, compares as an
    integer exactly as its bytes compare (a shorter prefix first), provided no label contains a
    NUL byte. Hashing and sorting integers is several times cheaper than hashing strings, and
    the ids of a database export (``S0000001``, ``P000001``, crebo codes) are that short. Null
    rows get whatever their (usually empty) slot holds; callers mask them out.
    """
    if not isinstance(array, pa.Array) or not pa.types.is_string(array.type):
        return None  # chunked or large_string (64-bit offsets): left to the hash path
    n = len(array)
    buffers = array.buffers()
    if n == 0 or buffers[2] is None:
        return None
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=n + 1, offset=4 * array.offset)
    first, last = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(buffers[2], dtype=np.uint8, count=last - first, offset=first)
    lengths = np.diff(offsets)
    width = int(lengths.max())
    if width > _PACKED_BYTES or (data.size and not data.all()):
        return None
    padded = np.zeros((n, _PACKED_BYTES), dtype=np.uint8)
    if int(lengths.min()) == width:  # fixed width, the usual case: one strided copy
        padded[:, :width] = data.reshape(n, width)
    else:  # row-major boolean assignment fills each row's leading bytes in order
        padded[np.arange(_PACKED_BYTES) < lengths[:, None]] = data
    return padded.view(">u8").ravel().astype(np.uint64)


def _unpack(keys: npt.NDArray[np.uint64]) -> list[str]:
    """The labels of packed keys (trailing zero bytes are the padding)."""
    raw = keys.astype(">u8").view(f"S{_PACKED_BYTES}")
    return list(pa.array(raw, type=pa.binary()).cast(pa.string()).to_pylist())


def _hash_codes(keys: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """Distinct keys (first-seen order) and each row's index among them: one integer hash pass."""
    encoded = pc.dictionary_encode(pa.array(keys.view(np.int64)))
    distinct = np.asarray(encoded.dictionary).view(np.uint64)
    return distinct, np.asarray(encoded.indices).astype(np.int64)


def factorise(array: pa.Array) -> Factorised:
    """Distinct labels in sorted order and each row's index among them (-1 for null)."""
    keys = packed_keys(array) if array.null_count == 0 else None
    if keys is not None:
        distinct, codes = _hash_codes(keys)
        order = np.argsort(distinct)
        rank = np.empty(order.size, dtype=np.int64)
        rank[order] = np.arange(order.size, dtype=np.int64)
        return Factorised(rank[codes], _unpack(distinct[order]))
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
    keys = packed_keys(array) if array.null_count == 0 else None
    known = packed_keys(pa.array(labels, type=pa.string())) if keys is not None else None
    if keys is not None and known is not None:
        by_key = np.argsort(known)
        distinct, codes = _hash_codes(keys)
        at = np.minimum(np.searchsorted(known[by_key], distinct), known.size - 1)
        position = np.where(known[by_key[at]] == distinct, by_key[at], -1)
        return position[codes]
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
    # Ranks 1..k per student (or any consecutive run): each row's slot is known directly. With n
    # rows scattered into n slots, every slot filled means no two rows share one.
    per_row = counts[student]
    offset = rank - 1
    fits = bool(((offset >= 0) & (offset < per_row)).all())
    if not fits:
        lowest = np.full(n_students, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(lowest, student, rank)
        offset = rank - lowest[student]
        fits = bool((offset < per_row).all())
    del per_row
    if fits:
        order = np.full(student.size, -1, dtype=np.int64)
        order[ptr[student] + offset] = np.arange(student.size, dtype=np.int64)
        if bool((order >= 0).all()):
            return order, ptr
    del offset
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
