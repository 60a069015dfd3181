"""Bad input must fail loudly and name the offending student or placement."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from stagekans.matching.engine import InputError, Instance, match, with_company_lists
from stagekans.matching.engine.prepare import prepare


def _instance(
    prefs: list[list[int]],
    capacity: list[int],
    company_prefs: Sequence[Sequence[int] | None] | None = None,
) -> Instance:
    return Instance.from_lists(
        prefs,
        capacity,
        company_prefs=company_prefs,
        student_ids=[f"S{i}" for i in range(len(prefs))],
        placement_ids=[f"P{i}" for i in range(len(capacity))],
    )


def test_negative_capacity_names_the_placement() -> None:
    instance = _instance([[0], [1]], [2, -3, -1])
    with pytest.raises(InputError, match=r"'P1' has negative capacity -3 \(and 1 more") as info:
        prepare(instance)
    assert info.value.placement == "P1"
    assert info.value.occurrences == 2


def test_unknown_placement_names_the_student() -> None:
    instance = _instance([[0], [1, 7]], [1, 1])
    with pytest.raises(InputError, match="'S1' ranks unknown placement 7") as info:
        prepare(instance)
    assert info.value.student == "S1"


def test_negative_placement_index_is_unknown() -> None:
    with pytest.raises(InputError, match="'S0' ranks unknown placement -1"):
        prepare(_instance([[-1]], [1]))


def test_duplicate_preference_names_student_and_placement() -> None:
    instance = _instance([[0, 1], [1, 0, 2, 0]], [1, 1, 1])
    with pytest.raises(InputError, match="'S1' ranks placement 'P0' more than once") as info:
        prepare(instance)
    assert (info.value.student, info.value.placement) == ("S1", "P0")


def test_duplicate_detection_on_the_sparse_path() -> None:
    """Many empty lists and one long one take the global-sort path; it must agree."""
    prefs: list[list[int]] = [[] for _ in range(3000)]
    prefs[2500] = [4, 3, 2, 1, 0, 9, 8, 7, 6, 3]
    with pytest.raises(InputError, match="'S2500' ranks placement 'P3' more than once"):
        prepare(_instance(prefs, [1] * 10))
    prefs[2500] = [4, 3, 2, 1, 0, 9, 8, 7, 6, 5]
    assert prepare(_instance(prefs, [1] * 10)).n_pairs == 10


def test_ragged_pointer_is_rejected() -> None:
    with pytest.raises(InputError, match=r"ragged.*#1.*ends before it starts"):
        Instance.from_csr([0, 2, 1, 3], [0, 1, 0], [1, 1])
    with pytest.raises(InputError, match="pref_ptr ends at 2 but there are 3 preferences"):
        Instance.from_csr([0, 1, 2], [0, 1, 0], [1, 1])
    with pytest.raises(InputError, match="must start at 0"):
        Instance.from_csr([1, 2], [0, 1], [1, 1])


def test_misaligned_per_preference_arrays_are_rejected() -> None:
    with pytest.raises(InputError, match="company_rank has 2 entries for 3 preferences"):
        Instance.from_csr([0, 3], [0, 1, 2], [1, 1, 1], company_rank=[0, 1])
    with pytest.raises(InputError, match="acceptable has 1 entries for 3 preferences"):
        Instance.from_csr([0, 3], [0, 1, 2], [1, 1, 1], acceptable=[True])
    with pytest.raises(InputError, match="student_ids has 3 entries"):
        Instance.from_csr([0, 1, 2], [0, 1], [1, 1], student_ids=["a", "b", "c"])


def test_non_integer_arrays_are_rejected() -> None:
    with pytest.raises(InputError, match="pref_placement must contain integers"):
        Instance.from_csr([0, 1], [0.5], [1])
    with pytest.raises(InputError, match="capacity must contain integers"):
        Instance.from_csr([0, 1], [0], [True])
    with pytest.raises(InputError, match="ragged array"):
        Instance.from_csr([0, 1], [[0, 1], [2]], [1])


def test_company_rank_out_of_range_names_the_pair() -> None:
    instance = Instance.from_csr(
        [0, 2],
        [0, 1],
        [1, 1],
        company_rank=[0, -4],
        student_ids=["ann"],
        placement_ids=["bakery", "garage"],
    )
    with pytest.raises(InputError, match="'garage' gives student 'ann' rank -4") as info:
        prepare(instance)
    assert (info.value.student, info.value.placement) == ("ann", "garage")


def test_bad_distance_names_the_pair() -> None:
    instance = Instance.from_csr([0, 2], [0, 1], [1, 1], distance_km=[1.0, float("nan")])
    with pytest.raises(InputError, match="student '#0' to placement '#1' is nan"):
        prepare(instance)


def test_duplicate_ids_are_rejected() -> None:
    instance = Instance.from_csr([0, 0, 0], [], [1], student_ids=["x", "x"])
    with pytest.raises(InputError, match="student id 'x' is used for more than one student"):
        prepare(instance)


def test_company_lists_naming_unknown_or_repeated_students() -> None:
    base = _instance([[0], [0]], [1])
    with pytest.raises(InputError, match="'P0' ranks unknown student 5"):
        with_company_lists(base, [0, 1], [5])
    with pytest.raises(InputError, match="'P0' ranks student 'S1' more than once"):
        with_company_lists(base, [0, 2], [1, 1])


def test_refused_and_ineligible_preferences_are_recorded() -> None:
    instance = _instance([[0, 1, 2], [2, 1]], [1, 1, 1], company_prefs=[[0], None, [1]])
    instance = instance.replace(eligible=np.array([True, False, True, True, True]))
    prepared = prepare(instance)
    # S0: P0 kept, P1 ineligible, P2 refused; S1: P2 kept, P1 accepted without ranking.
    assert prepared.ineligible_pairs.tolist() == [1]
    assert prepared.refused_pairs.tolist() == [2]
    assert prepared.placement.tolist() == [0, 2, 1]
    assert prepared.ptr.tolist() == [0, 1, 3]
    assert prepared.submitted_rank().tolist() == [0, 0, 1]


def test_long_format_errors_name_rows() -> None:
    with pytest.raises(InputError, match="'s1' ranks unknown placement 'zz'") as info:
        Instance.from_long_format(["s1"], ["zz"], [1], ["a"], [1])
    assert info.value.placement == "zz"
    with pytest.raises(InputError, match="'s1' has more than one choice with rank 1"):
        Instance.from_long_format(["s1", "s1"], ["a", "b"], [1, 1], ["a", "b"], [1, 1])
    with pytest.raises(InputError, match="'a' appears more than once in the capacity table"):
        Instance.from_long_format(["s1"], ["a"], [1], ["a", "a"], [1, 2])
    with pytest.raises(InputError, match="unknown student 'ghost'"):
        Instance.from_long_format(["ghost"], ["a"], [1], ["a"], [1], students=["s1"])
    with pytest.raises(InputError, match="'s1' ranks placement 'a' more than once"):
        prepare(Instance.from_long_format(["s1", "s1"], ["a", "a"], [1, 2], ["a"], [1]))


def test_long_format_does_not_depend_on_row_order() -> None:
    rows = [("s2", "b", 1), ("s1", "a", 2), ("s1", "b", 1), ("s3", "", 0), ("s2", "a", 3)]
    forward = Instance.from_long_format(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], ["b", "a"], [1, 1]
    )
    rows.reverse()
    backward = Instance.from_long_format(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], ["a", "b"], [1, 1]
    )
    assert forward.fingerprint() == backward.fingerprint()
    assert forward.student_ids == ("s1", "s2", "s3")
    assert forward.pref_ptr.tolist() == [0, 2, 4, 4]
    # s1 ranked b first (rank 1) then a (rank 2).
    assert forward.pref_placement.tolist() == [1, 0, 1, 0]


def test_a_valid_instance_matches_and_reports_the_refusal() -> None:
    instance = _instance([[0, 1], [0]], [1, 1], company_prefs=[[1], [0]])
    result = match(instance)
    assert result.certificate.valid
    assert result.assignment.tolist() == [1, 0]
    assert result.report.refused_preferences == 1


def test_direct_construction_coerces_narrow_dtypes() -> None:
    """int32/uint8 arrays from a database driver must not overflow inside the priority keys."""
    narrow = Instance(
        np.array([0, 2, 3], dtype=np.int32),
        np.array([1, 0, 0], dtype=np.int16),
        np.array([1, 1], dtype=np.uint8),
        company_rank=np.array([0, 1, 0], dtype=np.int32),
    )
    wide = Instance.from_csr([0, 2, 3], [1, 0, 0], [1, 1], company_rank=[0, 1, 0])
    assert narrow.pref_placement.dtype == np.int64 and narrow.capacity.dtype == np.int64
    assert narrow.fingerprint() == wide.fingerprint()
    assert match(narrow).assignment.tolist() == match(wide).assignment.tolist() == [1, 0]
