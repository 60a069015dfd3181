"""Reads for the stagemarkt: the public search (built to stay fast at national volume) and the
trainer's own vacancies, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, FloatField, OuterRef, QuerySet, Value
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagekans.companies.models import Company
from stagekans.companies.selectors import companies_visible_to
from stagekans.core.reference_cache import ReferenceCache
from stagekans.education.models import Qualification
from stagekans.register.selectors import valid_recognitions
from stagekans.stagemarkt import search_sql
from stagekans.stagemarkt.models import CompanyProfile, Feature, Vacancy, mask_to_features
from stagekans.stagemarkt.search_sql import (  # noqa: F401 (part of this module's interface)
    KM_PER_DEGREE,
    SORT_DISTANCE,
    SORT_NEWEST,
    SORT_START,
)
from stagekans.stagemarkt.workflow import VacancyStatus

PAGE_SIZE = 20
# Counting every match of a broad search costs more than the search itself; beyond this many
# the API and page say "more than 1,000" and pagination stops there.
COUNT_CAP = 1000
MAX_PAGE = COUNT_CAP // PAGE_SIZE


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
    """The search as a queryset: the definition that search_sql's statement is tested against."""
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
    """One page of public vacancies, nearest first when a point is given.

    Two queries whatever the number of matches: the page's ids with the total count
    (search_sql, over the covering search indexes), then those rows by primary key.
    `_filtered()` is the same search as a queryset; tests hold the two equal.
    """
    page = max(1, min(int(page), MAX_PAGE))
    offset = (page - 1) * PAGE_SIZE
    day = timezone.localdate()
    found = search_sql.page_rows(criteria, offset=offset, limit=PAGE_SIZE, day=day)
    if found:
        total = found[0].total
    elif page == 1:
        total = 0
    else:  # past the last page: count to say how many there are
        total = search_sql.count_upto(criteria, cap=COUNT_CAP + 1, day=day)
    count, capped = min(total, COUNT_CAP), total > COUNT_CAP
    by_id = (
        Vacancy.objects.select_related("company", "qualification")
        .only(*RESULT_FIELDS)
        .in_bulk([row.id for row in found])
        if found
        else {}
    )
    rows: list[Any] = []
    for row in found:
        vacancy: Any = by_id.get(row.id)
        if vacancy is None:  # deleted between the two queries: leave it out
            continue
        vacancy.distance_sq = row.distance_sq
        vacancy.distance_km = math.sqrt(row.distance_sq) if row.distance_sq is not None else None
        rows.append(vacancy)
    return SearchPage(rows, count, capped, page, PAGE_SIZE)


# What a search result shows (the API's fields, the result card and the map).
RESULT_FIELDS = (
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
)


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


@dataclass(frozen=True)
class CompanyInclusivity:
    """What the company offers everywhere (its profile) and what only some of its open
    vacancies offer — so the company page never says "none" while a vacancy lists one."""

    company_wide: list[Feature]
    some_vacancies: list[Feature]

    @property
    def any(self) -> bool:
        return bool(self.company_wide or self.some_vacancies)


def company_inclusivity(company: Company) -> CompanyInclusivity:
    profile = profile_of(company)
    company_mask = profile.features if profile is not None else 0
    vacancy_mask = 0
    for mask in public_vacancies_of(company).values_list("search_features", flat=True):
        vacancy_mask |= mask
    return CompanyInclusivity(
        company_wide=mask_to_features(company_mask),
        some_vacancies=mask_to_features(vacancy_mask & ~company_mask),
    )


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


def travel_from_home(user: Any, vacancy: Any) -> dict[str, Any] | None:
    """Distance as the crow flies from a logged-in student's home place to the vacancy."""
    from stagekans.education.selectors import own_student_profile
    from stagekans.geo.places import haversine_km

    if not getattr(user, "is_authenticated", False):
        return None
    if not user.has_perm("education.view_own_student_profile"):
        return None
    student = own_student_profile(user)
    if student is None or (not student.latitude and not student.longitude):
        return None
    km = haversine_km(
        student.latitude, student.longitude, vacancy.location.latitude, vacancy.location.longitude
    )
    from stagekans.geo.selectors import place_of_postcode

    return {"km": round(km, 1), "home": place_of_postcode(student.postcode) or student.postcode}


def vacancies_withdrawn_by_revocation(recognition: Any) -> QuerySet[Vacancy]:
    """The published vacancies a revocation of this recognition would withdraw."""
    return Vacancy.objects.filter(
        company_id=recognition.company_id,
        qualification_id=recognition.qualification_id,
        status=VacancyStatus.PUBLISHED,
    ).order_by("title", "pk")


def describe_revocation_effects(*, recognition: Any, revocation: Any = None) -> list[str]:
    """register.hooks preview: how many published vacancies the revocation withdraws."""
    vacancies = list(vacancies_withdrawn_by_revocation(recognition)[:6])
    total = vacancies_withdrawn_by_revocation(recognition).count()
    if not total:
        return [_("Er staan geen gepubliceerde vacatures voor deze kwalificatie open.")]
    titles = ", ".join(v.title for v in vacancies[:5]) + (", …" if total > 5 else "")
    return [
        ngettext(
            "%(n)d gepubliceerde vacature wordt ingetrokken: %(titles)s.",
            "%(n)d gepubliceerde vacatures worden ingetrokken: %(titles)s.",
            total,
        )
        % {"n": total, "titles": titles}
    ]
