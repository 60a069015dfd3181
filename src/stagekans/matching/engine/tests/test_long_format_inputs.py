"""Issue 16, third pass: the dense label table and the input shapes of the long format.

Python lists, Arrow arrays (plain, chunked, sliced) and numpy string arrays must give one
instance, and the dense mixed-radix factorisation must agree with the hash path it short-cuts
and with Python's sorted() / list.index().
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stagekans.matching.engine import Instance, long_format
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.long_format import (
    _dense,
    _radix,
    _undense,
    byte_matrix,
    csr_order,
    factorise,
    lookup,
)

FAST = settings(max_examples=150, deadline=None)

# Export-style ids (fixed width, few varying digit columns: the dense table), short ids of mixed
# widths (padding inside the table), and free text (the hash paths).
export_id = st.builds(
    lambda prefix, k: f"{prefix}{k:04d}", st.sampled_from("SP"), st.integers(0, 60)
)
short_id = st.text(alphabet="SP0123456789", min_size=1, max_size=8)
free_text = st.text(alphabet="ab\x00é𝄞Z9 ", min_size=0, max_size=10)
any_label = st.one_of(export_id, short_id, free_text)


@FAST
@given(
    values=st.lists(
        st.one_of(export_id, st.text(alphabet="SP0123456789", min_size=1, max_size=5)),
        min_size=1,
        max_size=40,
    )
)
def test_dense_slots_follow_byte_order_and_invert(values: list[str]) -> None:
    matrix = byte_matrix(pa.array(values, type=pa.string()))
    assert matrix is not None
    with pytest.MonkeyPatch.context() as patch:
        # No table is allocated here, so allow any box up to 2**40 slots (64-bit slots too).
        patch.setattr(long_format, "_DENSE_MIN_SLOTS", 2**40)
        radix = _radix([matrix], matrix.shape[0])
    assert radix is not None
    slots = _dense(matrix, radix)
    assert int(slots.min()) >= 0 and int(slots.max()) < radix.total
    encoded = [v.encode() for v in values]
    for i in range(len(values)):
        for j in range(len(values)):
            assert (slots[i] < slots[j]) == (encoded[i] < encoded[j])
    back = _undense(slots, radix)
    assert [bytes(row).rstrip(b"\x00") for row in back] == encoded


@FAST
@given(values=st.lists(any_label, min_size=1, max_size=30))
def test_factorise_without_the_dense_table_equals_sorted_labels(values: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(long_format, "_DENSE_SLOTS_PER_ROW", 0)
        patch.setattr(long_format, "_DENSE_MIN_SLOTS", 0)
        result = factorise(pa.array(values, type=pa.string()))
    expected = sorted(set(values))
    assert result.labels == expected
    assert result.codes.tolist() == [expected.index(v) for v in values]


@FAST
@given(
    values=st.lists(any_label, min_size=1, max_size=30),
    known=st.lists(any_label, min_size=1, max_size=10, unique=True),
    dense=st.booleans(),
)
def test_lookup_with_and_without_the_dense_table(
    values: list[str], known: list[str], dense: bool
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if not dense:
            patch.setattr(long_format, "_DENSE_SLOTS_PER_ROW", 0)
            patch.setattr(long_format, "_DENSE_MIN_SLOTS", 0)
        got = lookup(pa.array(values, type=pa.string()), known)
    assert got.tolist() == [known.index(v) if v in known else -1 for v in values]


def test_lookup_across_label_widths_uses_the_padding() -> None:
    # rows of width 3, known labels up to width 5: the narrow side is padded with zero bytes
    rows = pa.array(["P12", "P12", "P99", "P1"])
    assert lookup(rows, ["P1", "P12345", "P12"]).tolist() == [2, 2, -1, 0]


def test_a_wide_box_of_ids_takes_the_hash_path() -> None:
    # Eight freely varying byte columns would need a table far larger than the rows: refused.
    values = ["zzzzzzzz", "00000000", "a1b2c3d4", "A0z9Z0a9"]
    matrix = byte_matrix(pa.array(values))
    assert matrix is not None and _radix([matrix], len(values)) is None
    result = factorise(pa.array(values))
    assert result.labels == sorted(values)
    assert result.codes.tolist() == [sorted(values).index(v) for v in values]


@FAST
@given(
    counts=st.lists(st.integers(0, 5), min_size=1, max_size=6),
    shuffle_seed=st.integers(0, 2**32 - 1),
    first_rank=st.integers(-2, 2),
)
def test_csr_order_with_consecutive_ranks_equals_a_stable_sort(
    counts: list[int], shuffle_seed: int, first_rank: int
) -> None:
    rows = [(s, first_rank + k) for s, c in enumerate(counts) for k in range(c)]
    permutation = np.random.default_rng(shuffle_seed).permutation(len(rows))
    rows = [rows[i] for i in permutation]
    student = np.array([s for s, _ in rows], dtype=np.int64)
    rank = np.array([r for _, r in rows], dtype=np.int64)
    order, ptr = csr_order(student, rank, len(counts))
    assert order is not None
    assert order.tolist() == sorted(range(len(rows)), key=lambda i: rows[i])
    assert np.diff(ptr).tolist() == counts


@st.composite
def label_rounds(draw: st.DrawFn) -> dict[str, Any]:
    label = draw(st.sampled_from([export_id, short_id, free_text.filter(bool)]))
    students = draw(st.lists(label, min_size=1, max_size=8, unique=True))
    placements = draw(st.lists(label, min_size=1, max_size=5, unique=True))
    rows: list[tuple[str | None, str | None, Any, int]] = []
    for s in students:
        k = draw(st.integers(0, len(placements)))
        chosen = draw(st.permutations(placements))[:k]
        first = draw(st.integers(-1, 2))
        rows += [(s, p, first + i, draw(st.integers(0, 3))) for i, p in enumerate(chosen)]
        if not chosen:
            rows.append((s, draw(st.sampled_from(["", None])), 0, 0))
    rows = list(draw(st.permutations(rows)))
    # Sometimes one bad row: a duplicate rank, an unknown placement, a missing student, or a
    # rank that is not an integer; both input shapes must refuse it with the same message.
    flaw = draw(st.sampled_from(["none", "none", "duplicate", "unknown", "no student", "rank"]))
    if flaw != "none" and rows:
        at = draw(st.integers(0, len(rows) - 1))
        s, p, r, c = rows[at]
        if flaw == "duplicate":
            rows.insert(at, (s, placements[0], r, c))
        elif flaw == "unknown":
            rows[at] = (s, "unknown-placement-9", r, c)
        elif flaw == "no student":
            rows[at] = (None, p, r, c)
        else:
            rows[at] = (s, p, draw(st.sampled_from([0.5, float("nan"), "1", None])), c)
    capacity = [draw(st.integers(0, 3)) for _ in placements]
    return {"rows": rows, "placements": placements, "capacity": capacity}


def _build(round_: dict[str, Any], shape: str) -> Instance | str:
    student, placement, rank, company = (list(c) for c in zip(*round_["rows"], strict=True))
    capacity_ids: Any = round_["placements"]
    if shape == "arrow":
        student, placement = pa.array(student, pa.string()), pa.array(placement, pa.string())
        capacity_ids = pa.array(capacity_ids, pa.string())
    elif shape == "chunked":
        half = len(student) // 2
        student = pa.chunked_array([student[:half], student[half:]], pa.string())
        placement = pa.chunked_array([placement[:half], placement[half:]], pa.string())
    elif shape == "sliced":
        student = pa.array(["pad", *student], pa.string()).slice(1)
        placement = pa.array(["pad", *placement], pa.string()).slice(1)
    try:
        return Instance.from_long_format(
            student, placement, rank, capacity_ids, round_["capacity"], company_rank=company
        )
    except InputError as error:
        return str(error)


@FAST
@given(round_=label_rounds(), dense=st.booleans())
def test_lists_and_arrow_give_one_instance_or_one_error(
    round_: dict[str, Any], dense: bool
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if not dense:
            patch.setattr(long_format, "_DENSE_SLOTS_PER_ROW", 0)
            patch.setattr(long_format, "_DENSE_MIN_SLOTS", 0)
        built = {shape: _build(round_, shape) for shape in ("lists", "arrow", "chunked", "sliced")}
    reference = built["lists"]
    for shape, other in built.items():
        if isinstance(reference, str):
            assert other == reference, shape
            continue
        assert isinstance(other, Instance), (shape, other)
        assert other.fingerprint() == reference.fingerprint(), shape
        assert other.student_ids == reference.student_ids
        assert other.placement_ids == reference.placement_ids


def test_bad_rows_are_reported_by_row_number_for_lists_and_arrow() -> None:
    cases: list[tuple[list[Any], list[Any], list[Any], str]] = [
        (["a", None], ["p", "p"], [1, 2], "preference row 2 names no student"),
        (["a", "a", "a"], ["p", "q", "r"], [1, 2, 2], "'a' has more than one choice with rank 2"),
        (["a", "a"], ["p", "x"], [1, 2], "student 'a' ranks unknown placement 'x'"),
        (["a", "a"], ["p", "q"], [1, float("nan")], "must contain integers, but entry 0 is 1.0"),
        (["a", "a"], ["p", "q"], [1, "2"], "must contain integers, but entry 0 is '1'"),
    ]
    for student, placement, rank, message in cases:
        for convert in (list, lambda v: pa.array(v, pa.string())):
            with pytest.raises(InputError, match=message):
                Instance.from_long_format(
                    convert(student), convert(placement), rank, ["p", "q", "r"], [1, 1, 1]
                )
    with pytest.raises(InputError, match="preference row 2 names unknown student 'b'"):
        Instance.from_long_format(["a", "b"], ["p", "p"], [1, 1], ["p"], [1], students=["a"])
    with pytest.raises(InputError, match="placement 'p' appears more than once"):
        Instance.from_long_format(["a"], ["p"], [1], ["p", "p"], [1, 1])
