"""Reads for the stagemarkt: the public search (built to stay fast at national volume) and the
trainer's own vacancies, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, FloatField, OuterRef, QuerySet, Value, Window
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from stagekans.companies.models import Company
from stagekans.companies.selectors import companies_visible_to
from stagekans.core.reference_cache import ReferenceCache
from stagekans.education.models import Qualification
from stagekans.register.selectors import valid_recognitions
from stagekans.stagemarkt.models import CompanyProfile, Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus

PAGE_SIZE = 20
# Counting every match of a broad search costs more than the search itself; beyond this many
# the API and page say "more than 1,000" and pagination stops there.
COUNT_CAP = 1000
MAX_PAGE = COUNT_CAP // PAGE_SIZE
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian (and the equator)
SORT_DISTANCE, SORT_START, SORT_NEWEST = "afstand", "start", "nieuw"


@dataclass(frozen=True)
class SearchCriteria:
    qualification_ids: tuple[int, ...] | None = None
    niveau: int | None = None
    leerweg: str = ""
    point: tuple[float, float] | None = None
    radius_km: float = 20.0
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    sector: str = ""
    features: int = 0
    # "" = nearest first with a point, else newest first
    sort: str = ""


@dataclass
class SearchPage:
    results: list[Vacancy]
    count: int
    count_capped: bool
    number: int
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.number * self.page_size < self.count and self.number < MAX_PAGE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def num_pages(self) -> int:
        return max(1, min(MAX_PAGE, math.ceil(self.count / self.page_size)))


def public_vacancies(on: dt.date | None = None) -> QuerySet[Vacancy]:
    """Published, not yet ended vacancies whose company is validly recognised for the crebo."""
    day = on or timezone.localdate()
    recognised = valid_recognitions(day).filter(
        company_id=OuterRef("company_id"), qualification_id=OuterRef("qualification_id")
    )
    return Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, end_date__gte=day).filter(
        Exists(recognised)
    )


def _filtered(criteria: SearchCriteria) -> QuerySet[Vacancy]:
    qs = public_vacancies()
    ids = criteria.qualification_ids
    if ids is not None:
        qs = (
            qs.filter(qualification_id=ids[0])
            if len(ids) == 1
            else qs.filter(qualification_id__in=ids)
        )
    if criteria.niveau:
        qs = qs.filter(niveau=criteria.niveau)
    if criteria.leerweg:
        qs = qs.filter(leerweg=criteria.leerweg)
    if criteria.sector:
        qs = qs.filter(sector=criteria.sector)
    if criteria.period_start:
        qs = qs.filter(end_date__gte=criteria.period_start)
    if criteria.period_end:
        qs = qs.filter(start_date__lte=criteria.period_end)
    if criteria.features:
        qs = qs.annotate(matched_features=F("search_features").bitand(criteria.features)).filter(
            matched_features=criteria.features
        )
    if criteria.point is not None:
        lat0, lon0 = criteria.point
        radius = float(criteria.radius_km)
        ky = KM_PER_DEGREE
        kx = KM_PER_DEGREE * math.cos(math.radians(lat0))
        dlat, dlon = radius / ky, radius / kx
        # Bounding box first (served by the (qualification, status, latitude, …) index), then
        # the exact equirectangular distance — within metres of haversine at these distances.
        qs = qs.filter(
            latitude__range=(lat0 - dlat, lat0 + dlat),
            longitude__range=(lon0 - dlon, lon0 + dlon),
        )
        dy = (F("latitude") - Value(lat0)) * Value(ky)
        dx = (F("longitude") - Value(lon0)) * Value(kx)
        qs = qs.annotate(
            distance_sq=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())
        ).filter(distance_sq__lte=radius * radius)
        if criteria.sort in ("", SORT_DISTANCE):
            return qs.order_by("distance_sq", "id")
    if criteria.sort == SORT_START:
        return qs.order_by("start_date", "id")
    return qs.order_by("-published_at", "-id")


def search_vacancies(criteria: SearchCriteria, *, page: int = 1) -> SearchPage:
    """One page of public vacancies, nearest first when a point is given."""
    page = max(1, min(int(page), MAX_PAGE))
    qs = _filtered(criteria)
    offset = (page - 1) * PAGE_SIZE
    # The window count comes with the page in one query: the sort by distance has to read
    # every candidate row anyway, so counting them costs next to nothing.
    rows: list[Any] = list(
        qs.annotate(total=Window(Count("id")))
        .select_related("company", "qualification")
        .only(
            "id",
            "title",
            "place",
            "leerweg",
            "niveau",
            "start_date",
            "end_date",
            "days_per_week",
            "allowance",
            "places",
            "search_features",
            "published_at",
            "latitude",
            "longitude",
            "company__id",
            "company__name",
            "qualification__id",
            "qualification__crebo",
            "qualification__title",
        )[offset : offset + PAGE_SIZE]
    )
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:  # past the last page: count to say how many there are
        total = qs.order_by().values("id")[: COUNT_CAP + 1].count()
    count, capped = min(total, COUNT_CAP), total > COUNT_CAP
    for vacancy in rows:
        squared = getattr(vacancy, "distance_sq", None)
        vacancy.distance_km = math.sqrt(squared) if squared is not None else None
    return SearchPage(rows, count, capped, page, PAGE_SIZE)


def public_vacancy(pk: int) -> Vacancy | None:
    return (
        public_vacancies()
        .select_related("company", "qualification", "location")
        .filter(pk=pk)
        .first()
    )


def recognised_companies() -> QuerySet[Company]:
    """Companies with at least one valid recognition: the ones with a public page."""
    return Company.objects.filter(Exists(valid_recognitions().filter(company_id=OuterRef("pk"))))


def public_vacancies_of(company: Company) -> QuerySet[Vacancy]:
    return (
        public_vacancies()
        .filter(company=company)
        .select_related("qualification")
        .order_by("place", "title", "id")
    )


def profile_of(company: Company) -> CompanyProfile | None:
    return CompanyProfile.objects.filter(company=company).first()


def recognised_qualifications(company: Company) -> QuerySet[Qualification]:
    """The qualifications a company may offer vacancies for today."""
    ids = valid_recognitions().filter(company=company).values("qualification_id")
    return Qualification.objects.filter(pk__in=ids).order_by("title")


def vacancies_visible_to(user: Any) -> QuerySet[Vacancy]:
    """Portal view: a trainer sees her own company's vacancies, SBB all; others none."""
    if not user.is_authenticated or not user.has_perm("stagemarkt.view_vacancy"):
        return Vacancy.objects.none()
    return Vacancy.objects.filter(company__in=companies_visible_to(user)).select_related(
        "company", "qualification", "location"
    )


def _qualification_rows() -> tuple[tuple[int, str, str], ...]:
    rows = Qualification.objects.order_by("title", "id").values_list("id", "crebo", "title")
    return tuple((pk, crebo, title.casefold()) for pk, crebo, title in rows)


# Every search names a qualification; the table is small and changes a few times a year.
_QUALIFICATIONS = ReferenceCache(_qualification_rows, invalidated_by=[Qualification])


def qualification_ids_matching(text: str, *, limit: int = 200) -> tuple[int, ...]:
    """Qualifications by exact crebo or by (part of) the name, in name order."""
    text = text.strip()
    rows = _QUALIFICATIONS.get()
    if text.isdigit():
        return tuple(pk for pk, crebo, _title in rows if crebo == text)[:limit]
    needle = text.casefold()
    return tuple(pk for pk, _crebo, title in rows if needle in title)[:limit]
