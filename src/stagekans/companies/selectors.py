"""Reads for learning companies, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stagekans.companies.models import Company, Location


def companies_visible_to(user: Any) -> QuerySet[Company]:
    """SBB and intake staff see every company; a trainer only her own."""
    if not user.is_authenticated:
        return Company.objects.none()
    if user.has_perm("companies.view_all_companies"):
        return Company.objects.all()
    if user.has_perm("companies.view_company") and hasattr(user, "trainer"):
        return Company.objects.filter(pk=user.trainer.company_id)
    return Company.objects.none()


def locations_of(company: Company) -> QuerySet[Location]:
    return Location.objects.filter(company=company).order_by("place", "street")


def own_company(user: Any) -> Company | None:
    if not user.is_authenticated or not hasattr(user, "trainer"):
        return None
    return user.trainer.company
