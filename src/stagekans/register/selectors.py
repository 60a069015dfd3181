"""Reads for the recognition register."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField, Min, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from stagekans.companies.models import Company
from stagekans.education.models import Qualification
from stagekans.register.models import (
    Recognition,
    RecognitionConditions,
    RecognitionStatusChange,
    RevocationRequest,
    RevocationState,
)
from stagekans.register.workflow import RecognitionStatus


def valid_recognitions(on: Any = None) -> QuerySet[Recognition]:
    """Recognitions that are in force on a day (today by default)."""
    day = on or timezone.localdate()
    return Recognition.objects.filter(
        status=RecognitionStatus.RECOGNISED, valid_from__lte=day
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))


def valid_recognition_exists_sql(
    *, company_column: str, qualification_column: str, on: dt.date | None = None
) -> tuple[str, list[Any]]:
    """`valid_recognitions(on)` as an SQL EXISTS over the given outer columns, for hand-written
    hot-path queries (the stagemarkt search). Same rule as the queryset above; a test in
    stagemarkt compares the search built on it with the ORM version on random data."""
    day = on or timezone.localdate()
    meta = Recognition._meta
    names = ("company", "qualification", "status", "valid_from", "valid_until")
    column = {name: str(getattr(meta.get_field(name), "column", "")) for name in names}
    # Only model metadata and the caller's column names go into the text; values are params.
    sql = (
        f"EXISTS (SELECT 1 FROM {meta.db_table} r"  # noqa: S608
        f" WHERE r.{column['company']} = {company_column}"
        f" AND r.{column['qualification']} = {qualification_column}"
        f" AND r.{column['status']} = %s AND r.{column['valid_from']} <= %s"
        f" AND (r.{column['valid_until']} IS NULL OR r.{column['valid_until']} > %s))"
    )
    return sql, [RecognitionStatus.RECOGNISED.value, day, day]


def is_validly_recognised(company: Company, qualification_id: int, on: Any = None) -> bool:
    return (
        valid_recognitions(on).filter(company=company, qualification_id=qualification_id).exists()
    )


# The staff list's order; (company name, company id) is served by an index on Company.
RECOGNITION_LIST_ORDER = ("company__name", "company_id", "qualification__title", "id")


def recognitions_visible_to(user: Any) -> QuerySet[Recognition]:
    qs = Recognition.objects.select_related("company", "qualification")
    if not user.is_authenticated or not user.has_perm("register.view_recognition"):
        return qs.none()
    if user.has_perm("companies.view_all_companies"):
        return qs
    if hasattr(user, "trainer"):
        return qs.filter(company_id=user.trainer.company_id)
    return qs.filter(status=RecognitionStatus.RECOGNISED)


def history(recognition: Recognition) -> QuerySet[RecognitionStatusChange]:
    return recognition.history.select_related("actor").order_by("at", "id")


def due_for_expiry(on: Any = None) -> QuerySet[Recognition]:
    day = on or timezone.localdate()
    return Recognition.objects.filter(status=RecognitionStatus.RECOGNISED, valid_until__lte=day)


def due_for_reassessment(within_days: int = 180, on: Any = None) -> QuerySet[Recognition]:
    """Recognised recognitions whose four-year period ends within `within_days` (SBB task list)."""
    day = on or timezone.localdate()
    return (
        Recognition.objects.filter(
            status=RecognitionStatus.RECOGNISED,
            valid_until__lte=day + dt.timedelta(days=within_days),
        )
        .select_related("company", "qualification")
        .order_by("valid_until", "company__name", "id")
    )


def pending_revocations() -> QuerySet[RevocationRequest]:
    return (
        RevocationRequest.objects.filter(state=RevocationState.PENDING)
        .select_related("recognition__company", "recognition__qualification", "requested_by")
        .order_by("requested_at", "id")
    )


def revocations_of(recognition: Recognition) -> QuerySet[RevocationRequest]:
    return recognition.revocation_requests.select_related("requested_by", "decided_by")


def conditions_of(recognition: Recognition) -> RecognitionConditions | None:
    return recognition.assessments.order_by("-assessed_at", "-id").first()


# --- the public register -------------------------------------------------------------------


def public_recognitions(on: Any = None) -> QuerySet[Recognition]:
    """What the public register shows: valid recognitions with consent to publication."""
    return valid_recognitions(on).filter(publication_consent=True)


def matching_qualifications(query: str) -> QuerySet[Qualification]:
    text = query.strip()
    if text.isdigit() and len(text) == 5:
        return Qualification.objects.filter(crebo=text)
    return Qualification.objects.filter(title__icontains=text)


def _distance_km(lat: float, lon: float, lat_field: str, lon_field: str) -> Any:
    """Haversine distance in km as a database expression (works on PostgreSQL and SQLite)."""
    lat0, lon0 = math.radians(lat), math.radians(lon)
    dlat = (Radians(F(lat_field)) - Value(lat0)) / 2
    dlon = (Radians(F(lon_field)) - Value(lon0)) / 2
    a = Power(Sin(dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F(lat_field))) * Power(
        Sin(dlon), 2
    )
    return ExpressionWrapper(Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(a)), output_field=FloatField())


EARTH_RADIUS_KM = 6371.0088


def search_register(
    *,
    qualifications: QuerySet[Qualification] | None = None,
    point: tuple[float, float] | None = None,
    radius_km: float = 20,
) -> QuerySet[Company]:
    """Companies in the public register, optionally for some qualifications and near a point.

    With a point, each company carries `distance` (km, its nearest location within the radius)
    and the result is sorted by it; the bounding box lets the database use the lat/lon index
    before the exact haversine distance is computed.
    """
    recognitions = public_recognitions()
    if qualifications is not None:
        recognitions = recognitions.filter(qualification__in=qualifications)
    companies = Company.objects.filter(pk__in=recognitions.values("company_id"))
    if point is None:
        return companies.order_by("name", "id")
    lat, lon = point
    dlat = radius_km / 111.2
    dlon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    return (
        companies.filter(
            locations__latitude__range=(lat - dlat, lat + dlat),
            locations__longitude__range=(lon - dlon, lon + dlon),
        )
        .annotate(
            distance=Min(_distance_km(lat, lon, "locations__latitude", "locations__longitude"))
        )
        .filter(distance__lte=radius_km)
        .order_by("distance", "name", "id")
    )


def public_company(pk: int) -> Company | None:
    return Company.objects.filter(pk=pk, pk__in=public_recognitions().values("company_id")).first()


def public_recognitions_of(company: Company) -> QuerySet[Recognition]:
    return (
        public_recognitions()
        .filter(company=company)
        .select_related("qualification")
        .order_by("qualification__title")
    )


def revocation_mail_recipients(recognition: Recognition) -> list[str]:
    """The addresses the company's revocation letter goes to (its trainers with an e-mail)."""
    return sorted(
        set(
            recognition.company.trainers.exclude(user__email="").values_list(
                "user__email", flat=True
            )
        )
    )
