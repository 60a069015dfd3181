"""The ``stagekans-match`` command: CSV in, matching and certificate out, progress on stderr."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stagekans.matching.engine.cli import main


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    preferences = _write(
        tmp_path / "preferences.csv",
        [
            ["student", "placement", "rank", "company_rank", "acceptable"],
            ["eva", "garage", "1", "1", "yes"],
            ["dirk", "garage", "1", "2", "yes"],
            ["dirk", "bakery", "2", "", "yes"],
            ["fay", "bakery", "1", "", "yes"],
            ["cas", "shop", "1", "", "no"],
            ["ann", "", "", "", ""],
        ],
    )
    capacities = _write(
        tmp_path / "capacities.csv",
        [["placement", "capacity"], ["garage", "1"], ["bakery", "2"], ["shop", "1"]],
    )
    return {"preferences": preferences, "capacities": capacities, "dir": tmp_path}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_cli_writes_matching_and_certificate(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out, cert = files["dir"] / "matching.csv", files["dir"] / "certificate.json"
    args = [str(files["preferences"]), str(files["capacities"]), "-o", str(out), "-c", str(cert)]
    code = main([*args, "--seed", "7"])
    assert code == 0
    rows = {row["student"]: row for row in _read(out)}
    assert rows["eva"]["placement"] == "garage" and rows["eva"]["choice"] == "1"
    assert rows["dirk"]["placement"] == "bakery" and rows["dirk"]["choice"] == "2"
    assert rows["fay"]["placement"] == "bakery"
    assert rows["cas"]["reason"] == "refused_everywhere" and rows["cas"]["placement"] == ""
    assert rows["ann"]["reason"] == "ranked_nothing_eligible"
    assert all(row["lottery"].isdigit() for row in rows.values())
    document = json.loads(cert.read_text(encoding="utf-8"))
    assert document["certificate"]["valid"] is True
    assert document["config"] == {
        "algorithm": "student-proposing",
        "tie_breaking": "stb",
        "seed": 7,
        "improvement_cycles": False,
    }
    assert document["guarantees"]["strategy_proof_for_students"] is True
    assert document["report"]["n_placed"] == 3
    assert document["removed_preferences"]["refused"] == [["cas", "shop"]]
    stderr = capsys.readouterr().err
    assert "[validate]" in stderr and "[match]" in stderr and "placed 3 of 5" in stderr


def test_cli_is_reproducible_and_records_a_fresh_seed(files: dict[str, Path]) -> None:
    first, second = files["dir"] / "a.json", files["dir"] / "b.json"
    for cert in (first, second):
        args = [str(files["preferences"]), str(files["capacities"]), "-q"]
        assert main([*args, "-o", str(files["dir"] / "m.csv"), "-c", str(cert)]) == 0
    seeds = [json.loads(p.read_text(encoding="utf-8"))["config"]["seed"] for p in (first, second)]
    assert seeds[0] != seeds[1]  # 64-bit random seeds: a collision would be a broken RNG
    third = files["dir"] / "c.json"
    args = [str(files["preferences"]), str(files["capacities"]), "-q", "--seed", str(seeds[0])]
    assert main([*args, "-o", str(files["dir"] / "m.csv"), "-c", str(third)]) == 0
    fingerprints = [
        json.loads(p.read_text(encoding="utf-8"))["output_fingerprint"] for p in (first, third)
    ]
    assert fingerprints[0] == fingerprints[1]


def test_cli_school_led_with_crebo_and_distance(files: dict[str, Path]) -> None:
    d = files["dir"]
    students = _write(
        d / "students.csv",
        [
            ["student", "crebo", "lat", "lon"],
            ["eva", "25187", "52.09", "5.11"],
            ["dirk", "25187", "52.09", "5.11"],
            ["fay", "25188", "52.09", "5.11"],
            ["cas", "25187", "52.09", "5.11"],
            ["ann", "", "52.09", "5.11"],
        ],
    )
    capacities = _write(
        d / "capacities_geo.csv",
        [
            ["placement", "capacity", "lat", "lon"],
            ["garage", "1", "52.10", "5.12"],
            ["bakery", "2", "52.37", "4.90"],
            ["shop", "1", "52.09", "5.11"],
        ],
    )
    recognitions = _write(
        d / "recognitions.csv",
        [["placement", "crebo"], ["garage", "25187"], ["bakery", "25187"], ["bakery", "25188"]],
    )
    out, cert = d / "school.csv", d / "school.json"
    args = [str(files["preferences"]), str(capacities), "-q", "--algorithm", "school-led"]
    args += ["--students", str(students), "--recognitions", str(recognitions)]
    args += ["--max-distance-km", "20", "-o", str(out), "-c", str(cert)]
    assert main(args) == 0
    rows = {row["student"]: row for row in _read(out)}
    # The bakery is ~35 km away: too far for everyone, so only the garage seat is left.
    assert [rows[s]["placement"] for s in ("eva", "dirk", "fay")].count("garage") == 1
    assert rows["fay"]["reason"] == "ranked_nothing_eligible"
    document = json.loads(cert.read_text(encoding="utf-8"))
    assert document["guarantees"]["stable"] is False
    assert document["certificate"]["valid"] is True
    assert document["report"]["mean_distance_km"] < 2.0


def test_cli_reports_bad_input_by_name(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(
        files["dir"] / "bad.csv",
        [["student", "placement", "rank"], ["eva", "garage", "1"], ["eva", "moon", "2"]],
    )
    code = main([str(bad), str(files["capacities"]), "-q", "-o", "x.csv", "-c", "x.json"])
    assert code == 2
    assert "student 'eva' ranks unknown placement 'moon'" in capsys.readouterr().err
    not_a_number = _write(
        files["dir"] / "nan.csv", [["student", "placement", "rank"], ["eva", "garage", "first"]]
    )
    code = main([str(not_a_number), str(files["capacities"]), "-q"])
    assert code == 2
    assert "nan.csv:2: rank 'first' is not a valid integer" in capsys.readouterr().err
    negative = _write(files["dir"] / "neg.csv", [["placement", "capacity"], ["garage", "-1"]])
    assert main([str(bad), str(negative), "-q"]) == 2


def test_cli_rejects_negative_company_rank_and_ranks_blanks_last(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    d = files["dir"]
    negative = _write(
        d / "negative.csv",
        [["student", "placement", "rank", "company_rank"], ["eva", "garage", "1", "-2"]],
    )
    assert main([str(negative), str(files["capacities"]), "-q"]) == 2
    assert "negative.csv:2: company_rank must not be negative" in capsys.readouterr().err
    # garage has one seat; it ranked dirk and left eva unranked, so dirk wins whatever the lottery.
    blanks = _write(
        d / "blanks.csv",
        [
            ["student", "placement", "rank", "company_rank"],
            ["eva", "garage", "1", ""],
            ["dirk", "garage", "1", "5"],
        ],
    )
    for seed in ("1", "2", "3"):
        out = d / f"blank-{seed}.csv"
        args = [str(blanks), str(files["capacities"]), "-q", "--seed", seed]
        assert main([*args, "-o", str(out), "-c", str(d / "blank.json")]) == 0
        rows = {row["student"]: row["placement"] for row in _read(out)}
        assert rows == {"dirk": "garage", "eva": ""}
