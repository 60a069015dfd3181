"""Cooperation agreements between institutions: versions, partners and signing.

Version 1 goes out for signing at once; every later change is a new version that must be signed
again by every partner. Until it is, the previous signed version stays in force; when the last
partner signs, the new version becomes active and the old one is superseded (still readable).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.education.models import School
from stagekans.keuzedelen.models import AgreementPartner, AgreementVersion, CooperationAgreement
from stagekans.keuzedelen.selectors import current_partner_ids
from stagekans.keuzedelen.workflow import Examiner, VersionStatus, check_version


@dataclass(frozen=True)
class AgreementTerms:
    examiner: Examiner
    finance_per_student: Decimal
    finance_terms: str
    insurance: str
    responsibility: str
    progress_reporting: str
    attendance_reporting: str
    shared_day: int = 0
    absence_threshold_percent: int = 20


def staff_school(user: Any) -> School | None:
    staff = (
        getattr(user, "school_staff", None) if getattr(user, "is_authenticated", False) else None
    )
    return staff.school if staff is not None else None


def _require_manager(acting_user: Any) -> School:
    """The acting user is a coordinator allowed to manage agreements for their own school."""
    school = staff_school(acting_user)
    if school is None or not acting_user.has_perm("keuzedelen.manage_cooperation_agreement"):
        raise PermissionDenied
    return school


def _validate(host: School, partners: list[School], terms: AgreementTerms) -> None:
    errors: dict[str, list[str]] = {}
    if host not in partners:
        errors["partners"] = [_("De gastinstelling moet zelf ook partner zijn.")]
    if len({p.pk for p in partners}) < 2:
        errors.setdefault("partners", []).append(
            _("Een samenwerkingsovereenkomst heeft minstens twee instellingen.")
        )
    if terms.shared_day not in (0, 1, 2, 4, 8, 16):
        errors["shared_day"] = [_("Kies één gezamenlijke lesdag van maandag tot en met vrijdag.")]
    if terms.finance_per_student < 0:
        errors["finance_per_student"] = [_("Een vergoeding kan niet negatief zijn.")]
    for name in (
        "finance_terms",
        "insurance",
        "responsibility",
        "progress_reporting",
        "attendance_reporting",
    ):
        if not str(getattr(terms, name)).strip():
            errors[name] = [_("Dit onderdeel van de overeenkomst is verplicht.")]
    if errors:
        raise ValidationError(errors)


def _new_version(
    *,
    acting_user: Any,
    agreement: CooperationAgreement,
    number: int,
    partners: list[School],
    terms: AgreementTerms,
    change_summary: str,
) -> AgreementVersion:
    check_version(None, VersionStatus.SIGNING)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        version=number,
        status=VersionStatus.SIGNING,
        change_summary=change_summary,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        **asdict(terms),
    )
    AgreementPartner.objects.bulk_create(
        AgreementPartner(version=version, school=school)
        for school in {p.pk: p for p in partners}.values()
    )
    record(
        actor=acting_user,
        event=AuditEvent.COOPERATION_VERSION_PROPOSED,
        obj=version,
        details={
            "agreement": agreement.pk,
            "version": number,
            "partners": sorted(p.pk for p in partners),
        },
    )
    return version


def create_agreement(
    *, acting_user: Any, title: str, host: School, partners: list[School], terms: AgreementTerms
) -> AgreementVersion:
    """A coordinator of one of the partners proposes version 1; every partner then signs it."""
    school = _require_manager(acting_user)
    if school.pk not in {p.pk for p in partners}:
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": [_("Geef de overeenkomst een naam.")]})
    _validate(host, partners, terms)
    with transaction.atomic():
        agreement = CooperationAgreement.objects.create(title=title.strip(), host=host)
        return _new_version(
            acting_user=acting_user,
            agreement=agreement,
            number=1,
            partners=partners,
            terms=terms,
            change_summary="",
        )


def propose_version(
    *,
    acting_user: Any,
    agreement: CooperationAgreement,
    partners: list[School],
    terms: AgreementTerms,
    change_summary: str,
) -> AgreementVersion:
    """A change: a new version for every partner to sign again (no signature carries over);
    the version in force stays in force and readable until the new one is signed by all.
    Only a coordinator of a current partner may propose it."""
    school = _require_manager(acting_user)
    if school.pk not in current_partner_ids(agreement):
        raise PermissionDenied
    _validate(agreement.host, partners, terms)
    if not change_summary.strip():
        raise ValidationError({"change_summary": [_("Beschrijf wat er verandert.")]})
    with transaction.atomic():
        locked = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.versions.filter(status=VersionStatus.SIGNING).exists():
            raise ValidationError(
                _("Er ligt al een versie ter ondertekening. Trek die eerst in of laat hem tekenen.")
            )
        number = (locked.versions.aggregate(n=Max("version"))["n"] or 0) + 1
        return _new_version(
            acting_user=acting_user,
            agreement=locked,
            number=number,
            partners=partners,
            terms=terms,
            change_summary=change_summary,
        )


def sign_version(*, acting_user: Any, version: AgreementVersion) -> AgreementVersion:
    """The acting user signs for their own school. The last signature activates the version."""
    school = staff_school(acting_user)
    if school is None or not acting_user.has_perm("keuzedelen.sign_cooperation_agreement"):
        raise PermissionDenied
    with transaction.atomic():
        locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.SIGNING:
            raise ValidationError(_("Deze versie ligt niet ter ondertekening."))
        partner = locked.partners.filter(school=school).first()
        if partner is None:
            raise PermissionDenied
        if partner.signed_at is not None:
            raise ValidationError(_("Uw school heeft deze versie al getekend."))
        partner.signed_by, partner.signed_at = acting_user, timezone.now()
        partner.save(update_fields=["signed_by", "signed_at"])
        record(
            actor=acting_user,
            event=AuditEvent.COOPERATION_SIGNED,
            obj=locked,
            details={"school": school.pk},
        )
        if not locked.partners.filter(signed_at__isnull=True).exists():
            check_version(VersionStatus.SIGNING, VersionStatus.ACTIVE)
            for old in AgreementVersion.objects.select_for_update().filter(
                agreement_id=locked.agreement_id, status=VersionStatus.ACTIVE
            ):
                check_version(VersionStatus.ACTIVE, VersionStatus.SUPERSEDED)
                old.status = VersionStatus.SUPERSEDED
                old.save(update_fields=["status"])
            locked.status, locked.activated_at = VersionStatus.ACTIVE, timezone.now()
            locked.save(update_fields=["status", "activated_at"])
            record(
                actor=acting_user,
                event=AuditEvent.COOPERATION_ACTIVATED,
                obj=locked,
                details={"version": locked.version},
            )
        return locked


def withdraw_version(
    *, acting_user: Any, version: AgreementVersion, reason: str
) -> AgreementVersion:
    """The host withdraws a version that is not yet signed by everyone."""
    if _require_manager(acting_user) != version.agreement.host:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("Geef een reden.")]})
    with transaction.atomic():
        locked = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        check_version(VersionStatus(locked.status), VersionStatus.WITHDRAWN)
        locked.status = VersionStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        record(
            actor=acting_user,
            event=AuditEvent.COOPERATION_WITHDRAWN,
            obj=locked,
            details={"reason": reason},
        )
        return locked
