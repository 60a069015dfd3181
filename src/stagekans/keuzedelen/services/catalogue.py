"""The keuzedeel catalogue and the offerings of host schools.

An offering is always taught by its agreement's host and only the host's coordinators create,
change or close it. Once students asked for it or are placed, its lesson day(s) and period are
fixed: the stored checks of those requests rest on them (close it and offer it again instead).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import School
from stagekans.geo.places import find_place
from stagekans.keuzedelen.models import (
    CooperationAgreement,
    EnrolmentRequest,
    Keuzedeel,
    Offering,
    validate_k_code,
)
from stagekans.keuzedelen.selectors import current_version
from stagekans.keuzedelen.services.agreements import staff_school
from stagekans.keuzedelen.workflow import HOLDS_PLACE, OPEN_ENROLMENT, VersionStatus

WORKDAYS = 31  # Monday to Friday as a weekday bitmask


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


def _require_host(acting_user: Any, agreement: CooperationAgreement) -> School:
    school = staff_school(acting_user)
    if (
        school is None
        or school.pk != agreement.host_id
        or not acting_user.has_perm("keuzedelen.manage_cooperation_agreement")
    ):
        raise PermissionDenied
    return school


def _validate_offering(
    *,
    place: str,
    weekdays: int,
    start_date: dt.date,
    end_date: dt.date,
    places: int,
    min_niveau: int,
    location_name: str,
) -> Any:
    """Dutch errors per field; returns the known place."""
    errors: dict[str, list[str]] = {}
    found = find_place(place)
    if found is None:
        errors["place"] = [
            _("Plaats '%(place)s' is niet bekend. Controleer de spelling.") % {"place": place}
        ]
    if not location_name.strip():
        errors["location_name"] = [_("Geef de locatie, bijvoorbeeld het gebouw of de campus.")]
    if end_date <= start_date:
        errors["end_date"] = [_("De einddatum moet na de begindatum liggen.")]
    if weekdays < 1 or weekdays & ~WORKDAYS:
        errors["weekdays"] = [_("Kies minstens één lesdag van maandag tot en met vrijdag.")]
    elif end_date > start_date and not any(
        weekdays & (1 << (start_date + dt.timedelta(days=n)).weekday())
        for n in range(min(7, (end_date - start_date).days + 1))
    ):
        errors["weekdays"] = [_("In deze periode valt geen enkele les op de gekozen lesdag.")]
    if places < 1:
        errors["places"] = [_("Een aanbod heeft minstens één plaats.")]
    elif places > 500:
        errors["places"] = [_("Een aanbod heeft hoogstens 500 plaatsen.")]
    if not 1 <= min_niveau <= 4:
        errors["min_niveau"] = [_("Kies een niveau van 1 tot en met 4.")]
    if errors:
        raise ValidationError(errors)
    return found


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
    """The host's coordinator offers a keuzedeel under an agreement that is signed or being
    signed, in a known Dutch place."""
    host = _require_host(acting_user, agreement)
    version = current_version(agreement)
    if version is None or version.status not in (VersionStatus.SIGNING, VersionStatus.ACTIVE):
        raise ValidationError(
            _("Deze overeenkomst heeft geen versie die geldt of ter ondertekening ligt.")
        )
    found = _validate_offering(
        place=place,
        weekdays=weekdays,
        start_date=start_date,
        end_date=end_date,
        places=places,
        min_niveau=min_niveau,
        location_name=location_name,
    )
    if end_date < timezone.localdate():
        raise ValidationError({"end_date": [_("De einddatum ligt in het verleden.")]})
    offering = Offering(
        keuzedeel=keuzedeel,
        host=host,
        agreement=agreement,
        location_name=location_name.strip(),
        place=found.name,
        latitude=found.latitude,
        longitude=found.longitude,
        weekdays=weekdays,
        start_date=start_date,
        end_date=end_date,
        places=places,
        min_niveau=min_niveau,
        entry_conditions=entry_conditions.strip(),
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


def update_offering(
    *,
    acting_user: Any,
    offering: Offering,
    location_name: str,
    place: str,
    weekdays: int,
    start_date: dt.date,
    end_date: dt.date,
    places: int,
    min_niveau: int,
    entry_conditions: str = "",
) -> Offering:
    """The host changes its offering. With requests running, the lesson day(s) and period stay
    as they are and the places never drop below the students placed."""
    _require_host(acting_user, offering.agreement)
    found = _validate_offering(
        place=place,
        weekdays=weekdays,
        start_date=start_date,
        end_date=end_date,
        places=places,
        min_niveau=min_niveau,
        location_name=location_name,
    )
    with transaction.atomic():
        locked = Offering.objects.select_for_update().get(pk=offering.pk)
        requests = EnrolmentRequest.objects.filter(offering=locked)
        running = requests.filter(status__in=list(OPEN_ENROLMENT | HOLDS_PLACE)).count()
        taken = requests.filter(status__in=list(HOLDS_PLACE)).count()
        errors: dict[str, list[str]] = {}
        if running and (
            weekdays != locked.weekdays
            or start_date != locked.start_date
            or end_date != locked.end_date
        ):
            errors["weekdays"] = [
                _(
                    "Er lopen al %(n)s aanvragen of plaatsingen: lesdag en periode liggen vast. "
                    "Sluit dit aanbod en bied het opnieuw aan als ze echt moeten veranderen."
                )
                % {"n": running}
            ]
        if places < taken:
            errors["places"] = [
                _("Er zijn al %(n)s studenten geplaatst; minder plaatsen kan niet.") % {"n": taken}
            ]
        if errors:
            raise ValidationError(errors)
        changed = {}
        new_values = {
            "location_name": location_name.strip(),
            "place": found.name,
            "latitude": found.latitude,
            "longitude": found.longitude,
            "weekdays": weekdays,
            "start_date": start_date,
            "end_date": end_date,
            "places": places,
            "min_niveau": min_niveau,
            "entry_conditions": entry_conditions.strip(),
        }
        for name, value in new_values.items():
            old = getattr(locked, name)
            if old != value:
                if name not in ("latitude", "longitude"):
                    changed[name] = [str(old), str(value)]
                setattr(locked, name, value)
        if not changed:
            return locked
        locked.full_clean()
        locked.save(update_fields=list(new_values))
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_OFFERING_CHANGED,
            obj=locked,
            details={"changed": changed},
        )
        return locked


def close_offering(*, acting_user: Any, offering: Offering, reason: str) -> Offering:
    """The host closes its offering to new requests. Running requests and placements stay."""
    _require_host(acting_user, offering.agreement)
    if not reason.strip():
        raise ValidationError({"reason": [_("Geef een reden; de partners lezen die mee.")]})
    with transaction.atomic():
        locked = Offering.objects.select_for_update().get(pk=offering.pk)
        if not locked.published:
            raise ValidationError(_("Dit aanbod is al gesloten."))
        locked.published = False
        locked.closed_at, locked.closed_reason = timezone.now(), reason.strip()
        locked.save(update_fields=["published", "closed_at", "closed_reason"])
        record(
            actor=acting_user,
            event=AuditEvent.KEUZEDEEL_OFFERING_CLOSED,
            obj=locked,
            details={"reason": reason.strip()},
        )
        return locked
