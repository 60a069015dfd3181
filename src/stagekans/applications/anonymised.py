"""The anonymised view of a candidate that a company sees before it invites them.

One shape for an application on the Stagemarkt and for a candidate in a school-led matching
round, so both show exactly the same: the qualification, level and leerweg, competences,
motivation, availability and the travel distance, under an opaque reference. Never a name,
photo, date of birth or age, gender, address or postcode, school e-mail, student number or
anything else that reveals who the student is or where they come from. The texts the student
wrote are checked for their own name, e-mail and phone number when they are written
(core.anonymity); this module only decides which fields leave.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from stagekans.education.models import Student
from stagekans.geo.places import haversine_km


@dataclass(frozen=True)
class AnonymisedProfile:
    reference: str
    qualification: str
    niveau: int
    leerweg: str
    competences: str
    motivation: str
    availability: str
    distance_km: float | None


def candidate_reference(*, scope: str, student_id: int) -> str:
    """An opaque reference, stable within one scope (an application, a round × company) and
    unlinkable across scopes: a keyed hash, never the student's id."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"{scope}:{student_id}".encode(), hashlib.sha256).hexdigest()
    return "K-" + digest[:6].upper()


def anonymised_profile(
    *,
    student: Student,
    scope: str,
    competences: str = "",
    motivation: str = "",
    availability: str = "",
    place_latitude: float | None = None,
    place_longitude: float | None = None,
    distance_km: float | None = None,
) -> AnonymisedProfile:
    if distance_km is None and place_latitude is not None and place_longitude is not None:
        distance_km = haversine_km(
            student.latitude, student.longitude, place_latitude, place_longitude
        )
    qualification = student.programme.qualification
    return AnonymisedProfile(
        reference=candidate_reference(scope=scope, student_id=student.pk),
        qualification=qualification.title,
        niveau=qualification.niveau,
        leerweg=student.programme.leerweg,
        competences=competences,
        motivation=motivation,
        availability=availability,
        distance_km=None if distance_km is None else round(distance_km, 1),
    )
