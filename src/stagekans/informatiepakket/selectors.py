"""Reads for the informatiepakket: current versions, a company's hand-outs, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, QuerySet

from stagekans.companies.models import Company, Location, Trainer
from stagekans.core import snapshots
from stagekans.informatiepakket.models import HandoutDelivery, HandoutKind, HandoutVersion
from stagekans.register.selectors import valid_recognitions


def current_versions() -> list[HandoutVersion]:
    """The newest version of every hand-out kind."""
    versions = []
    for kind in HandoutKind.values:
        latest = HandoutVersion.objects.filter(kind=kind).order_by("-version").first()
        if latest is not None:
            versions.append(latest)
    return versions


def trainer_addresses(company: Company) -> list[str]:
    return sorted(
        address
        for address in company.trainers.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
        if address
    )


def trainer_addresses_of(company_ids: list[int]) -> dict[int, list[str]]:
    """`trainer_addresses` for many companies in one query."""
    found: dict[int, list[str]] = {}
    for company_id, address in Trainer.objects.filter(
        company_id__in=company_ids, user__is_active=True
    ).values_list("company_id", "user__email"):
        if address:
            found.setdefault(company_id, []).append(address)
    return {company_id: sorted(addresses) for company_id, addresses in found.items()}


def recognised_company_ids() -> QuerySet[Company]:
    return Company.objects.filter(pk__in=valid_recognitions().values("company_id")).values_list(
        "pk", flat=True
    )  # type: ignore[return-value]


def deliveries_visible_to(user: Any) -> QuerySet[HandoutDelivery]:
    qs = HandoutDelivery.objects.select_related("version", "company", "acknowledged_by")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm("companies.view_all_companies"):
        return qs
    trainer = getattr(user, "trainer", None)
    if trainer is not None:
        return qs.filter(company_id=trainer.company_id)
    return qs.none()


@dataclass(frozen=True)
class CoverageRow:
    key: str
    label: str
    recognised: int
    acknowledged: int

    @property
    def percentage(self) -> float | None:
        return round(100 * self.acknowledged / self.recognised, 1) if self.recognised else None


def _coverage_counts_postgresql(
    version: HandoutVersion, group_by: str
) -> dict[str, tuple[int, int]]:
    """{key: (recognised companies, acknowledged)} in one statement: the recognised companies
    (the ORM's own subquery), LEFT JOIN the first location (DISTINCT ON) and the
    acknowledgements, GROUP BY sector or province."""
    recognised_sql, recognised_params = recognised_company_ids().query.sql_with_params()
    if group_by == "sector":
        key_join = "JOIN companies_company c ON c.id = r.company_id"
        key = "c.sector"
    else:
        key_join = (
            "LEFT JOIN (SELECT DISTINCT ON (company_id) company_id, province "
            "FROM companies_location ORDER BY company_id, id) l ON l.company_id = r.company_id"
        )
        key = "l.province"
    sql = f"""
        SELECT COALESCE({key}, ''), COUNT(*), COUNT(a.company_id)
        FROM ({recognised_sql}) r (company_id)
        {key_join}
        LEFT JOIN informatiepakket_handoutdelivery a
          ON a.company_id = r.company_id AND a.version_id = %s AND a.acknowledged_at IS NOT NULL
        GROUP BY 1
    """  # noqa: S608 - only fixed identifiers are interpolated; values are parameters
    counts: dict[str, tuple[int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*recognised_params, version.pk])
        for k, n, a in cursor.fetchall():
            before = counts.get(k, (0, 0))
            counts[k] = (before[0] + n, before[1] + a)
    return counts


def _labels(group_by: str) -> dict[str, str]:
    from stagekans.education.models import Sector
    from stagekans.geo.places import Province

    choices = Sector.choices if group_by == "sector" else Province.choices
    return {str(k): str(v) for k, v in choices}


def _rows(counts: dict[str, tuple[int, int]], group_by: str) -> list[CoverageRow]:
    labels = _labels(group_by)
    return [
        CoverageRow(key=key, label=str(labels.get(key, "onbekend")), recognised=n, acknowledged=a)
        for key, (n, a) in sorted(counts.items(), key=lambda kv: str(labels.get(kv[0], "~")))
    ]


def coverage(version: HandoutVersion, group_by: str) -> list[CoverageRow]:
    """% of validly recognised companies that acknowledged this version, by sector or province.

    A company's province is that of its first location; companies without one count as
    'onbekend'. Counted in SQL (GROUP BY), not company by company: on PostgreSQL in one query
    with hash joins (`_coverage_counts_postgresql`), elsewhere with the ORM.
    """
    return _rows(_coverage_counts(version, group_by), group_by)


def _coverage_snapshot_data(version_id: str, group_by: str) -> list[list[Any]]:
    version = HandoutVersion.objects.get(pk=int(version_id))
    counts = _coverage_counts(version, group_by)
    return [[key, n, a] for key, (n, a) in sorted(counts.items())]


snapshots.define("handout_coverage", _coverage_snapshot_data)


def coverage_snapshot(
    version: HandoutVersion, group_by: str
) -> tuple[list[CoverageRow], snapshots.Snapshot]:
    """The same figures as `coverage`, from the precomputed snapshot (core/snapshots.py): the
    national page reads one row instead of counting 250k companies per view."""
    snapshot = snapshots.read("handout_coverage", version.pk, group_by)
    counts = {str(key): (int(n), int(a)) for key, n, a in snapshot.data}
    return _rows(counts, group_by), snapshot


def _coverage_counts(version: HandoutVersion, group_by: str) -> dict[str, tuple[int, int]]:
    recognised = recognised_company_ids()
    if connection.vendor == "postgresql":
        return _coverage_counts_postgresql(version, group_by)

    def acknowledged(company_ref: str) -> Exists:
        return Exists(
            HandoutDelivery.objects.filter(
                version=version, company_id=OuterRef(company_ref), acknowledged_at__isnull=False
            )
        )

    totals: dict[str, list[int]] = {}
    if group_by == "sector":
        rows = (
            Company.objects.filter(pk__in=recognised)
            .values("sector")
            .annotate(n=Count("pk"), ack=Count("pk", filter=acknowledged("pk")))
            .order_by()
            .values_list("sector", "n", "ack")
        )
        for key, n, ack in rows:
            bucket = totals.setdefault(key or "", [0, 0])
            bucket[0] += n
            bucket[1] += ack
    else:
        first_locations = (
            Location.objects.values("company_id").annotate(first=Min("pk")).values("first")
        )
        located = (
            Location.objects.filter(pk__in=first_locations, company_id__in=recognised)
            .values("province")
            .annotate(n=Count("pk"), ack=Count("pk", filter=acknowledged("company_id")))
            .order_by()
            .values_list("province", "n", "ack")
        )
        for key, n, ack in located:
            bucket = totals.setdefault(key or "", [0, 0])
            bucket[0] += n
            bucket[1] += ack
        everyone = Company.objects.filter(pk__in=recognised).aggregate(
            n=Count("pk"), ack=Count("pk", filter=acknowledged("pk"))
        )
        without_n = everyone["n"] - sum(n for n, _a in totals.values())
        without_ack = everyone["ack"] - sum(a for _n, a in totals.values())
        if without_n:
            bucket = totals.setdefault("", [0, 0])
            bucket[0] += without_n
            bucket[1] += without_ack
    return {key: (n, a) for key, (n, a) in totals.items()}


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    return CoverageRow(
        key="",
        label="Totaal",
        recognised=sum(r.recognised for r in rows),
        acknowledged=sum(r.acknowledged for r in rows),
    )
