from __future__ import annotations

from stagekans.core.identifiers import normalise_postcode
from stagekans.core.reference_cache import ReferenceCache
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import Place, find_place


def _pc4_points() -> dict[str, tuple[float, float]]:
    return {
        pc4: (latitude, longitude)
        for pc4, latitude, longitude in PostcodeArea.objects.values_list(
            "pc4", "latitude", "longitude"
        )
    }


# Searches by postcode look up a PC4 area on every request; a few thousand rows, rarely changed.
_PC4_POINTS = ReferenceCache(_pc4_points, invalidated_by=[PostcodeArea])


def point_for(query: str) -> tuple[float, float] | None:
    """Coordinates for a postcode (PC4 or full) or a place name; None when unknown."""
    text = query.strip()
    compact = normalise_postcode(text).replace(" ", "")
    if len(compact) >= 4 and compact[:4].isdigit():
        return _PC4_POINTS.get().get(compact[:4])
    place: Place | None = find_place(text)
    return (place.latitude, place.longitude) if place else None
