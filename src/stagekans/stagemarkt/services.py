"""The only code that changes vacancies and stagemarkt profiles; each function is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.companies.models import Company, Location
from stagekans.education.models import Qualification
from stagekans.register.selectors import is_validly_recognised
from stagekans.stagemarkt.hooks import run_vacancy_changed_handlers, run_vacancy_closed_handlers
from stagekans.stagemarkt.models import ALL_FEATURES, CompanyProfile, Vacancy
from stagekans.stagemarkt.workflow import CLOSED, EDITABLE, VacancyStatus, check_transition

EDITABLE_FIELDS = frozenset(
    {
        "location",
        "qualification",
        "leerweg",
        "title",
        "description",
        "start_date",
        "end_date",
        "days_per_week",
        "allowance",
        "places",
        "features",
    }
)


def _not_recognised(qualification: Qualification) -> str:
    return _(
        "Uw leerbedrijf is niet geldig erkend voor %(title)s (crebo %(crebo)s). "
        "Alleen kwalificaties waarvoor u een geldige erkenning hebt, zijn mogelijk."
    ) % {"title": qualification.title, "crebo": qualification.crebo}


def _profile_features(company: Company) -> int:
    profile = CompanyProfile.objects.filter(company=company).only("features").first()
    return profile.features if profile else 0


def _fill_search_columns(vacancy: Vacancy) -> None:
    """Copy what a search filters on from the qualification, location and company profile."""
    vacancy.niveau = vacancy.qualification.niveau
    vacancy.sector = vacancy.qualification.sector
    vacancy.latitude = vacancy.location.latitude
    vacancy.longitude = vacancy.location.longitude
    vacancy.place = vacancy.location.place
    vacancy.search_features = vacancy.features | _profile_features(vacancy.company)


def _validate(vacancy: Vacancy) -> None:
    if vacancy.location.company_id != vacancy.company_id:
        raise ValidationError({"location": _("Kies een vestiging van uw eigen leerbedrijf.")})
    if not 0 <= vacancy.features <= ALL_FEATURES:
        raise ValidationError({"features": _("Onbekend inclusiviteitskenmerk.")})
    if vacancy.start_date and vacancy.end_date and vacancy.end_date < vacancy.start_date:
        raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
    if not is_validly_recognised(vacancy.company, vacancy.qualification_id):
        raise ValidationError({"qualification": _not_recognised(vacancy.qualification)})
    vacancy.full_clean(exclude=["company", "location", "qualification", "created_by"])


@transaction.atomic
def create_vacancy(
    *,
    acting_user: Any,
    company: Company,
    location: Location,
    qualification: Qualification,
    leerweg: str,
    title: str,
    description: str,
    start_date: dt.date,
    end_date: dt.date,
    days_per_week: int,
    allowance: Decimal | int = 0,
    places: int = 1,
    features: int = 0,
) -> Vacancy:
    """A new vacancy, as a draft. Only for a qualification the company is validly recognised for."""
    vacancy = Vacancy(
        company=company,
        location=location,
        qualification=qualification,
        leerweg=leerweg,
        title=title.strip(),
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
        days_per_week=days_per_week,
        allowance=Decimal(allowance),
        places=places,
        features=features,
        status=VacancyStatus.DRAFT,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    check_transition(None, VacancyStatus.DRAFT)
    _fill_search_columns(vacancy)
    _validate(vacancy)
    vacancy.save()
    record(
        actor=acting_user,
        event=AuditEvent.VACANCY_CREATED,
        obj=vacancy,
        details={"company": company.pk, "crebo": qualification.crebo, "title": vacancy.title},
    )
    return vacancy


@transaction.atomic
def update_vacancy(*, acting_user: Any, vacancy: Vacancy, **changes: Any) -> Vacancy:
    """Change the content of a draft or published vacancy (a published one stays published)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)} through update_vacancy")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if VacancyStatus(vacancy.status) not in EDITABLE:
        raise ValidationError(
            _("Een vacature met status '%(status)s' kan niet meer worden gewijzigd.")
            % {"status": vacancy.get_status_display()}
        )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(vacancy, field)
        if old != value:
            before[field] = str(getattr(old, "pk", old))
            after[field] = str(getattr(value, "pk", value))
            setattr(vacancy, field, value)
    _fill_search_columns(vacancy)
    _validate(vacancy)
    vacancy.save()
    record(
        actor=acting_user,
        event=AuditEvent.VACANCY_UPDATED,
        obj=vacancy,
        details={"before": before, "after": after},
    )
    if before:
        run_vacancy_changed_handlers(vacancy=vacancy, fields=sorted(before))
    return vacancy


