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

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stagekans.matching.engine.certificate import UnplacedReason
from stagekans.matching.engine.eligibility import (
    apply_eligibility,
    crebo_recognised,
    pair_distances,
)
from stagekans.matching.engine.engine import MatchResult
from stagekans.matching.engine.errors import InputError
from stagekans.matching.engine.instance import Instance
from stagekans.matching.engine.lottery import TieBreaking

_TRUE = {"1", "true", "yes", "y", "ja", "j", ""}
_FALSE = {"0", "false", "no", "n", "nee"}


@dataclass(frozen=True)
class _Table:
    path: Path
    columns: dict[str, list[str]]
    lines: list[int]

    def has(self, column: str) -> bool:
        return column in self.columns

    def column(self, name: str) -> list[str]:
        return self.columns[name]


def _read_table(path: Path, required: Sequence[str], optional: Sequence[str]) -> _Table:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader)]
        except StopIteration:
            raise InputError(f"{path}: the file is empty, expected a header row") from None
        missing = [name for name in required if name not in header]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        wanted = [name for name in (*required, *optional) if name in header]
        index = {name: header.index(name) for name in wanted}
        columns: dict[str, list[str]] = {name: [] for name in wanted}
        lines: list[int] = []
        for row in reader:
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(
                    f"{path}:{reader.line_num}: expected {len(header)} fields, got {len(row)}"
                )
            lines.append(reader.line_num)
            for name, position in index.items():
                columns[name].append(row[position].strip())
    return _Table(path, columns, lines)


def _parse(table: _Table, column: str, kind: type, *, rows: Iterator[int] | None = None) -> Any:
    values = table.column(column)
    out: list[Any] = []
    for i in range(len(values)) if rows is None else rows:
        text = values[i]
        try:
            out.append(kind(text))
        except ValueError:
            raise InputError(
                f"{table.path}:{table.lines[i]}: {column} {text!r} is not a valid "
                f"{'integer' if kind is int else 'number'}"
            ) from None
    return out


def _parse_flags(table: _Table, column: str) -> list[bool]:
    flags = []
    for i, text in enumerate(table.column(column)):
        lowered = text.lower()
        if lowered in _TRUE:
            flags.append(True)
        elif lowered in _FALSE:
            flags.append(False)
        else:
            raise InputError(f"{table.path}:{table.lines[i]}: {column} {text!r} is not yes/no")
    return flags


