"""Turning a postcode and place into coordinates, without any network call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.core.identifiers import normalise_postcode
from stagekans.geo.models import PostcodeArea
from stagekans.geo.pc4 import Pc4Row
from stagekans.geo.places import find_place


@dataclass(frozen=True)
class Located:
    postcode: str
    place: str
    province: str
    latitude: float
    longitude: float


def locate(*, postcode: str, place: str) -> Located:
    """Coordinates for an address: the PC4 area's centre when known, else the place's centre.

    The PC4 table holds every PC4 in use (built in, or loaded from the official file), so an
    unknown PC4 is not remembered: that would tie a code to whatever place was typed with it.
    """
    postcode = normalise_postcode(postcode)
    area = PostcodeArea.objects.filter(pc4=postcode[:4]).first()
    if area is not None:
        return Located(postcode, area.place, area.province, area.latitude, area.longitude)
    found = find_place(place)
    if found is None:
        raise ValidationError(
            {
                "place": _(
                    "Plaats '%(place)s' is niet bekend, en postcode %(postcode)s ook niet. "
                    "Controleer de postcode of kies een Nederlandse plaats."
                )
                % {"postcode": postcode, "place": place}
            }
        )
    return Located(postcode, found.name, found.province, found.latitude, found.longitude)


@transaction.atomic
def load_postcode_areas(*, acting_user: object, rows: Sequence[Pc4Row], replace: bool) -> int:
    """Write PC4 areas: add new codes and update known ones; `replace` also drops codes missing
    from `rows` (for loading a complete official file). Returns how many were written."""
    from stagekans.audit.models import AuditEvent
    from stagekans.audit.services import record

    codes = [row.pc4 for row in rows]
    existing = set(PostcodeArea.objects.filter(pc4__in=codes).values_list("pc4", flat=True))
    objects = [
        PostcodeArea(
            pc4=row.pc4,
            place=row.place,
            province=row.province,
            latitude=row.latitude,
            longitude=row.longitude,
        )
        for row in rows
    ]
    PostcodeArea.objects.bulk_create([o for o in objects if o.pc4 not in existing], batch_size=1000)
    PostcodeArea.objects.bulk_update(
        [o for o in objects if o.pc4 in existing],
        ["place", "province", "latitude", "longitude"],
        batch_size=1000,
    )
    removed = 0
    if replace:
        removed, _detail = PostcodeArea.objects.exclude(pc4__in=codes).delete()
    record(
        actor=acting_user,
        event=AuditEvent.POSTCODE_AREAS_LOADED,
        obj=objects[0] if objects else PostcodeArea(pc4="-"),
        details={"written": len(objects), "removed": removed},
    )
    return len(objects)
