"""Turning a postcode and place into coordinates, without any network call."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stagekans.core.identifiers import normalise_postcode
from stagekans.geo.models import PostcodeArea
from stagekans.geo.places import find_place


@dataclass(frozen=True)
class Located:
    postcode: str
    place: str
    province: str
    latitude: float
    longitude: float


def locate(*, postcode: str, place: str) -> Located:
    """Coordinates for an address: the PC4 centroid when known, else the place's centre.

    A PC4 area seen for the first time is remembered with the place's coordinates so that later
    'postcode + radius' searches can start from it.
    """
    postcode = normalise_postcode(postcode)
    area = PostcodeArea.objects.filter(pc4=postcode[:4]).first()
    if area is not None:
        return Located(postcode, area.place, area.province, area.latitude, area.longitude)
    found = find_place(place)
    if found is None:
        raise ValidationError(
            {
                "place": _("Plaats '%(place)s' is niet bekend. Kies een Nederlandse plaats.")
                % {"place": place}
            }
        )
    PostcodeArea.objects.get_or_create(
        pc4=postcode[:4],
        defaults={
            "place": found.name,
            "province": found.province,
            "latitude": found.latitude,
            "longitude": found.longitude,
        },
    )
    return Located(postcode, found.name, found.province, found.latitude, found.longitude)