def read_round(
    preferences: Path,
    capacities: Path,
    *,
    students: Path | None = None,
    recognitions: Path | None = None,
    max_distance_km: float | None = None,
) -> Instance:
    """Read a round from CSV files and apply the school's eligibility rules."""
    prefs = _read_table(
        preferences,
        ("student", "placement", "rank"),
        ("company_rank", "acceptable", "eligible", "distance_km"),
    )
    caps = _read_table(capacities, ("placement", "capacity"), ("lat", "lon"))
    student_table = (
        None if students is None else _read_table(students, ("student",), ("crebo", "lat", "lon"))
    )

    has_placement = [bool(p) for p in prefs.column("placement")]
    ranked_rows = [i for i, present in enumerate(has_placement) if present]
    ranks = np.zeros(len(has_placement), dtype=np.int64)
    ranks[ranked_rows] = _parse(prefs, "rank", int, rows=iter(ranked_rows))

    company_rank = None
    if prefs.has("company_rank"):
        texts = prefs.column("company_rank")
        filled = [i for i in ranked_rows if texts[i] != ""]
        company_rank = np.full(len(texts), -1, dtype=np.int64)
        company_rank[filled] = _parse(prefs, "company_rank", int, rows=iter(filled))
        negative = [i for i in filled if company_rank[i] < 0]
        if negative:
            raise InputError(
                f"{preferences}:{prefs.lines[negative[0]]}: company_rank must not be negative "
                "(leave it empty for an applicant the company did not rank)"
            )
    registered = None
    if student_table is not None:
        registered = sorted(set(student_table.column("student")) | set(prefs.column("student")))
    instance = Instance.from_long_format(
        prefs.column("student"),
        prefs.column("placement"),
        ranks,
        caps.column("placement"),
        np.asarray(_parse(caps, "capacity", int), dtype=np.int64),
        company_rank=company_rank,
        acceptable=_parse_flags(prefs, "acceptable") if prefs.has("acceptable") else None,
        eligible=_parse_flags(prefs, "eligible") if prefs.has("eligible") else None,
        distance_km=_float_column(prefs, "distance_km", ranked_rows)
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
        recognised = _recognitions(instance, student_table, recognitions)
    distance = instance.distance_km
    if distance is None and student_table is not None:
        distance = _distances_from_coordinates(instance, student_table, caps)
    if recognised is None and distance is None and max_distance_km is None:
        return instance
    return apply_eligibility(
        instance, recognised=recognised, distance_km=distance, max_distance_km=max_distance_km
    )


def _float_column(table: _Table, column: str, rows: list[int]) -> list[float]:
    values = [0.0] * len(table.column(column))
    for i, value in zip(rows, _parse(table, column, float, rows=iter(rows)), strict=True):
        values[i] = value
    return values


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


def _index(labels: tuple[str, ...] | None) -> dict[str, int]:
    return {} if labels is None else {label: i for i, label in enumerate(labels)}


def _recognitions(instance: Instance, student_table: _Table, path: Path) -> np.ndarray[Any, Any]:
    table = _read_table(path, ("placement", "crebo"), ())
    student_index = _index(instance.student_ids)
    placement_index = _index(instance.placement_ids)
    crebo = np.full(instance.n_students, -1, dtype=np.int64)
    texts = student_table.column("crebo")
    for i, label in enumerate(student_table.column("student")):
        if texts[i]:
            crebo[student_index[label]] = _parse(student_table, "crebo", int, rows=iter([i]))[0]
    pairs: list[tuple[int, int]] = []
    for i, label in enumerate(table.column("placement")):
        p = placement_index.get(label)
        if p is None:
            raise InputError(f"{path}:{table.lines[i]}: unknown placement {label!r}")
        pairs.append((p, _parse(table, "crebo", int, rows=iter([i]))[0]))
    pairs.sort()
    counts = np.bincount(
        np.asarray([p for p, _ in pairs], dtype=np.int64), minlength=instance.n_placements
    )
    ptr = np.zeros(instance.n_placements + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return crebo_recognised(instance, crebo, ptr, np.asarray([c for _, c in pairs], np.int64))


def _distances_from_coordinates(
    instance: Instance, student_table: _Table, caps: _Table
) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    if not all(t.has(c) for t in (student_table, caps) for c in ("lat", "lon")):
        return None
    student_index = _index(instance.student_ids)
    placement_index = _index(instance.placement_ids)
    coords = []
    for table, index, size in (
        (student_table, student_index, instance.n_students),
        (caps, placement_index, instance.n_placements),
    ):
        lat = np.full(size, np.nan)
        lon = np.full(size, np.nan)
        key = "student" if table is student_table else "placement"
        lat_values = _parse(table, "lat", float)
        lon_values = _parse(table, "lon", float)
        for i, label in enumerate(table.column(key)):
            lat[index[label]] = lat_values[i]
            lon[index[label]] = lon_values[i]
        coords.append((lat, lon))
    return pair_distances(instance, coords[0][0], coords[0][1], coords[1][0], coords[1][1])


def write_assignment(result: MatchResult, path: Path) -> None:
    """One row per student: placement (empty if unplaced), 1-based choice, reason, lottery."""
    instance = result.instance
    ranks = result.assigned_rank
    with_lottery = result.config.tie_breaking is TieBreaking.SINGLE
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["student", "placement", "choice", "reason"] + (["lottery"] if with_lottery else [])
        )
        for s in range(instance.n_students):
            placement = int(result.assignment[s])
            row = [
                instance.student_label(s),
                instance.placement_label(placement) if placement >= 0 else "",
                str(int(ranks[s]) + 1) if placement >= 0 else "",
                UnplacedReason(int(result.unplaced_reason[s])).label,
            ]
            if with_lottery:
                row.append(str(int(result.lottery[s])))
            writer.writerow(row)


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
