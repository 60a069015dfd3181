"""Reading CSV tables as columns: encoding, delimiter and header checks, vectorised cell parsing.

A national round's preference file has five million rows, so cells are parsed by Arrow's
multithreaded CSV reader and converted per column, never per row in Python. What makes the reader
strict is done up front on the header (delimiter detection, duplicate and missing columns) and,
only when a cell is bad, by locating its line: a slow scan that runs once, on the error path.

Every problem is an :class:`InputError` whose message names the file, the line and the column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from stagekans.matching.engine._types import INT64_MAX, BoolArray, FloatArray, IntArray
from stagekans.matching.engine.errors import InputError

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_TRUE = ("1", "true", "yes", "y", "ja", "j", "")
_FALSE = ("0", "false", "no", "n", "nee")
_INTEGER = r"^[+-]?[0-9]+$"


class EncodingProblem(InputError):
    """The file is not in the expected text encoding."""


@dataclass
class Table:
    """String columns of one CSV file (cells trimmed), with lazy row -> line numbers."""

    path: Path
    columns: dict[str, pa.Array]
    n_rows: int
    _text: str | None = field(default=None, repr=False)
    _delimiter: str = ","
    _lines: list[int] | None = field(default=None, repr=False)

    def has(self, column: str) -> bool:
        return column in self.columns

    def column(self, name: str) -> pa.Array:
        return self.columns[name]

    def line(self, row: int) -> int:
        """1-based line of data row ``row``: found by a Python scan, only for error messages."""
        if self._lines is None:
            text = self._text if self._text is not None else _decode(self.path, None)[0]
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=self._delimiter)
            next(reader, None)
            self._lines = []
            for cells in reader:
                if cells and any(cell.strip() for cell in cells):
                    self._lines.append(reader.line_num)
        return self._lines[row] if row < len(self._lines) else row + 2

    def where(self, row: int, column: str) -> str:
        return f"{self.path}:{self.line(row)}: {column}"

    def text(self, row: int, column: str) -> str:
        return str(self.columns[column][row].as_py()).strip()


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _decode(path: Path, encoding: str | None) -> tuple[str, str]:
    raw = path.read_bytes()
    chosen = encoding or _detect_encoding(raw[:4])
    try:
        return raw.decode(chosen), chosen
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = (
            "save it as UTF-8 (Excel: 'CSV UTF-8'), or pass --encoding cp1252 for a file "
            "saved by older Excel versions"
            if encoding is None
            else "check the --encoding option"
        )
        raise EncodingProblem(
            f"{path}:{line}: the file is not valid {chosen} text "
            f"(byte {raw[exc.start : exc.start + 1]!r} at offset {exc.start}); {hint}"
        ) from None
    except LookupError:
        raise EncodingProblem(f"unknown encoding {encoding!r}") from None


def _header(path: Path, first_line: str, required: Sequence[str]) -> tuple[str, list[str]]:
    """Pick the delimiter that yields every required column; check for duplicate names."""
    candidates = []
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter))
        names = [name.strip().lower() for name in cells]
        candidates.append((sum(name in names for name in required), len(names), delimiter, names))
    found, _, delimiter, names = max(candidates, key=lambda c: (c[0], c[1]))
    if found < len(required):
        missing = [name for name in required if name not in names]
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; the header reads "
            f"{first_line.strip()[:120]!r} (comma-, semicolon-, tab- and pipe-separated files "
            "are recognised)"
        )
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name and name in seen:
            raise InputError(
                f"{path}:1: column {name!r} appears twice in the header (columns "
                f"{seen[name]} and {position}); remove or rename one"
            )
        seen[name] = position
    return delimiter, names


def _trim(array: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(array)


def read_table(
    path: Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    encoding: str | None = None,
    numeric: Sequence[str] = (),
) -> Table:
    """Read the ``required`` and present ``optional`` columns of a CSV file as trimmed strings."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    detected = encoding or _detect_encoding(head[:4])
    text: str | None = None
    if detected in ("utf-8", "utf-8-sig"):
        try:
            first = head.decode(detected, errors="strict").splitlines()[0] if head else ""
        except UnicodeDecodeError:
            # The 64 KiB window may cut a character in two; decode the header line only.
            first = head.split(b"\n", 1)[0].decode(detected, errors="strict")
        except IndexError:
            first = ""
    else:
        text, _ = _decode(path, detected)
        first = text.splitlines()[0] if text else ""
    if not first.strip():
        raise InputError(f"{path}: the file is empty, expected a header row")
    delimiter, names = _header(path, first, required)
    wanted = [name for name in (*required, *optional) if name in names]
    # Arrow needs unique, non-empty column names; the reader keeps its own positions.
    arrow_names = [f"c{i}" for i in range(len(names))]
    source: str | Path | pa.BufferReader
    source = str(path) if text is None else pa.BufferReader(text.encode("utf-8"))
    try:
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=arrow_names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in arrow_names},
                include_columns=[arrow_names[names.index(name)] for name in wanted],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "UTF8" in message or "utf8" in message.lower():
            _decode(path, encoding)  # raises EncodingProblem with the line
        expected = re.search(r"Expected (\d+) columns, got (\d+)", message)
        if expected:
            line = _first_ragged_line(path, text, delimiter, len(names))
            raise InputError(
                f"{path}:{line}: expected {expected.group(1)} fields, got {expected.group(2)}"
            ) from None
        raise InputError(f"{path}: unreadable CSV: {message.splitlines()[0]}") from None
    # Label and flag columns are trimmed here; numeric columns only when their fast conversion
    # fails (Arrow's casts refuse surrounding blanks), which saves a pass over millions of cells.
    columns = {
        name: _trim(table.column(arrow_names[names.index(name)]).combine_chunks())
        if name not in numeric
        else table.column(arrow_names[names.index(name)]).combine_chunks()
        for name in wanted
    }
    n_rows = table.num_rows
    if columns and n_rows:
        blank = None
        for name, array in columns.items():
            empty = pc.equal(pc.utf8_length(_trim(array) if name in numeric else array), 0)
            blank = empty if blank is None else pc.and_(blank, empty)
        if blank is not None and pc.any(blank).as_py():
            keep = pc.invert(blank)
            columns = {name: pc.filter(array, keep) for name, array in columns.items()}
            n_rows = len(next(iter(columns.values())))
    return Table(path, columns, n_rows, text, delimiter)


