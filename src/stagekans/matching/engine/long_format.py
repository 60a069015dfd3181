"""Vectorised conversion of labelled long-format rounds (one row per preference) into CSR arrays.

A database export or a CSV file names students and placements by string ids, one row per
(student, placement, rank). Mapping half a million ids to indices one Python object at a time
costs seconds, so labels are factorised without Python-level work: ids of at most eight bytes
(``S0000001``, ``P000001``) through a dense table indexed by their varying byte columns (a
scatter and a gather, no hashing), or by an integer hash of their packed bytes when that table
would be too large, and longer labels by Arrow's dictionary encoding. Rows are placed into their
student's list by a counting scatter (a sort only when ranks have gaps).

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


def byte_matrix(array: pa.Array) -> npt.NDArray[np.uint8] | None:
    """Each label's UTF-8 bytes as one row, zero-padded to the longest label, or None.

    None when some label is longer than eight bytes or contains a NUL byte (padding must sort
    first), or the array is chunked or a large_string. When every label has the same length (the
    ids of a database export) the rows are a view of Arrow's data buffer, not a copy. Null rows
    get whatever their (usually empty) slot holds; callers mask them out.
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
    if int(lengths.min()) == width:  # fixed width, the usual case: a view
        return data.reshape(n, width)
    padded = np.zeros((n, width), dtype=np.uint8)
    # row-major boolean assignment fills each row's leading bytes in order
    padded[np.arange(width) < lengths[:, None]] = data
    return padded


