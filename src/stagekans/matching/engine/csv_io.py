"""CSV input and output for the command line.

Input is "long" (one row per preference) because that is what a spreadsheet or a database export
naturally produces; it is converted once into the array form. Errors name the file and line.

``preferences.csv``: ``student, placement, rank`` and optionally ``company_rank`` (empty: not
ranked, placed after the ranked applicants of that placement), ``acceptable`` and ``eligible``
(1/0, true/false, yes/no; empty: yes) and ``distance_km``. A row with an empty placement only
registers a student who ranked nothing.

``capacities.csv``: ``placement, capacity`` and optionally ``lat, lon``.
``students.csv`` (optional): ``student`` and optionally ``crebo, lat, lon``.
``recognitions.csv`` (optional): ``placement, crebo``: the programmes a placement is recognised for.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from stagekans.matching.engine import long_format
from stagekans.matching.engine.certificate import UnplacedReason
from stagekans.matching.engine.csv_tables import Table, flags, integers, numbers, read_table
from stagekans.matching.engine.eligibility import (
    apply_eligibility,
    crebo_recognised,
    pair_distances,
)
from stagekans.matching.engine.engine import MatchResult
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.instance import Instance
from stagekans.matching.engine.lottery import TieBreaking


def read_round(
    preferences: Path,
    capacities: Path,
    *,
    students: Path | None = None,
    recognitions: Path | None = None,
    max_distance_km: float | None = None,
    encoding: str | None = None,
) -> Instance:
    """Read a round from CSV files and apply the school's eligibility rules."""
    if max_distance_km is not None and not (np.isfinite(max_distance_km) and max_distance_km >= 0):
        raise InputError(
            f"the travel-distance limit must be a finite number of kilometres >= 0, "
            f"got {max_distance_km}"
        )
    prefs = read_table(
        preferences,
        ("student", "placement", "rank"),
        ("company_rank", "acceptable", "eligible", "distance_km"),
        encoding=encoding,
        numeric=("rank", "distance_km"),
    )
    caps = read_table(
        capacities,
        ("placement", "capacity"),
        ("lat", "lon"),
        encoding=encoding,
        numeric=("capacity", "lat", "lon"),
    )
    student_table = (
        None
        if students is None
        else read_table(
            students,
            ("student",),
            ("crebo", "lat", "lon"),
            encoding=encoding,
            numeric=("lat", "lon"),
        )
    )
    _require_labels(prefs, "student")
    _require_labels(caps, "placement")

    ranked_rows = np.flatnonzero(long_format.present(prefs.column("placement")))
    ranks = integers(prefs, "rank", rows=ranked_rows)

    company_rank = None
    if prefs.has("company_rank"):
        texts = prefs.column("company_rank")
        filled_mask = np.zeros(prefs.n_rows, dtype=np.bool_)
        filled_mask[ranked_rows] = True
        filled_mask &= np.asarray(pc.not_equal(pc.utf8_length(texts), 0), dtype=np.bool_)
        filled = np.flatnonzero(filled_mask)
        company_rank = np.full(prefs.n_rows, -1, dtype=np.int64)
        company_rank[filled] = integers(prefs, "company_rank", rows=filled)[filled]
        negative = filled[company_rank[filled] < 0]
        if negative.size:
            raise InputError(
                f"{preferences}:{prefs.line(int(negative[0]))}: company_rank must not be "
                "negative (leave it empty for an applicant the company did not rank)"
            )
    capacity = integers(caps, "capacity", saturate=True)
    negative_capacity = np.flatnonzero(capacity < 0)
    if negative_capacity.size:
        row = int(negative_capacity[0])
        raise InputError(
            f"{caps.where(row, 'capacity')} {caps.text(row, 'capacity')} is negative",
            placement=caps.text(row, "placement"),
        )
    registered = None
    if student_table is not None:
        _require_labels(student_table, "student")
        registered = pa.concat_arrays(
            [
                pc.unique(student_table.column("student")),
                pc.unique(prefs.column("student")),
            ]
        )
        registered = pc.unique(registered)
    instance = Instance.from_long_format(
        prefs.column("student"),
        prefs.column("placement"),
        ranks,
        caps.column("placement"),
        capacity,
        company_rank=company_rank,
        acceptable=flags(prefs, "acceptable") if prefs.has("acceptable") else None,
        eligible=flags(prefs, "eligible") if prefs.has("eligible") else None,
        distance_km=numbers(prefs, "distance_km", rows=ranked_rows)
        if prefs.has("distance_km")
        else None,
        students=registered,
    )
    if instance.company_rank is not None:
        instance = instance.replace(company_rank=_rank_unranked_last(instance))

    recognised = None
    if recognitions is not None:
        if student_table is None or not student_table.has("crebo"):
            raise InputError("--recognitions needs a students file with a crebo column")
        recognised = _recognitions(instance, student_table, recognitions, encoding)
    distance = instance.distance_km
    if distance is None and student_table is not None:
        distance = _distances_from_coordinates(instance, student_table, caps)
    if recognised is None and distance is None and max_distance_km is None:
        return instance
    return apply_eligibility(
        instance, recognised=recognised, distance_km=distance, max_distance_km=max_distance_km
    )


def _require_labels(table: Table, column: str) -> None:
    empty = np.asarray(pc.equal(pc.utf8_length(table.column(column)), 0), dtype=np.bool_)
    if empty.any():
        row = int(np.flatnonzero(empty)[0])
        raise InputError(f"{table.where(row, column)} is empty")


