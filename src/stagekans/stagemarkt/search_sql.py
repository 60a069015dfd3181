"""The public search's hot path as one hand-written SQL statement.

Every public search runs here, at national volume and at load (issue 10): building and
compiling the equivalent queryset cost more CPU than running it, and fetching whole rows for
every candidate before counting them cost PostgreSQL more than the search itself. So:

* the filters, the distance and the window count run over the covering search indexes only
  (`vacancy_search_qual_geo` / `vacancy_search_geo`, which include every filtered column), an
  index-only scan on PostgreSQL;
* only the ids of one page come back, with the total (capped by the caller) and the distance;
* the page's rows are then fetched by primary key (selectors.search_vacancies).

`selectors.public_vacancies()` and `selectors._filtered()` stay the definition: tests compare
this statement with that queryset on random data (same ids, same order, same count) on SQLite
and PostgreSQL. Table and column names come from the models; every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db import connection

from stagekans.register.selectors import valid_recognition_exists_sql
from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus

KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian (and the equator)
SORT_DISTANCE, SORT_START, SORT_NEWEST = "afstand", "start", "nieuw"


@dataclass(frozen=True)
class PageRow:
    id: int
    distance_sq: float | None
    total: int


def _columns() -> dict[str, str]:
    meta = Vacancy._meta
    names = [
        "id",
        "status",
        "end_date",
        "start_date",
        "qualification",
        "company",
        "niveau",
        "leerweg",
        "sector",
        "search_features",
        "latitude",
        "longitude",
        "published_at",
    ]
    return {name: "v." + str(getattr(meta.get_field(name), "column", "")) for name in names}


def _where(criteria: Any, day: dt.date) -> tuple[str, str, list[Any], list[Any], str]:
    """(distance expression, WHERE clause, distance params, where params, ORDER BY)."""
    c = _columns()
    where = [f"{c['status']} = %s", f"{c['end_date']} >= %s"]
    params: list[Any] = [VacancyStatus.PUBLISHED.value, day]
    ids = criteria.qualification_ids
    if ids is not None:
        if not ids:
            where.append("1 = 0")
        elif len(ids) == 1:
            where.append(f"{c['qualification']} = %s")
            params.append(ids[0])
        else:
            where.append(f"{c['qualification']} IN ({', '.join(['%s'] * len(ids))})")
            params.extend(ids)
    for name, value in (
        ("niveau", criteria.niveau),
        ("leerweg", criteria.leerweg),
        ("sector", criteria.sector),
    ):
        if value:
            where.append(f"{c[name]} = %s")
            params.append(value)
    if criteria.period_start:
        where.append(f"{c['end_date']} >= %s")
        params.append(criteria.period_start)
    if criteria.period_end:
        where.append(f"{c['start_date']} <= %s")
        params.append(criteria.period_end)
    if criteria.features:
        where.append(f"({c['search_features']} & %s) = %s")
        params.extend([criteria.features, criteria.features])
    distance, distance_params = "NULL", []
    order = f"{c['published_at']} DESC, {c['id']} DESC"
    if criteria.point is not None:
        lat0, lon0 = (float(x) for x in criteria.point)
        radius = float(criteria.radius_km)
        ky = KM_PER_DEGREE
        kx = KM_PER_DEGREE * math.cos(math.radians(lat0))
        dlat, dlon = radius / ky, radius / kx
        where.append(f"{c['latitude']} BETWEEN %s AND %s AND {c['longitude']} BETWEEN %s AND %s")
        params.extend([lat0 - dlat, lat0 + dlat, lon0 - dlon, lon0 + dlon])
        # The same expression as the queryset's, so both order equal distances alike.
        dy = f"(({c['latitude']} - %s) * %s)"
        dx = f"(({c['longitude']} - %s) * %s)"
        distance = f"({dy} * {dy} + {dx} * {dx})"
        distance_params = [lat0, ky, lat0, ky, lon0, kx, lon0, kx]
        where.append(f"{distance} <= %s")
        params.extend([*distance_params, radius * radius])
        if criteria.sort in ("", SORT_DISTANCE):
            order = f"distance_sq, {c['id']}"
    if criteria.sort == SORT_START:
        order = f"{c['start_date']}, {c['id']}"
    recognised, recognised_params = valid_recognition_exists_sql(
        company_column=c["company"], qualification_column=c["qualification"], on=day
    )
    where.append(recognised)
    params.extend(recognised_params)
    return distance, " AND ".join(where), distance_params, params, order


def page_rows(criteria: Any, *, offset: int, limit: int, day: dt.date) -> list[PageRow]:
    """Ids of one page in search order, each with its squared distance and the total count."""
    distance, where, distance_params, params, order = _where(criteria, day)
    sql = (  # model metadata and fixed fragments only; every value is a parameter
        f"SELECT v.id, {distance} AS distance_sq, COUNT(*) OVER () AS total"  # noqa: S608
        f" FROM {Vacancy._meta.db_table} v WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*distance_params, *params, limit, offset])
        return [
            PageRow(int(pk), None if d is None else float(d), int(total))
            for pk, d, total in cursor.fetchall()
        ]


def count_upto(criteria: Any, *, cap: int, day: dt.date) -> int:
    """How many vacancies match, counting no further than `cap`."""
    _distance, where, _dp, params, _order = _where(criteria, day)
    sql = (  # model metadata and fixed fragments only; every value is a parameter
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {Vacancy._meta.db_table} v WHERE {where}"  # noqa: S608
        f" LIMIT %s) capped"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cap])
        return int(cursor.fetchone()[0])