def _first_ragged_line(path: Path, text: str | None, delimiter: str, width: int) -> int:
    text = text if text is not None else _decode(path, None)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for cells in reader:
        if cells and any(c.strip() for c in cells) and len(cells) != width:
            return reader.line_num
    return 0


def integers(
    table: Table,
    column: str,
    *,
    rows: IntArray | None = None,
    saturate: bool = False,
) -> IntArray:
    """Parse an integer column (only ``rows`` if given, others 0).

    ``saturate`` turns integers beyond 64 bits into ``INT64_MAX`` (a capacity of 10**30 means
    "unlimited"); otherwise they are an error.
    """
    array = table.column(column)
    selected = array if rows is None else array.take(pa.array(rows))
    out = np.zeros(table.n_rows, dtype=np.int64)
    try:
        parsed = np.asarray(pc.cast(selected, pa.int64()), dtype=np.int64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        selected = _trim(selected)
        try:
            parsed = np.asarray(pc.cast(selected, pa.int64()), dtype=np.int64)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            parsed = _integers_slowly(table, column, selected, rows, saturate=saturate)
    if rows is None:
        return parsed
    out[rows] = parsed
    return out


def _integers_slowly(
    table: Table, column: str, selected: pa.Array, rows: IntArray | None, *, saturate: bool
) -> IntArray:
    well_formed = np.asarray(pc.match_substring_regex(selected, _INTEGER), dtype=np.bool_)
    if not well_formed.all():
        bad = int(np.flatnonzero(~well_formed)[0])
        row = bad if rows is None else int(rows[bad])
        text = table.text(row, column)
        what = "is empty" if text == "" else f"{text!r} is not a valid integer"
        raise InputError(f"{table.where(row, column)} {what}")
    # Well formed but too large for 64 bits.
    values = []
    for i, text in enumerate(selected.to_pylist()):
        number = int(text)
        if number > INT64_MAX or number < -INT64_MAX - 1:
            if not saturate or number < 0:
                row = i if rows is None else int(rows[i])
                raise InputError(
                    f"{table.where(row, column)} {text} does not fit in a 64-bit integer"
                )
            number = INT64_MAX
        values.append(number)
    return np.asarray(values, dtype=np.int64)


def numbers(table: Table, column: str, *, rows: IntArray | None = None) -> FloatArray:
    """Parse a column of finite decimal numbers (only ``rows`` if given, others 0.0)."""
    array = table.column(column)
    selected = array if rows is None else array.take(pa.array(rows))
    try:
        parsed = np.asarray(pc.cast(_trim(selected), pa.float64()), dtype=np.float64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        parsed = np.full(len(selected), np.nan)
        for i, text in enumerate(selected.to_pylist()):
            try:
                parsed[i] = float(text)
            except ValueError:
                row = i if rows is None else int(rows[i])
                what = "is empty" if text == "" else f"{text!r} is not a valid number"
                raise InputError(f"{table.where(row, column)} {what}") from None
    bad = ~np.isfinite(parsed)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        row = i if rows is None else int(rows[i])
        raise InputError(
            f"{table.where(row, column)} {table.text(row, column)!r} is not a finite number"
        )
    if rows is None:
        return parsed
    out = np.zeros(table.n_rows, dtype=np.float64)
    out[rows] = parsed
    return out


def flags(table: Table, column: str) -> BoolArray:
    """yes/no column (1/0, true/false, ja/nee; empty means yes)."""
    lowered = pc.utf8_lower(table.column(column))
    yes = np.asarray(pc.is_in(lowered, value_set=pa.array(_TRUE)), dtype=np.bool_)
    no = np.asarray(pc.is_in(lowered, value_set=pa.array(_FALSE)), dtype=np.bool_)
    bad = ~(yes | no)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"{table.where(row, column)} {table.text(row, column)!r} is not yes/no")
    return yes
