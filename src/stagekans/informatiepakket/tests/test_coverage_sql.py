"""Hand-out coverage counted in SQL equals counting company by company; constant queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from stagekans.companies.models import Company, Location
from stagekans.informatiepakket import selectors
from stagekans.informatiepakket.models import HandoutDelivery, HandoutKind
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db

PLACES = [("3011 AD", "Rotterdam"), ("1012 AB", "Amsterdam"), ("9711 AA", "Groningen")]


def _reference(version, group_by: str) -> dict[str, tuple[int, int]]:
    """The pre-issue-18 way: every recognised company in Python, first location one by one."""
    totals: dict[str, list[int]] = {}
    for company in Company.objects.filter(pk__in=selectors.recognised_company_ids()):
        if group_by == "sector":
            key = company.sector
        else:
            first = Location.objects.filter(company=company).order_by("pk").first()
            key = first.province if first else ""
        ack = HandoutDelivery.objects.filter(
            version=version, company=company, acknowledged_at__isnull=False
        ).exists()
        bucket = totals.setdefault(key or "", [0, 0])
        bucket[0] += 1
        bucket[1] += int(ack)
    return {k: (n, a) for k, (n, a) in totals.items()}


def _data(n: int) -> None:
    for i in range(n):
        company = f.CompanyFactory(sector=["zorg", "techniek", "handel"][i % 3])
        for j in range(i % 3):  # none, one or two locations
            postcode, place = PLACES[(i + j) % 3]
            f.LocationFactory(company=company, postcode=postcode, place=place)
        f.RecognitionFactory(company=company)
    f.CompanyFactory()  # not recognised: not counted
    HandoutDelivery.objects.filter(company_id__in=list(
        Company.objects.order_by("pk").values_list("pk", flat=True)[::2])).update(
        acknowledged_at=timezone.now())  # fmt: skip


@pytest.mark.parametrize("n", [4, 25])
def test_sql_coverage_equals_company_by_company(n, django_assert_max_num_queries):
    _data(n)
    version = next(
        v for v in selectors.current_versions() if v.kind == HandoutKind.WERVING_SELECTIE
    )
    for group_by, queries in (("sector", 2), ("province", 3)):
        with django_assert_max_num_queries(queries):
            rows = selectors.coverage(version, group_by)
        found = {r.key: (r.recognised, r.acknowledged) for r in rows}
        assert found == _reference(version, group_by), group_by