def _change_status(
    vacancy: Vacancy,
    target: VacancyStatus,
    *,
    acting_user: Any,
    event: AuditEvent,
    details: dict[str, Any] | None = None,
) -> Vacancy:
    locked = Vacancy.objects.select_for_update().select_related("qualification").get(pk=vacancy.pk)
    current = VacancyStatus(locked.status)
    check_transition(current, target)
    if target == VacancyStatus.PUBLISHED:
        if not is_validly_recognised(locked.company, locked.qualification_id):
            raise ValidationError(_not_recognised(locked.qualification))
        if locked.end_date < timezone.localdate():
            raise ValidationError(
                {"end_date": _("De einddatum ligt in het verleden; pas de periode eerst aan.")}
            )
        locked.published_at = timezone.now()
        _fill_search_columns(locked)
    locked.status = target
    locked.save()
    record(
        actor=acting_user,
        event=event,
        obj=locked,
        details={"from": current.value, "to": target.value, **(details or {})},
    )
    if target in CLOSED:
        run_vacancy_closed_handlers(
            vacancy=locked,
            status=target.value,
            reason=str((details or {}).get("reason", "")),
            acting_user=acting_user,
        )
    return locked


@transaction.atomic
def publish_vacancy(*, acting_user: Any, vacancy: Vacancy) -> Vacancy:
    """Make a draft public; refused without a valid recognition for the vacancy's crebo."""
    return _change_status(
        vacancy,
        VacancyStatus.PUBLISHED,
        acting_user=acting_user,
        event=AuditEvent.VACANCY_PUBLISHED,
    )


@transaction.atomic
def unpublish_vacancy(*, acting_user: Any, vacancy: Vacancy) -> Vacancy:
    """Take a published vacancy offline as a draft (to rework it), see ADR 0200."""
    return _change_status(
        vacancy, VacancyStatus.DRAFT, acting_user=acting_user, event=AuditEvent.VACANCY_UNPUBLISHED
    )


@transaction.atomic
def fill_vacancy(*, acting_user: Any, vacancy: Vacancy) -> Vacancy:
    return _change_status(
        vacancy, VacancyStatus.FILLED, acting_user=acting_user, event=AuditEvent.VACANCY_FILLED
    )


@transaction.atomic
def withdraw_vacancy(*, acting_user: Any, vacancy: Vacancy, reason: str = "") -> Vacancy:
    return _change_status(
        vacancy,
        VacancyStatus.WITHDRAWN,
        acting_user=acting_user,
        event=AuditEvent.VACANCY_WITHDRAWN,
        details={"reason": reason.strip()} if reason.strip() else None,
    )


@transaction.atomic
def withdraw_for_revoked_recognition(*, recognition: Any, acting_user: Any) -> None:
    """Revocation hook: withdraw every published vacancy of the company for that qualification."""
    ids = list(
        Vacancy.objects.select_for_update()
        .filter(
            company_id=recognition.company_id,
            qualification_id=recognition.qualification_id,
            status=VacancyStatus.PUBLISHED,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        _change_status(
            Vacancy(pk=pk),
            VacancyStatus.WITHDRAWN,
            acting_user=acting_user,
            event=AuditEvent.VACANCY_WITHDRAWN,
            details={"reason": "recognition_revoked", "recognition": recognition.pk},
        )


@transaction.atomic
def update_company_profile(
    *, acting_user: Any, company: Company, features: int, inclusivity_text: str
) -> CompanyProfile:
    """Set the company's voluntary inclusivity features and text; its vacancies follow."""
    profile, _created = CompanyProfile.objects.select_for_update().get_or_create(company=company)
    before = {"features": profile.features, "inclusivity_text": profile.inclusivity_text}
    profile.features = features
    profile.inclusivity_text = inclusivity_text.strip()
    profile.full_clean()
    profile.save()
    Vacancy.objects.filter(company=company).update(
        search_features=F("features").bitor(profile.features)
    )
    record(
        actor=acting_user,
        event=AuditEvent.COMPANY_PROFILE_UPDATED,
        obj=company,
        details={
            "before": before,
            "after": {"features": profile.features, "inclusivity_text": profile.inclusivity_text},
        },
    )
    return profile
