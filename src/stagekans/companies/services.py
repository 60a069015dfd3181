"""Writes for learning companies, their locations and trainers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.companies.models import Company, Location, Trainer
from stagekans.core.identifiers import normalise_kvk, normalise_postcode
from stagekans.geo.services import locate


@transaction.atomic
def register_company(
    *,
    acting_user: Any,
    kvk_number: str,
    name: str,
    sector: str,
    size_class: str,
    sbi_code: str = "",
    website: str = "",
) -> Company:
    company = Company(
        kvk_number=normalise_kvk(kvk_number),
        name=name.strip(),
        sector=sector,
        size_class=size_class,
        sbi_code=sbi_code.strip(),
        website=website.strip(),
    )
    company.full_clean()
    company.save()
    record(
        actor=acting_user,
        event=AuditEvent.COMPANY_CREATED,
        obj=company,
        details={"kvk_number": company.kvk_number},
    )
    return company


@transaction.atomic
def update_company(*, acting_user: Any, company: Company, **changes: Any) -> Company:
    allowed = {"name", "sector", "size_class", "sbi_code", "website"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)} through update_company")
    company = Company.objects.select_for_update().get(pk=company.pk)
    before = {field: getattr(company, field) for field in changes}
    for field, value in changes.items():
        setattr(company, field, value.strip() if isinstance(value, str) else value)
    company.full_clean()
    company.save()
    record(
        actor=acting_user,
        event=AuditEvent.COMPANY_UPDATED,
        obj=company,
        details={"before": before, "after": changes},
    )
    return company


@transaction.atomic
def add_location(
    *,
    acting_user: Any,
    company: Company,
    street: str,
    house_number: str,
    postcode: str,
    place: str,
    name: str = "",
) -> Location:
    location = Location(
        company=company,
        name=name.strip(),
        street=street.strip(),
        house_number=house_number.strip(),
        postcode=normalise_postcode(postcode),
        place=place.strip(),
        province="",
        latitude=0.0,
        longitude=0.0,
    )
    location.full_clean(exclude=["province", "latitude", "longitude"])
    located = locate(postcode=location.postcode, place=place)
    location.place, location.province = located.place, located.province
    location.latitude, location.longitude = located.latitude, located.longitude
    location.save()
    record(
        actor=acting_user,
        event=AuditEvent.LOCATION_CREATED,
        obj=location,
        details={"company": company.pk, "postcode": location.postcode},
    )
    return location


@transaction.atomic
def add_trainer(
    *, acting_user: Any, company: Company, user: Any, is_company_admin: bool = False
) -> Trainer:
    trainer = Trainer.objects.create(user=user, company=company, is_company_admin=is_company_admin)
    record(
        actor=acting_user,
        event=AuditEvent.TRAINER_ADDED,
        obj=company,
        details={"user": user.pk, "is_company_admin": is_company_admin},
    )
    return trainer
