"""Issue 16: the vectorised long format and the per-component school-led solve, against references.

The references here are plain Python (dicts, sorted(), one global LP) and share nothing with the
fast paths they check.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stagekans.matching.engine import Algorithm, Instance, MatchConfig, match
from stagekans.matching.engine.csv_io import read_round
from stagekans.matching.engine.prepare import prepare
from stagekans.matching.engine.school_led import _solve_lp, school_led
from stagekans.matching.engine.synthetic import crebo_instance

FAST = settings(max_examples=120, deadline=None)

labels = st.text(alphabet="abcé Z09_-", min_size=1, max_size=4)


@st.composite
def long_rounds(draw: st.DrawFn) -> dict[str, Any]:
    students = draw(st.lists(labels, min_size=1, max_size=6, unique=True))
    placements = draw(st.lists(labels, min_size=1, max_size=4, unique=True))
    rows = []
    for s in students:
        chosen = draw(st.permutations(placements))[: draw(st.integers(0, len(placements)))]
        # Ranks need not start at 1 nor be consecutive (1, 3, 7): only their order counts.
        ranks = sorted(
            draw(
                st.lists(
                    st.integers(-3, 9), min_size=len(chosen), max_size=len(chosen), unique=True
                )
            )
        )
        rows += [(s, p, r, draw(st.integers(0, 3))) for p, r in zip(chosen, ranks, strict=True)]
        if not chosen:
            rows.append((s, "", 0, 0))
    rows = draw(st.permutations(rows))
    capacity = [draw(st.integers(0, 3)) for _ in placements]
    return {"rows": rows, "placements": placements, "capacity": capacity}


def _reference(round_: dict[str, Any]) -> tuple[list[list[int]], list[str], list[str]]:
    rows = round_["rows"]
    student_ids = sorted({s for s, _, _, _ in rows})
    placement_ids = sorted(round_["placements"])
    lists: dict[str, list[tuple[int, str]]] = {s: [] for s in student_ids}
    for s, p, r, _ in rows:
        if p:
            lists[s].append((r, p))
    prefs = [[placement_ids.index(p) for _, p in sorted(lists[s])] for s in student_ids]
    return prefs, student_ids, placement_ids


@FAST
@given(round_=long_rounds(), as_arrow=st.booleans())
def test_long_format_equals_a_plain_python_reference(
    round_: dict[str, Any], as_arrow: bool
) -> None:
    rows = round_["rows"]
    columns = [list(column) for column in zip(*rows, strict=True)]
    student, placement = columns[0], columns[1]
    if as_arrow:
        student, placement = pa.array(student), pa.array(placement)
    instance = Instance.from_long_format(
        student,
        placement,
        np.asarray(columns[2], dtype=np.int64),
        round_["placements"],
        round_["capacity"],
        company_rank=np.asarray(columns[3], dtype=np.int64),
    )
    prefs, student_ids, placement_ids = _reference(round_)
    assert list(instance.student_ids or ()) == student_ids
    assert list(instance.placement_ids or ()) == placement_ids
    got = [
        instance.pref_placement[instance.pref_ptr[s] : instance.pref_ptr[s + 1]].tolist()
        for s in range(instance.n_students)
    ]
    assert got == prefs
    by_label = dict(zip(round_["placements"], round_["capacity"], strict=True))
    assert instance.capacity.tolist() == [by_label[p] for p in placement_ids]
    # company_rank travels with its row
    expected_rank = {(s, p): c for s, p, _, c in rows if p}
    pair_student = instance.pair_student()
    assert instance.company_rank is not None
    for i in range(instance.n_preferences):
        key = (student_ids[pair_student[i]], placement_ids[instance.pref_placement[i]])
        assert instance.company_rank[i] == expected_rank[key]


@FAST
@given(round_=long_rounds())
def test_csv_round_trip_equals_long_format(
    round_: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    names = [s for s, _, _, _ in round_["rows"]] + list(round_["placements"])
    assume(all(name == name.strip() for name in names))  # the reader trims cells
    folder = tmp_path_factory.mktemp("csv")
    prefs_path, caps_path = folder / "p.csv", folder / "c.csv"
    with prefs_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "placement", "rank"])
        for s, p, r, _ in round_["rows"]:
            writer.writerow([f" {s} ", p, r if p else ""])
    with caps_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["placement", "capacity"])
        writer.writerows(zip(round_["placements"], round_["capacity"], strict=True))
    instance = read_round(prefs_path, caps_path)
    prefs, student_ids, placement_ids = _reference(round_)
    got = [
        instance.pref_placement[instance.pref_ptr[s] : instance.pref_ptr[s + 1]].tolist()
        for s in range(instance.n_students)
    ]
    assert got == prefs
    assert list(instance.student_ids or ()) == student_ids
    assert list(instance.placement_ids or ()) == placement_ids


@st.composite
def split_rounds(draw: st.DrawFn) -> Instance:
    """Rounds made of several independent groups (crebo x region), plus a few bridging lists."""
    groups = draw(st.integers(1, 4))
    per_group = draw(st.integers(1, 3))
    n_placements = groups * per_group
    prefs = []
    for _ in range(draw(st.integers(1, 14))):
        g = draw(st.integers(0, groups - 1))
        own = list(range(g * per_group, (g + 1) * per_group))
        if draw(st.integers(0, 9)) == 0:
            own.append(draw(st.integers(0, n_placements - 1)))
        chosen = draw(st.permutations(sorted(set(own))))
        prefs.append(list(chosen[: draw(st.integers(0, len(chosen)))]))
    capacity = [draw(st.integers(0, 2)) for _ in range(n_placements)]
    return Instance.from_lists(prefs, capacity)


@FAST
@given(instance=split_rounds(), batch=st.sampled_from([1, 3, 10_000]))
def test_per_component_school_led_reaches_the_global_optimum(
    instance: Instance, batch: int
) -> None:
    prepared = prepare(instance)
    split = school_led(prepared, batch_pairs=batch)
    rank = prepared.submitted_rank()
    if prepared.n_pairs == 0:
        assert split.placed == 0
        return
    chosen = _solve_lp(prepared, np.arange(prepared.n_pairs, dtype=np.int64), rank)
    assert (split.placed, split.rank_sum) == (int(chosen.size), int(rank[chosen].sum()))
    # feasibility, checked by hand
    taken = split.assigned_pair[split.assigned_pair >= 0]
    assert np.unique(prepared.student[taken]).size == taken.size
    assert (
        np.bincount(prepared.placement[taken], minlength=prepared.n_placements) <= instance.capacity
    ).all()


def test_crebo_round_splits_and_matches_the_global_solve() -> None:
    instance = crebo_instance(3_000, n_crebos=30, n_regions=5, seed=4)
    prepared = prepare(instance)
    split = school_led(prepared, batch_pairs=2_000)
    rank = prepared.submitted_rank()
    chosen = _solve_lp(prepared, np.arange(prepared.n_pairs, dtype=np.int64), rank)
    assert (split.placed, split.rank_sum) == (int(chosen.size), int(rank[chosen].sum()))
    result = match(instance, MatchConfig(algorithm=Algorithm.SCHOOL_LED))
    assert result.certificate.valid and result.report.n_placed == split.placed


def test_long_format_reports_the_first_unknown_and_duplicate_rows() -> None:
    with pytest.raises(Exception, match="preference row 2 names no student"):
        Instance.from_long_format(["a", None], ["p", "p"], [1, 2], ["p"], [1])
    with pytest.raises(Exception, match="'a' has more than one choice with rank 2"):
        Instance.from_long_format(
            ["a", "a", "a"], ["p", "q", "r"], [1, 2, 2], ["p", "q", "r"], [1, 1, 1]
        )
    with pytest.raises(Exception, match="student 'a' ranks unknown placement 'x'"):
        Instance.from_long_format(["a", "a"], ["p", "x"], [1, 2], ["p"], [1])


def test_write_assignment_is_vectorised_and_round_trips(tmp_path: Path) -> None:
    from stagekans.matching.engine.csv_io import write_outputs

    instance = Instance.from_long_format(
        ["b", "a", "c", "a"], ["p", "p", "", "q,x"], [1, 2, 0, 1], ["p", "q,x"], [1, 1]
    )
    result = match(instance, MatchConfig(seed=4))
    write_outputs(result, tmp_path / "m.csv", tmp_path / "c.json")
    with (tmp_path / "m.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"a", "b", "c"}
    assert rows["c"]["placement"] == "" and rows["c"]["reason"] == "ranked_nothing_eligible"
    assert rows["a"]["placement"] == "q,x" and rows["b"]["placement"] == "p"
    assert rows["a"]["choice"] == "1" and rows["b"]["choice"] == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "m.csv"]
