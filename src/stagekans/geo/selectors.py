from __future__ import annotations

from stagekans.core.identifiers import normalise_postcode
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import Place, find_place


def point_for(query: str) -> tuple[float, float] | None:
    """Coordinates for a postcode (PC4 or full) or a place name; None when unknown."""
    text = query.strip()
    compact = normalise_postcode(text).replace(" ", "")
    if len(compact) >= 4 and compact[:4].isdigit():
        area = PostcodeArea.objects.filter(pc4=compact[:4]).first()
        return (area.latitude, area.longitude) if area else None
    place: Place | None = find_place(text)
    return (place.latitude, place.longitude) if place else None


def place_of_postcode(postcode: str) -> str | None:
    """The place a postcode's PC4 area lies in; None when unknown."""
    compact = normalise_postcode(postcode).replace(" ", "")
    area = PostcodeArea.objects.filter(pc4=compact[:4]).only("place").first()
    return area.place if area else None
