"""The POK: drafting only with a valid recognition, signing by every party in their own
role, a guardian for a minor, activation only when complete, versioning (bpv-blad), PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.placements.documents import agreement_pdf
from stagekans.placements.models import Agreement
from stagekans.placements.services import agreements as svc
from stagekans.placements.workflow import AgreementStatus, PlacementStatus, SigningParty
from stagekans.register.models import Recognition
from stagekans.testing import factories as f
from stagekans.testing import placements as tp

pytestmark = pytest.mark.django_db


def _sent(w: tp.World, **overrides) -> Agreement:
    agreement = svc.draft_agreement(
        acting_user=w.staff_user, placement=w.placement, terms=tp.terms(**overrides)
    )
    return svc.send_for_signing(acting_user=w.staff_user, agreement=agreement)


def test_active_only_when_all_three_parties_signed() -> None:
    w = tp.world()
    agreement = _sent(w)
    assert OutboxMessage.objects.filter(to=w.student_user.email).exists()
    svc.sign_agreement(acting_user=w.student_user, agreement=agreement)
    svc.sign_agreement(acting_user=w.trainer_user, agreement=agreement)
    agreement.refresh_from_db()
    w.placement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING
    assert w.placement.status == PlacementStatus.PLANNED
    assert w.placement.next_contact_due is None
    svc.sign_agreement(acting_user=w.staff_user, agreement=agreement)
    agreement.refresh_from_db()
    w.placement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE and agreement.activated_at
    assert w.placement.status == PlacementStatus.ACTIVE
    assert w.placement.next_contact_due is not None
    assert AuditLog.objects.filter(
        event_type=AuditEvent.AGREEMENT_ACTIVATED.value, object_id=str(agreement.pk)
    ).exists()


def test_each_party_signs_only_for_itself_and_only_once() -> None:
    w = tp.world()
    agreement = _sent(w)
    other_trainer = f.trainer_user(f.CompanyFactory())
    other_staff = f.school_staff_user(f.SchoolFactory())
    for outsider in (other_trainer, other_staff, f.UserFactory()):
        with pytest.raises(PermissionDenied):
            svc.sign_agreement(acting_user=outsider, agreement=agreement)
    svc.sign_agreement(acting_user=w.trainer_user, agreement=agreement)
    with pytest.raises(ValidationError, match="al getekend"):
        svc.sign_agreement(acting_user=w.trainer_user, agreement=agreement)


def test_a_draft_cannot_be_signed_and_a_sent_version_cannot_be_edited() -> None:
    w = tp.world()
    agreement = svc.draft_agreement(
        acting_user=w.staff_user, placement=w.placement, terms=tp.terms()
    )
    with pytest.raises(ValidationError, match="niet \\(meer\\) ter ondertekening"):
        svc.sign_agreement(acting_user=w.student_user, agreement=agreement)
    svc.send_for_signing(acting_user=w.staff_user, agreement=agreement)
    with pytest.raises(ValidationError, match="Alleen een concept"):
        svc.change_draft(acting_user=w.staff_user, agreement=agreement, terms=tp.terms(hours=9))


def test_minor_needs_a_guardian_signature_with_name_and_date() -> None:
    # 17 on the start date (7 September 2026).
    w = tp.world(date_of_birth=dt.date(2009, 1, 15))
    agreement = _sent(w)
    assert SigningParty.GUARDIAN in svc.required_parties(agreement)
    for user in (w.student_user, w.trainer_user, w.staff_user):
        svc.sign_agreement(acting_user=user, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING
    with pytest.raises(ValidationError):
        svc.record_guardian_signature(
            acting_user=w.student_user,
            agreement=agreement,
            guardian_name=" ",
            signed_on=dt.date(2026, 9, 1),
        )
    with pytest.raises(PermissionDenied):
        svc.record_guardian_signature(
            acting_user=w.trainer_user,
            agreement=agreement,
            guardian_name="A. Ouder",
            signed_on=dt.date(2026, 9, 1),
        )
    svc.record_guardian_signature(
        acting_user=w.student_user,
        agreement=agreement,
        guardian_name="A. Ouder",
        signed_on=dt.date(2026, 9, 1),
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    guardian = agreement.signatures.get(party=SigningParty.GUARDIAN)
    assert guardian.guardian_name == "A. Ouder"
    assert guardian.guardian_signed_on == dt.date(2026, 9, 1)


def test_an_adult_needs_no_guardian_and_none_can_be_recorded() -> None:
    w = tp.world(date_of_birth=dt.date(2008, 9, 7))  # 18 exactly on the start date
    agreement = _sent(w)
    assert SigningParty.GUARDIAN not in svc.required_parties(agreement)
    with pytest.raises(ValidationError, match="18 jaar of ouder"):
        svc.record_guardian_signature(
            acting_user=w.staff_user,
            agreement=agreement,
            guardian_name="A. Ouder",
            signed_on=dt.date(2026, 9, 1),
        )


def test_refused_without_valid_recognition_on_the_start_date() -> None:
    w = tp.world()
    Recognition.objects.filter(company=w.placement.company).update(valid_until=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="niet erkend voor"):
        svc.draft_agreement(acting_user=w.staff_user, placement=w.placement, terms=tp.terms())
    assert not Agreement.objects.exists()


def test_refused_at_activation_when_the_recognition_went_while_signing() -> None:
    w = tp.world()
    agreement = _sent(w)
    svc.sign_agreement(acting_user=w.student_user, agreement=agreement)
    svc.sign_agreement(acting_user=w.trainer_user, agreement=agreement)
    Recognition.objects.filter(company=w.placement.company).update(valid_until=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="niet erkend voor"):
        svc.sign_agreement(acting_user=w.staff_user, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNING
    assert agreement.signatures.count() == 2  # the failed signature is rolled back


def test_a_change_after_signing_is_a_new_version_signed_again() -> None:
    w = tp.world()
    v1 = tp.signed_pok(w)
    with pytest.raises(ValidationError):
        svc.draft_agreement(
            acting_user=w.staff_user, placement=w.placement, terms=tp.terms(hours=900)
        )  # no change summary
    v2 = svc.draft_agreement(
        acting_user=w.staff_user,
        placement=w.placement,
        terms=tp.terms(hours=900, end_date=dt.date(2027, 7, 2)),
        change_summary="Een week langer en 100 uur meer.",
    )
    assert v2.version == 2
    with pytest.raises(ValidationError, match="al een versie"):
        svc.draft_agreement(
            acting_user=w.staff_user, placement=w.placement, terms=tp.terms(), change_summary="x"
        )
    svc.send_for_signing(acting_user=w.staff_user, agreement=v2)
    svc.sign_agreement(acting_user=w.student_user, agreement=v2)
    svc.sign_agreement(acting_user=w.trainer_user, agreement=v2)
    v1.refresh_from_db()
    assert v1.status == AgreementStatus.ACTIVE  # until v2 is fully signed
    svc.sign_agreement(acting_user=w.staff_user, agreement=v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    w.placement.refresh_from_db()
    assert v1.status == AgreementStatus.SUPERSEDED
    assert v2.status == AgreementStatus.ACTIVE
    assert w.placement.end_date == dt.date(2027, 7, 2)
    # The old version stays readable, with its own terms and signatures.
    assert v1.hours == 800 and v1.signatures.count() == 3


def test_withdrawn_version_lapses_and_a_new_draft_is_possible() -> None:
    w = tp.world()
    agreement = _sent(w)
    svc.withdraw_agreement(acting_user=w.staff_user, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        svc.withdraw_agreement(acting_user=w.staff_user, agreement=agreement)
    again = svc.draft_agreement(acting_user=w.staff_user, placement=w.placement, terms=tp.terms())
    assert again.version == 2 and again.change_summary == ""


def test_bad_terms_write_nothing() -> None:
    w = tp.world()
    with pytest.raises(ValidationError) as error:
        svc.draft_agreement(
            acting_user=w.staff_user,
            placement=w.placement,
            terms=tp.terms(end_date=dt.date(2026, 1, 1), contact_every_weeks=0, work_processes=" "),
        )
    assert {"end_date", "contact_every_weeks", "work_processes"} <= set(error.value.error_dict)
    assert not Agreement.objects.exists()


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_of_the_signed_pok_names_parties_terms_and_signatures() -> None:
    w = tp.world(date_of_birth=dt.date(2009, 1, 15))
    agreement = tp.signed_pok(w, keuzedeel="K0125 Verdieping zorg")
    data = agreement_pdf(agreement)
    assert data.startswith(b"%PDF")
    text = " ".join(_pdf_text(data).split())
    assert "Praktijkovereenkomst" in text
    assert w.student.family_name in text and w.student.student_number in text
    assert w.placement.company.name in text
    assert f"crebo {w.placement.qualification.crebo}" in text
    assert "7 september 2026 – 25 juni 2027" in text
    assert "minstens elke 4 weken" in text
    assert "K0125 Verdieping zorg" in text
    assert "J. de Ouder" in text
    assert "Piet Opleider, getekend op" in text
    assert "deze versie is geldig" in text


def test_pdf_of_an_unsigned_version_says_it_is_not_valid() -> None:
    w = tp.world()
    agreement = _sent(w)
    text = " ".join(_pdf_text(agreement_pdf(agreement)).split())
    assert "niet geldig" in text
    assert "nog niet getekend" in text
