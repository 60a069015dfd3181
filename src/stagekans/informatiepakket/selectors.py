"""Reads for the informatiepakket: current versions, a company's hand-outs, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from stagekans.companies.models import Company, Location, Trainer
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


def coverage(version: HandoutVersion, group_by: str) -> list[CoverageRow]:
    """% of validly recognised companies that acknowledged this version, by sector or province.

    A company's province is that of its first location; companies without one count as
    'onbekend'.
    """
    from stagekans.education.models import Sector
    from stagekans.geo.places import Province

    acknowledged = HandoutDelivery.objects.filter(
        version=version, company=OuterRef("pk"), acknowledged_at__isnull=False
    )
    companies = Company.objects.filter(pk__in=recognised_company_ids()).annotate(
        ack=Exists(acknowledged)
    )
    labels: dict[str, str]
    if group_by == "sector":
        labels = {str(k): str(v) for k, v in Sector.choices}
        rows = companies.values_list("sector", "ack")
    else:
        labels = {str(k): str(v) for k, v in Province.choices}
        first_location = Location.objects.filter(company=OuterRef("pk")).order_by("pk")
        from django.db.models import Subquery

        rows = companies.annotate(
            province=Subquery(first_location.values("province")[:1])
        ).values_list("province", "ack")
    totals: dict[str, list[int]] = {}
    for key, ack in rows:
        bucket = totals.setdefault(key or "", [0, 0])
        bucket[0] += 1
        bucket[1] += int(bool(ack))
    return [
        CoverageRow(key=key, label=str(labels.get(key, "onbekend")), recognised=n, acknowledged=a)
        for key, (n, a) in sorted(totals.items(), key=lambda kv: str(labels.get(kv[0], "~")))
    ]


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    return CoverageRow(
        key="",
        label="Totaal",
        recognised=sum(r.recognised for r in rows),
        acknowledged=sum(r.acknowledged for r in rows),
    )
