"""Typical searches on the national data set: a crebo, a place or a PC4 postcode, 20 km and
one inclusivity feature (as bench/search.py). Deterministic per seed."""

from __future__ import annotations

import random
import urllib.parse

CREBOS = ["25655", "25651", "25480", "25604", "25138", "25169", "25254", "25464", "25178"]
FEATURES = ["begeleiding", "toegankelijk", "parttime", "prikkelarm"]


def search_paths(n: int, *, seed: int, pc4s: list[str] | None = None) -> list[str]:
    """Query strings (without '?') for n searches."""
    from stagekans.geo.places import dutch_places

    places = list(dutch_places())
    weights = [p.population for p in places]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if pc4s and rng.random() < 0.5:
            where = f"{rng.choice(pc4s)} AB"
        else:
            where = rng.choices(places, weights=weights, k=1)[0].name
        params = {
            "q": rng.choice(CREBOS),
            "waar": where,
            "straal": "20",
            "kenmerken": rng.choice(FEATURES),
        }
        out.append(urllib.parse.urlencode(params))
    return out