def _keys(matrix: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    """Rows of a byte matrix (at most eight columns) as big-endian integers, zero-padded."""
    padded = np.zeros((matrix.shape[0], _PACKED_BYTES), dtype=np.uint8)
    padded[:, : matrix.shape[1]] = matrix
    return padded.view(">u8").ravel().astype(np.uint64)


def packed_keys(array: pa.Array) -> npt.NDArray[np.uint64] | None:
    """Each label as an order-preserving 64-bit integer, or None if some label does not fit.

    A label of up to eight bytes, zero-padded on the right and read big-endian, compares as an
    integer exactly as its bytes compare (a shorter prefix first), provided no label contains a
    NUL byte. Hashing and sorting integers is several times cheaper than hashing strings, and
    the ids of a database export (``S0000001``, ``P000001``, crebo codes) are that short. Null
    rows get whatever their (usually empty) slot holds; callers mask them out.
    """
    matrix = byte_matrix(array)
    return None if matrix is None else _keys(matrix)


#: A dense table of label slots (below) may hold this many slots per row, plus a floor.
_DENSE_SLOTS_PER_ROW = 4
_DENSE_MIN_SLOTS = 1 << 16


@dataclass(frozen=True)
class _Radix:
    """The box of byte rows that labels fill: per column, the lowest byte and the span of bytes.

    Reading a row's bytes (minus the lowest) as digits of a mixed-radix number numbers the box
    densely, in the order of the bytes. Ids such as ``S0000001``..``S0499999`` vary in a few digit
    columns only, so the box has about as many slots as there are distinct ids, and factorising
    becomes a scatter and a gather over a small table instead of a hash of every row.
    """

    low: list[int]
    span: list[int]
    total: int


def _column_range(matrix: npt.NDArray[np.uint8]) -> tuple[list[int], list[int]]:
    """Per column, the lowest and highest byte.

    ``matrix.min(axis=0)`` would run an inner loop of one row (a few bytes) per row; reducing
    blocks of 256 rows at a time keeps numpy's inner loop long.
    """
    n, width = matrix.shape
    if width == 0:
        return [], []
    block = 256
    head = n - n % block
    flat = np.ascontiguousarray(matrix[:head]).reshape(-1, block * width)
    parts = [matrix[head:]]
    if head:
        parts += [flat.min(axis=0).reshape(block, width), flat.max(axis=0).reshape(block, width)]
    stacked = np.concatenate(parts)
    return stacked.min(axis=0).tolist(), stacked.max(axis=0).tolist()


def _radix(matrices: Sequence[npt.NDArray[np.uint8]], rows: int) -> _Radix | None:
    width = max(m.shape[1] for m in matrices)
    low, high = [255] * width, [0] * width
    for m in matrices:
        if m.shape[0] == 0:
            continue
        m_low, m_high = _column_range(m)
        for c in range(width):  # columns past a narrower matrix's width hold padding (0)
            low[c] = min(low[c], m_low[c] if c < m.shape[1] else 0)
            high[c] = max(high[c], m_high[c] if c < m.shape[1] else 0)
    span = [max(h - lo + 1, 1) for lo, h in zip(low, high, strict=True)]
    total = 1
    for s in span:
        total *= s
    if total > max(_DENSE_SLOTS_PER_ROW * rows, _DENSE_MIN_SLOTS):
        return None
    return _Radix(low, span, total)


SlotArray: TypeAlias = npt.NDArray[np.int32] | npt.NDArray[np.int64]


def _dense(matrix: npt.NDArray[np.uint8], radix: _Radix) -> SlotArray:
    """Each row's slot in the box (Horner's rule over the columns that vary).

    32-bit slots when the box allows: half the memory traffic of the scatter and gather after.
    """
    slot: SlotArray
    if radix.total < 2**31:
        slot = np.zeros(matrix.shape[0], dtype=np.int32)
    else:
        slot = np.zeros(matrix.shape[0], dtype=np.int64)
    for c, span in enumerate(radix.span):
        if span == 1:
            continue
        slot *= span
        # a narrower matrix holds padding (0) here, which is then this column's lowest byte
        if c < matrix.shape[1]:
            slot += matrix[:, c] - np.uint8(radix.low[c])  # never negative: low is the minimum
    return slot


def _undense(slots: SlotArray, radix: _Radix) -> npt.NDArray[np.uint8]:
    """The byte rows of box slots (the inverse of ``_dense``)."""
    matrix = np.empty((slots.size, len(radix.span)), dtype=np.uint8)
    rest = slots.astype(np.int64)
    for c in range(len(radix.span) - 1, -1, -1):
        rest, digit = np.divmod(rest, radix.span[c])
        matrix[:, c] = digit + radix.low[c]
    return matrix


def _unpack(keys: npt.NDArray[np.uint64]) -> list[str]:
    """The labels of packed keys (trailing zero bytes are the padding)."""
    raw = keys.astype(">u8").view(f"S{_PACKED_BYTES}")
    return list(pa.array(raw, type=pa.binary()).cast(pa.string()).to_pylist())


def _matrix_labels(matrix: npt.NDArray[np.uint8]) -> list[str]:
    """The labels of byte rows; fixed-width rows are framed by NUL and split in one call."""
    m, width = matrix.shape
    if m == 0 or width == 0 or not matrix.all():  # padding: some labels are shorter
        return _unpack(_keys(matrix))
    framed = np.zeros((m, width + 1), dtype=np.uint8)
    framed[:, :width] = matrix
    return framed.tobytes()[:-1].decode("utf-8").split("\x00")


def _hash_codes(keys: npt.NDArray[np.uint64]) -> tuple[npt.NDArray[np.uint64], IntArray]:
    """Distinct keys (first-seen order) and each row's index among them: one integer hash pass."""
    encoded = pc.dictionary_encode(pa.array(keys.view(np.int64)))
    distinct = np.asarray(encoded.dictionary).view(np.uint64)
    return distinct, np.asarray(encoded.indices).astype(np.int64)


def factorise(array: pa.Array) -> Factorised:
    """Distinct labels in sorted order and each row's index among them (-1 for null)."""
    matrix = byte_matrix(array) if array.null_count == 0 else None
    if matrix is not None:
        radix = _radix([matrix], matrix.shape[0])
        if radix is not None:
            slots = _dense(matrix, radix)
            seen = np.zeros(radix.total, dtype=np.bool_)
            seen[slots] = True
            index = np.cumsum(seen, dtype=np.int64)
            index -= 1
            codes = index[slots]
            del index, slots
            return Factorised(codes, _matrix_labels(_undense(np.flatnonzero(seen), radix)))
        distinct, codes = _hash_codes(_keys(matrix))
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
    """Index of each row's label in ``labels`` (distinct; -1 for null or unknown).

    Only the distinct values are looked up, so a column with a few thousand placements repeated
    over millions of rows costs one pass over the rows.
    """
    matrix = byte_matrix(array) if array.null_count == 0 else None
    known = byte_matrix(pa.array(labels, type=pa.string())) if matrix is not None else None
    if matrix is not None and known is not None:
        radix = _radix([matrix, known], matrix.shape[0])
        if radix is not None:
            table = np.full(radix.total, -1, dtype=np.int64)
            table[_dense(known, radix)] = np.arange(known.shape[0], dtype=np.int64)
            return table[_dense(matrix, radix)]
        keys, known_keys = _keys(matrix), _keys(known)
        by_key = np.argsort(known_keys)
        distinct, codes = _hash_codes(keys)
        at = np.minimum(np.searchsorted(known_keys[by_key], distinct), known_keys.size - 1)
        position = np.where(known_keys[by_key[at]] == distinct, by_key[at], -1)
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


def _ascending(student: IntArray, rank: IntArray) -> bool:
    """Rows already ordered by (student, rank), checked on a short prefix first."""
    head = min(student.size, 4096)
    for stop in (head, student.size):
        s, r = student[:stop], rank[:stop]
        step = s[1:] - s[:-1]
        if bool((step < 0).any()) or bool(((step == 0) & (r[1:] <= r[:-1])).any()):
            return False
    return True


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
    if _ascending(student, rank):
        return np.arange(student.size, dtype=np.int64), ptr
    # Ranks 1..k per student (or any consecutive run): each row's slot is known directly. With n
    # rows scattered into n slots, every slot filled means no two rows share one.
    lowest_rank = int(rank.min())
    if lowest_rank >= 1 and int(rank.max()) <= int(counts.min()):
        # every student has at least as many rows as the highest rank: ranks 1..k all fit
        slot: IntArray | None = ptr[student]
        assert slot is not None
        slot += rank
        slot -= 1
    else:
        # start and end of each student's slots side by side: one random read per row
        bounds = np.empty((n_students, 2), dtype=np.int64)
        bounds[:, 0], bounds[:, 1] = ptr[:-1], ptr[1:]
        row_bounds = bounds[student]
        del bounds
        offset = rank - 1
        if lowest_rank < 1 or bool((offset >= row_bounds[:, 1] - row_bounds[:, 0]).any()):
            lowest = np.full(n_students, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(lowest, student, rank)
            offset = rank - lowest[student]
        slot = row_bounds[:, 0] + offset
        del offset
        if not bool((slot < row_bounds[:, 1]).all()):
            slot = None
        del row_bounds
    if slot is not None:
        order = np.full(student.size, -1, dtype=np.int64)
        order[slot] = np.arange(student.size, dtype=np.int64)
        del slot
        if bool((order >= 0).all()):
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
    if isinstance(placement, pa.Array) and pa.types.is_string(placement.type):
        # the length of each label is the step of its offsets: no kernel call, no copy
        n = len(placement)
        offsets = np.frombuffer(
            placement.buffers()[1], dtype=np.int32, count=n + 1, offset=4 * placement.offset
        )
        named = offsets[1:] != offsets[:-1]
        if placement.null_count:
            named &= np.asarray(placement.is_valid(), dtype=np.bool_)
        return named
    filled = pc.and_(pc.is_valid(placement), pc.not_equal(pc.utf8_length(placement), 0))
    return np.asarray(filled.fill_null(False), dtype=np.bool_)
