"""Issue 16: packed-integer labels, the CSR scatter and the school-led assignment solver.

Each fast path is compared with a plain reference that shares no code with it: Python's sorted()
and list.index() for labels, a stable sort for the CSR order, and the min-cost flow LP for
school-led (which the brute-force tests in test_school_led.py check in turn).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from stagekans.matching.engine import Instance
from stagekans.matching.engine.long_format import csr_order, factorise, lookup, packed_keys
from stagekans.matching.engine.prepare import prepare
from stagekans.matching.engine.school_led import _solve_assignment, _solve_lp, school_led
from stagekans.matching.engine.synthetic import crebo_instance
from stagekans.matching.engine.tests.test_long_format_and_components import split_rounds

FAST = settings(max_examples=150, deadline=None)

# Short and long labels, multi-byte characters, and a NUL byte (which packing must refuse).
label_text = st.text(alphabet="ab\x00é𝄞Z9", min_size=0, max_size=10)
short_ascii = st.text(alphabet="SP0123456789", min_size=1, max_size=8)


@FAST
@given(values=st.lists(st.one_of(label_text, short_ascii), min_size=1, max_size=30))
def test_factorise_equals_sorted_labels(values: list[str]) -> None:
    result = factorise(pa.array(values, type=pa.string()))
    expected = sorted(set(values))
    assert result.labels == expected
    assert result.codes.tolist() == [expected.index(v) for v in values]


@FAST
@given(
    values=st.lists(st.one_of(label_text, short_ascii), min_size=1, max_size=30),
    known=st.lists(st.one_of(label_text, short_ascii), min_size=1, max_size=10, unique=True),
)
def test_lookup_equals_list_index(values: list[str], known: list[str]) -> None:
    # ``known`` in any order (not only the sorted order factorise produces)
    got = lookup(pa.array(values, type=pa.string()), known)
    assert got.tolist() == [known.index(v) if v in known else -1 for v in values]


@FAST
@given(values=st.lists(label_text, min_size=2, max_size=20, unique=True))
def test_packed_keys_keep_byte_order_or_refuse(values: list[str]) -> None:
    keys = packed_keys(pa.array(values, type=pa.string()))
    encoded = [v.encode() for v in values]
    fits = all(len(b) <= 8 and b"\x00" not in b for b in encoded)
    assert (keys is not None) == fits
    if keys is not None:
        assert np.argsort(keys, kind="stable").tolist() == sorted(
            range(len(values)), key=encoded.__getitem__
        )


def test_packed_keys_on_a_sliced_array_use_the_slice() -> None:
    array = pa.array(["P000001", "P000002", "P000003", "P1"]).slice(1, 3)
    assert factorise(array).labels == ["P000002", "P000003", "P1"]
    assert lookup(array, ["P1", "P000003"]).tolist() == [-1, 1, 0]


@FAST
@given(
    rows=st.lists(st.tuples(st.integers(0, 4), st.integers(-2, 6)), min_size=1, max_size=25),
)
def test_csr_order_equals_a_stable_sort(rows: list[tuple[int, int]]) -> None:
    student = np.array([s for s, _ in rows], dtype=np.int64)
    rank = np.array([r for _, r in rows], dtype=np.int64)
    order, ptr = csr_order(student, rank, 5)
    if len(set(rows)) < len(rows):  # a student with two rows of one rank
        assert order is None
        s, r, _ = ptr
        assert rows.count((int(s), int(r))) > 1
        return
    assert order is not None
    expected = sorted(range(len(rows)), key=lambda i: rows[i])
    assert order.tolist() == expected
    assert np.diff(ptr).tolist() == [[s for s, _ in rows].count(k) for k in range(5)]


def test_long_format_with_long_labels_takes_the_hash_path() -> None:
    students = ["student-number-2", "student-number-1", "student-number-1"]
    instance = Instance.from_long_format(
        students,
        ["placement-long-b", "placement-long-a", "b"],
        [1, 2, 1],
        ["b", "placement-long-a", "placement-long-b"],
        [1, 1, 1],
    )
    assert instance.student_ids == ("student-number-1", "student-number-2")
    assert instance.placement_ids == ("b", "placement-long-a", "placement-long-b")
    assert instance.pref_placement.tolist() == [0, 1, 2]


@FAST
@given(instance=split_rounds())
def test_assignment_solver_reaches_the_lp_optimum(instance: Instance) -> None:
    prepared = prepare(instance)
    if prepared.n_pairs == 0:
        return
    pairs = np.arange(prepared.n_pairs, dtype=np.int64)
    rank = prepared.submitted_rank()
    by_assignment = _solve_assignment(prepared, pairs, rank)
    by_lp = _solve_lp(prepared, pairs, rank)
    assert by_assignment is not None  # capacities of 0-2 seats never exceed the edge budget
    assert (by_assignment.size, int(rank[by_assignment].sum())) == (
        by_lp.size,
        int(rank[by_lp].sum()),
    )
    students = prepared.student[by_assignment]
    assert np.unique(students).size == students.size
    taken = np.bincount(prepared.placement[by_assignment], minlength=prepared.n_placements)
    assert (taken <= prepared.capacity).all()


def test_many_seats_fall_back_to_the_lp() -> None:
    # 35 students rank the same two 30-seat placements: 30 edges per preference, and the first
    # choice is crowded, so the component is not solved directly either.
    instance = Instance.from_lists([[0, 1]] * 35, [30, 30])
    prepared = prepare(instance)
    pairs = np.arange(prepared.n_pairs, dtype=np.int64)
    rank = prepared.submitted_rank()
    assert _solve_assignment(prepared, pairs, rank) is None
    outcome = school_led(prepared)
    assert (outcome.placed, outcome.rank_sum) == (35, 5)


def test_crebo_round_assignment_batches_match_the_global_lp() -> None:
    instance = crebo_instance(4_000, n_crebos=20, n_regions=4, seed=11)
    prepared = prepare(instance)
    rank = prepared.submitted_rank()
    chosen = _solve_lp(prepared, np.arange(prepared.n_pairs, dtype=np.int64), rank)
    for batch in (500, 2_000, 100_000):
        split = school_led(prepared, batch_pairs=batch)
        assert (split.placed, split.rank_sum) == (int(chosen.size), int(rank[chosen].sum()))
