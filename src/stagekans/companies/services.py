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


CONTACT_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "publish_contact_email",
    "publish_contact_phone",
    "how_to_apply",
)


def may_manage_contact(user: Any, company: Company) -> bool:
    """The company's own administrator (bedrijfsbeheerder), or SBB staff who see all companies."""
    if user is None:
        return True  # system: demo data, imports
    if not user.has_perm("companies.change_company"):
        return False
    if user.has_perm("companies.view_all_companies"):
        return True
    trainer = getattr(user, "trainer", None)
    return bool(trainer and trainer.company_id == company.pk and trainer.is_company_admin)


@transaction.atomic
def update_contact(
    *,
    acting_user: Any,
    company: Company,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    publish_contact_email: bool,
    publish_contact_phone: bool,
    how_to_apply: str,
) -> Company:
    """How students reach the company from a vacancy, and which details the company publishes.

    An e-mail address or phone number can only be published when it is filled in.
    """
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    if not may_manage_contact(acting_user, company):
        raise PermissionDenied(
            _("Alleen de bedrijfsbeheerder van dit leerbedrijf mag de contactgegevens wijzigen.")
        )
    company = Company.objects.select_for_update().get(pk=company.pk)
    errors: dict[str, str] = {}
    if publish_contact_email and not contact_email.strip():
        errors["contact_email"] = _("Vul een e-mailadres in om het te kunnen tonen.")
    if publish_contact_phone and not contact_phone.strip():
        errors["contact_phone"] = _("Vul een telefoonnummer in om het te kunnen tonen.")
    phone = contact_phone.strip()
    if phone and not all(c.isdigit() or c in " +-()" for c in phone):
        errors["contact_phone"] = _("Een telefoonnummer bevat alleen cijfers, spaties, + en -.")
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(company, name) for name in CONTACT_FIELDS}
    company.contact_name = contact_name.strip()
    company.contact_email = contact_email.strip()
    company.contact_phone = phone
    company.publish_contact_email = publish_contact_email
    company.publish_contact_phone = publish_contact_phone
    company.how_to_apply = how_to_apply.strip()
    company.full_clean()
    company.save(update_fields=list(CONTACT_FIELDS))
    changed = [name for name in CONTACT_FIELDS if before[name] != getattr(company, name)]
    record(
        actor=acting_user,
        event=AuditEvent.COMPANY_CONTACT_UPDATED,
        obj=company,
        details={"changed": changed},
    )
    return company
