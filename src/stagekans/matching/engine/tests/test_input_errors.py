"""Issue 16 finding 4: no silent coercion, no tracebacks; each bad input named, own exit code."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from stagekans.matching.engine import InputError, Instance, MatchConfig, recertify
from stagekans.matching.engine.cli import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_OUTPUT,
    main,
)


@pytest.mark.parametrize(
    ("prefs", "capacity", "company_prefs", "message"),
    [
        ([[0.7]], [1], None, "choice 1 of student 0 must be an integer index, got 0.7"),
        ([["1"]], [1], None, "choice 1 of student 0 must be an integer index, got '1'"),
        ([[0, True]], [1], None, "choice 2 of student 0 must be an integer index, got True"),
        ([[0]], [1], [[1.9]], "entry 1 in the list of placement 0 must be an integer"),
        ([[0]], [0.7], None, "capacity must contain integers, but entry 0 is 0.7"),
        ([[0]], [math.nan], None, "capacity must contain integers, but entry 0 is nan"),
        ([[0], [1]], [1, 10**30], None, "capacity entry 1 .* does not fit in a 64-bit"),
    ],
)
def test_from_lists_refuses_what_it_used_to_coerce(
    prefs: list[list[object]],
    capacity: list[object],
    company_prefs: list[list[object]] | None,
    message: str,
) -> None:
    with pytest.raises(InputError, match=message):
        Instance.from_lists(prefs, capacity, company_prefs=company_prefs)


def test_recertify_refuses_a_float_assignment() -> None:
    instance = Instance.from_lists([[0], [0]], [1])
    with pytest.raises(InputError, match=r"assignment must contain integers, but entry 0 is 0\.5"):
        recertify(instance, [0.5, 0.0], MatchConfig())


def _write(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


PREFERENCES = [
    ["student", "placement", "rank"],
    ["Zoë", "garage", "1"],
    ["Daan", "garage", "1"],
    ["Daan", "bakkerij", "2"],
]
CAPACITIES = [["placement", "capacity"], ["garage", "1"], ["bakkerij", "1"]]


def _run(tmp_path: Path, prefs: Path, caps: Path, *extra: str) -> int:
    out, cert = tmp_path / "out" / "m.csv", tmp_path / "out" / "c.json"
    out.parent.mkdir(exist_ok=True)
    return main(
        [str(prefs), str(caps), "-q", "--seed", "1", "-o", str(out), "-c", str(cert), *extra]
    )


def _placed(tmp_path: Path) -> dict[str, str]:
    with (tmp_path / "out" / "m.csv").open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row["placement"] for row in csv.DictReader(handle)}


def test_cp1252_file_is_named_and_readable_with_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES, encoding="cp1252")
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    assert _run(tmp_path, prefs, caps) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "p.csv:2: the file is not valid utf-8 text" in err and "--encoding cp1252" in err
    assert "Traceback" not in err
    assert _run(tmp_path, prefs, caps, "--encoding", "cp1252") == EXIT_OK
    assert "Zoë" in _placed(tmp_path)


def test_utf16_file_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES, encoding="utf-16")
    caps = _write(tmp_path / "c.csv", CAPACITIES, encoding="utf-16")
    assert _run(tmp_path, prefs, caps) == EXIT_OK
    assert set(_placed(tmp_path)) == {"Zoë", "Daan"}


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_detected(tmp_path: Path, delimiter: str) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES, delimiter=delimiter)
    caps = _write(tmp_path / "c.csv", CAPACITIES, delimiter=delimiter)
    assert _run(tmp_path, prefs, caps) == EXIT_OK
    assert set(_placed(tmp_path).values()) == {"garage", "bakkerij"}


def test_unknown_separator_says_what_the_header_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES, delimiter=":")
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    assert _run(tmp_path, prefs, caps) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "missing column(s) student, placement, rank" in err
    assert "'student:placement:rank'" in err and "semicolon" in err


def test_duplicated_header_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefs = _write(
        tmp_path / "p.csv",
        [["student", "placement", "rank", "Rank"], ["Daan", "garage", "1", "2"]],
    )
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    assert _run(tmp_path, prefs, caps) == EXIT_BAD_INPUT
    assert "column 'rank' appears twice in the header (columns 3 and 4)" in capsys.readouterr().err


def test_capacity_beyond_64_bits_means_unlimited(tmp_path: Path) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES)
    caps = _write(
        tmp_path / "c.csv", [["placement", "capacity"], ["garage", str(10**30)], ["bakkerij", "0"]]
    )
    assert _run(tmp_path, prefs, caps) == EXIT_OK
    assert _placed(tmp_path) == {"Zoë": "garage", "Daan": "garage"}


def test_bad_cells_name_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    cases = [
        ([["student", "placement", "rank"], ["Daan", "garage", ""]], "p.csv:2: rank is empty"),
        (
            [["student", "placement", "rank"], ["", "", ""], ["Daan", "garage", "x"]],
            "p.csv:3: rank 'x' is not a valid integer",
        ),
        (
            [["student", "placement", "rank", "distance_km"], ["Daan", "garage", "1", "nan"]],
            "p.csv:2: distance_km 'nan' is not a finite number",
        ),
        (
            [["student", "placement", "rank"], ["Daan", "garage", "1", "extra"]],
            "p.csv:2: expected 3 fields, got 4",
        ),
        ([["student", "placement", "rank"], ["", "garage", "1"]], "p.csv:2: student is empty"),
    ]
    for rows, message in cases:
        prefs = _write(tmp_path / "p.csv", rows)
        assert _run(tmp_path, prefs, caps) == EXIT_BAD_INPUT, message
        err = capsys.readouterr().err
        assert message in err, err
        assert "Traceback" not in err


@pytest.mark.parametrize("limit", ["nan", "-5", "inf", "far"])
def test_distance_limit_must_be_a_finite_non_negative_number(
    tmp_path: Path, limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES)
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    with pytest.raises(SystemExit) as exit_info:
        _run(tmp_path, prefs, caps, "--max-distance-km", limit)
    assert exit_info.value.code == EXIT_BAD_INPUT
    assert "--max-distance-km" in capsys.readouterr().err
    assert not (tmp_path / "out" / "m.csv").exists()


def test_missing_output_folder_fails_before_matching_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefs = _write(tmp_path / "p.csv", PREFERENCES)
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    out = tmp_path / "m.csv"
    cert = tmp_path / "missing" / "c.json"
    code = main([str(prefs), str(caps), "-q", "-o", str(out), "-c", str(cert)])
    assert code == EXIT_OUTPUT
    assert "the folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [prefs, caps] or sorted(tmp_path.iterdir()) == sorted(
        [prefs, caps]
    )


def test_missing_input_file_is_bad_input(tmp_path: Path) -> None:
    caps = _write(tmp_path / "c.csv", CAPACITIES)
    assert _run(tmp_path, tmp_path / "nope.csv", caps) == EXIT_BAD_INPUT


def test_blanks_around_numbers_and_labels_are_ignored(tmp_path: Path) -> None:
    prefs = _write(
        tmp_path / "p.csv",
        [["student", "placement", "rank"], [" Daan ", " garage", " 1 "], ["Zoë", "bakkerij ", "2"]],
    )
    caps = _write(
        tmp_path / "c.csv", [["placement", "capacity"], ["garage", " 1"], ["bakkerij", "1 "]]
    )
    assert _run(tmp_path, prefs, caps) == EXIT_OK
    assert _placed(tmp_path) == {"Daan": "garage", "Zoë": "bakkerij"}
