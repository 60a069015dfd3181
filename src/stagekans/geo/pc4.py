"""The built-in table of Dutch PC4 areas (`data/pc4.csv`) and the importer for an official file.

`data/pc4.csv` holds every PC4 in use with its place (woonplaats), province and the place's
centre; how it is built and where it comes from: `data/README.md`. The official PC4 file of
CBS or PostNL can replace it with `manage.py load_postcode_areas FILE.csv`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from stagekans.geo.places import Province

BUILTIN_FILE = Path(__file__).resolve().parent / "data" / "pc4.csv"
_PC4 = re.compile(r"[1-9][0-9]{3}")
# The Netherlands (European part) with a margin: a coordinate outside is a swapped or wrong one.
_LAT_RANGE, _LON_RANGE = (50.6, 53.7), (3.2, 7.3)
_PROVINCE_NAMES = {
    **{p.value.casefold(): p.value for p in Province},
    **{p.label.casefold(): p.value for p in Province},
    "fryslân": Province.FRIESLAND.value,
    "fryslan": Province.FRIESLAND.value,
}


@dataclass(frozen=True)
class Pc4Row:
    pc4: str
    place: str
    province: str
    latitude: float
    longitude: float


class Pc4FileError(ValueError):
    """A PC4 file that cannot be loaded; `errors` names each bad line and column."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _number(text: str) -> float:
    return float(text.strip().replace(",", "."))


def parse_pc4_file(text: str) -> list[Pc4Row]:
    """Parse and validate a PC4 CSV (comma or semicolon separated).

    Columns (header names, case-insensitive): `pc4` (or `postcode`), `place` (or `woonplaats`),
    `province` (or `provincie`; code or name), `latitude`/`longitude` (or `lat`/`lon`). All or
    nothing: any bad row raises Pc4FileError listing every problem with its line number.
    """
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    aliases = {
        "pc4": ("pc4", "postcode"),
        "place": ("place", "woonplaats", "plaats"),
        "province": ("province", "provincie"),
        "latitude": ("latitude", "lat", "breedtegraad"),
        "longitude": ("longitude", "lon", "lng", "lengtegraad"),
    }
    header = {(h or "").strip().casefold(): h for h in reader.fieldnames or []}
    columns: dict[str, str] = {}
    errors: list[str] = []
    for column, names in aliases.items():
        found = next((header[n] for n in names if n in header), None)
        if found is None:
            errors.append(
                _("Kopregel: kolom '%(column)s' ontbreekt (ook goed: %(names)s).")
                % {"column": column, "names": ", ".join(names[1:]) or "-"}
            )
        else:
            columns[column] = found
    if errors:
        raise Pc4FileError(errors)
    rows: list[Pc4Row] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        value = {c: (raw.get(name) or "").strip() for c, name in columns.items()}
        pc4 = value["pc4"].replace(" ", "")[:4]
        problems = []
        if not _PC4.fullmatch(pc4):
            problems.append(_("pc4 '%(v)s' is geen viercijferige postcode") % {"v": value["pc4"]})
        elif pc4 in seen:
            problems.append(_("pc4 %(v)s staat ook op regel %(n)s") % {"v": pc4, "n": seen[pc4]})
        if not value["place"]:
            problems.append(_("plaats ontbreekt"))
        province = _PROVINCE_NAMES.get(value["province"].casefold())
        if province is None:
            problems.append(_("onbekende provincie '%(v)s'") % {"v": value["province"]})
        try:
            lat, lon = _number(value["latitude"]), _number(value["longitude"])
        except ValueError:
            problems.append(_("breedte- of lengtegraad is geen getal"))
        else:
            if not (
                _LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]
            ):
                problems.append(
                    _("coördinaat %(lat)s, %(lon)s ligt niet in Nederland")
                    % {"lat": lat, "lon": lon}
                )
        if problems:
            errors.append(
                _("Regel %(line)s: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        seen[pc4] = line
        rows.append(Pc4Row(pc4, value["place"], str(province), lat, lon))
    if errors:
        raise Pc4FileError(errors)
    if not rows:
        raise Pc4FileError([_("Het bestand bevat geen postcodegebieden.")])
    return rows


@cache
def builtin_rows() -> tuple[Pc4Row, ...]:
    return tuple(parse_pc4_file(BUILTIN_FILE.read_text(encoding="utf-8")))


def pc4_by_place() -> dict[str, list[str]]:
    """Every place of the built-in table with its PC4 codes, in order."""
    result: dict[str, list[str]] = {}
    for row in builtin_rows():
        result.setdefault(row.place, []).append(row.pc4)
    return result


def pc4_ranges(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Consecutive PC4 codes folded into ranges.

    3511, 3512, 3513, 3521 → (3511, 3513), (3521, 3521).
    """
    numbers = sorted(int(c) for c in codes)
    ranges: list[tuple[str, str]] = []
    for number in numbers:
        if ranges and int(ranges[-1][1]) == number - 1:
            ranges[-1] = (ranges[-1][0], f"{number:04d}")
        else:
            ranges.append((f"{number:04d}", f"{number:04d}"))
    return ranges