def _rank_unranked_last(instance: Instance) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Put applicants a company did not rank (-1) behind everyone it did rank, tied."""
    assert instance.company_rank is not None
    rank = instance.company_rank.copy()
    valid = (instance.pref_placement >= 0) & (instance.pref_placement < instance.n_placements)
    highest = np.full(instance.n_placements, -1, dtype=np.int64)
    np.maximum.at(highest, instance.pref_placement[valid], rank[valid])
    unranked = valid & (rank < 0)
    rank[unranked] = highest[instance.pref_placement[unranked]] + 1
    return rank


def _row_index(table: Table, column: str, labels: tuple[str, ...] | None, what: str) -> Any:
    """Index of each row's label among ``labels``; unknown labels are an error naming the line."""
    index = long_format.lookup(table.column(column), list(labels or ()))
    unknown = np.flatnonzero(index < 0)
    if unknown.size:
        row = int(unknown[0])
        raise InputError(f"{table.where(row, column)} unknown {what} {table.text(row, column)!r}")
    return index


def _recognitions(
    instance: Instance, student_table: Table, path: Path, encoding: str | None
) -> np.ndarray[Any, Any]:
    table = read_table(path, ("placement", "crebo"), (), encoding=encoding)
    crebo = np.full(instance.n_students, -1, dtype=np.int64)
    given = np.flatnonzero(
        np.asarray(pc.not_equal(pc.utf8_length(student_table.column("crebo")), 0), dtype=bool)
    )
    student_index = _row_index(student_table, "student", instance.student_ids, "student")
    crebo[student_index[given]] = integers(student_table, "crebo", rows=given)[given]
    placement = _row_index(table, "placement", instance.placement_ids, "placement")
    recognised_crebo = integers(table, "crebo")
    order = np.lexsort((recognised_crebo, placement))
    counts = np.bincount(placement, minlength=instance.n_placements)
    ptr = np.zeros(instance.n_placements + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return crebo_recognised(instance, crebo, ptr, recognised_crebo[order])


def _distances_from_coordinates(
    instance: Instance, student_table: Table, caps: Table
) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    if not all(t.has(c) for t in (student_table, caps) for c in ("lat", "lon")):
        return None
    coords = []
    for table, key, labels, size in (
        (student_table, "student", instance.student_ids, instance.n_students),
        (caps, "placement", instance.placement_ids, instance.n_placements),
    ):
        index = _row_index(table, key, labels, key)
        lat = np.full(size, np.nan)
        lon = np.full(size, np.nan)
        lat[index] = numbers(table, "lat")
        lon[index] = numbers(table, "lon")
        coords.append((lat, lon))
    return pair_distances(instance, coords[0][0], coords[0][1], coords[1][0], coords[1][1])


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def check_writable(*paths: Path) -> None:
    """Fail before any work if an output cannot be written (missing folder, no permission)."""
    for path in paths:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
        if path.is_dir():
            raise OutputError(f"cannot write {path}: it is a folder")
        if not os.access(folder, os.W_OK):
            raise OutputError(f"cannot write {path}: no permission to write in {folder}")


class OutputError(OSError):
    """An output file cannot be written."""


def write_outputs(result: MatchResult, assignment_path: Path, certificate_path: Path) -> None:
    """Write both files, or neither: each goes to a temporary file first, then both are renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, writer in (
            (assignment_path, write_assignment),
            (certificate_path, write_certificate),
        ):
            temporary = _temporary(path)
            staged.append((temporary, path))
            writer(result, temporary)
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"cannot write the results: {exc}") from exc
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def write_assignment(result: MatchResult, path: Path) -> None:
    """One row per student: placement (empty if unplaced), 1-based choice, reason, lottery."""
    instance = result.instance
    n = instance.n_students
    placed = result.assignment >= 0
    student_labels = (
        pa.array(instance.student_ids, type=pa.string())
        if instance.student_ids is not None
        else pc.binary_join_element_wise("#", pc.cast(pa.array(np.arange(n)), pa.string()), "")
    )
    placement_labels = pa.array(
        instance.placement_ids
        if instance.placement_ids is not None
        else [f"#{p}" for p in range(instance.n_placements)],
        type=pa.string(),
    )
    placement_column = placement_labels.take(
        pa.array(np.where(placed, result.assignment, 0), mask=~placed)
    )
    choice = pa.array(result.assigned_rank + 1, mask=~placed)
    reasons = pa.array([reason.label for reason in UnplacedReason], type=pa.string())
    columns = {
        "student": student_labels,
        "placement": placement_column,
        "choice": choice,
        "reason": reasons.take(pa.array(result.unplaced_reason)),
    }
    if result.config.tie_breaking is TieBreaking.SINGLE:
        columns["lottery"] = pa.array(result.lottery.astype(np.int64))
    pacsv.write_csv(
        pa.table(columns),
        str(path),
        write_options=pacsv.WriteOptions(quoting_style="needed"),
    )


def write_certificate(result: MatchResult, path: Path) -> None:
    """The certificate, report, configuration and fingerprints as JSON."""
    instance = result.instance
    document = result.to_dict()
    document["removed_preferences"] = {
        "ineligible": [
            [instance.student_label(int(s)), instance.placement_label(int(p))]
            for s, p in _pairs(instance, result.prepared.ineligible_pairs)
        ],
        "refused": [
            [instance.student_label(int(s)), instance.placement_label(int(p))]
            for s, p in _pairs(instance, result.prepared.refused_pairs)
        ],
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _pairs(instance: Instance, pair_index: np.ndarray[Any, Any]) -> list[tuple[int, int]]:
    student = np.searchsorted(instance.pref_ptr, pair_index, side="right") - 1
    return list(zip(student.tolist(), instance.pref_placement[pair_index].tolist(), strict=True))
