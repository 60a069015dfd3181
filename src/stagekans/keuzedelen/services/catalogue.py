"""The keuzedeel catalogue and the offerings of host schools."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import School
from stagekans.geo.places import find_place
from stagekans.keuzedelen.models import CooperationAgreement, Keuzedeel, Offering, validate_k_code


def create_keuzedeel(
    *, acting_user: Any, code: str, title: str, study_load_hours: int, niveau: int
) -> Keuzedeel:
    keuzedeel = Keuzedeel(
        code=code.strip().upper(),
        title=title.strip(),
        study_load_hours=study_load_hours,
        niveau=niveau,
    )
    validate_k_code(keuzedeel.code)
    keuzedeel.full_clean()
    with transaction.atomic():
        keuzedeel.save()
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_CREATED,
            obj=keuzedeel,
            details={"code": keuzedeel.code},
        )
    return keuzedeel


def create_offering(
    *,
    acting_user: Any,
    keuzedeel: Keuzedeel,
    agreement: CooperationAgreement,
    location_name: str,
    place: str,
    weekdays: int,
    start_date: dt.date,
    end_date: dt.date,
    places: int,
    min_niveau: int = 1,
    entry_conditions: str = "",
) -> Offering:
    """An offering is always taught by the agreement's host, in a known Dutch place."""
    host: School = agreement.host
    found = find_place(place)
    errors: dict[str, list[str]] = {}
    if found is None:
        errors["place"] = [_("Plaats '%(place)s' is niet bekend.") % {"place": place}]
    if end_date < start_date:
        errors["end_date"] = [_("De einddatum ligt voor de begindatum.")]
    if not 1 <= weekdays <= 31:
        errors["weekdays"] = [_("Kies minstens één lesdag van maandag tot en met vrijdag.")]
    if errors:
        raise ValidationError(errors)
    assert found is not None
    offering = Offering(
        keuzedeel=keuzedeel,
        host=host,
        agreement=agreement,
        location_name=location_name,
        place=found.name,
        latitude=found.latitude,
        longitude=found.longitude,
        weekdays=weekdays,
        start_date=start_date,
        end_date=end_date,
        places=places,
        min_niveau=min_niveau,
        entry_conditions=entry_conditions,
    )
    offering.full_clean()
    with transaction.atomic():
        offering.save()
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_OFFERING_CREATED,
            obj=offering,
            details={"keuzedeel": keuzedeel.code, "host": host.pk, "agreement": agreement.pk},
        )
    return offering
