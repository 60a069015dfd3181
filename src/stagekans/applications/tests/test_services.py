from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from stagekans.applications import services
from stagekans.applications.models import Application, ApplicationStatusChange
from stagekans.applications.workflow import (
    ApplicationStatus,
    CloseReason,
    RejectionReason,
    TransitionNotAllowed,
)
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.core.storage import RANDOM_NAME
from stagekans.notifications.models import OutboxMessage
from stagekans.placements.workflow import PlacementSource, PlacementStatus
from stagekans.stagemarkt import services as stagemarkt_services
from stagekans.stagemarkt.workflow import VacancyStatus
from stagekans.testing import applications as t
from stagekans.testing import factories

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _statuses(application: Application) -> list[str]:
    return list(
        ApplicationStatusChange.objects.filter(application=application)
        .order_by("at", "id")
        .values_list("status", flat=True)
    )


def _audited(application: Application, event: AuditEvent) -> bool:
    return AuditLog.objects.filter(event_type=event.value, object_id=str(application.pk)).exists()


def test_apply_sends_an_application_with_history_audit_distance_and_company_mail() -> None:
    w = t.world()
    application = t.send(w)
    assert application.status == S.SENT
    assert application.company_id == w.company.pk and application.school_id == w.school.pk
    assert application.distance_km is not None and application.distance_km > 100  # Groningen
    assert _statuses(application) == ["sent"]
    assert _audited(application, AuditEvent.APPLICATION_SENT)
    mail = OutboxMessage.objects.get(to=w.trainer.email)
    assert services.reference_of(application) in mail.subject
    assert t.GIVEN_NAME not in mail.body and t.FAMILY_NAME not in mail.body


@pytest.mark.parametrize(
    ("field", "text", "fragment"),
    [
        ("motivation", f"Groeten, {t.GIVEN_NAME}", t.GIVEN_NAME),
        ("motivation", f"Ik ben {t.GIVEN_NAME} {t.FAMILY_NAME}.", t.GIVEN_NAME),
        ("competences", f"Mail me: {t.EMAIL.upper()}", t.EMAIL.upper()),
        ("availability", f"Studentnummer {t.STUDENT_NUMBER}", t.STUDENT_NUMBER),
    ],
)
def test_apply_refuses_a_text_that_names_the_student(field: str, text: str, fragment: str) -> None:
    w = t.world()
    kwargs = {"motivation": "Ik wil graag leren.", field: text}
    with pytest.raises(ValidationError) as caught:
        t.send(w, **kwargs)
    message = " ".join(caught.value.message_dict[field])
    assert fragment in message
    assert not Application.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_apply_refuses_a_draft_vacancy_another_qualification_and_a_second_open_one() -> None:
    w = t.world()
    draft = factories.VacancyFactory(
        location=w.vacancy.location, company=w.company, qualification=w.vacancy.qualification
    )
    with pytest.raises(ValidationError, match="niet \\(meer\\) solliciteren"):
        t.send(w, vacancy=draft)
    other = factories.VacancyFactory(publish=True)
    with pytest.raises(ValidationError, match="jouw opleiding"):
        t.send(w, vacancy=other)
    t.send(w)
    with pytest.raises(ValidationError, match="al een lopende sollicitatie"):
        t.send(w)
    assert Application.objects.count() == 1


def test_only_the_student_themselves_applies() -> None:
    w = t.world()
    with pytest.raises(PermissionDenied):
        t.send(w, login=w.coordinator)


def test_a_cv_must_be_a_pdf_and_is_stored_privately_under_a_random_name() -> None:
    w = t.world()
    with pytest.raises(ValidationError, match="alleen een PDF"):
        t.send(w, cv=SimpleUploadedFile("cv.pdf", b"GIF89a fake", content_type="application/pdf"))
    application = t.send(
        w, cv=SimpleUploadedFile("Zoella-cv.pdf", b"%PDF-1.4 cv", content_type="application/pdf")
    )
    assert RANDOM_NAME.match(str(application.cv.name))
    assert "Zoella" not in str(application.cv.name)
    with pytest.raises(ValueError):
        application.cv.url  # noqa: B018 - private storage has no URL


def test_seen_invite_offer_with_times_history_audit_and_student_mails() -> None:
    w = t.world()
    application = t.send(w)
    services.mark_seen(acting_user=w.trainer, application=application)
    services.mark_seen(acting_user=w.trainer, application=application)  # idempotent
    application.refresh_from_db()
    assert application.status == S.SEEN and application.seen_at is not None
    services.invite(acting_user=w.trainer, application=application)
    services.offer(acting_user=w.trainer, application=application)
    application.refresh_from_db()
    assert application.status == S.OFFERED
    assert application.invited_at is not None and application.offered_at is not None
    assert _statuses(application) == ["sent", "seen", "invited", "offered"]
    for event in (AuditEvent.APPLICATION_SEEN, AuditEvent.APPLICATION_INVITED):
        assert _audited(application, event)
    subjects = list(OutboxMessage.objects.filter(to=t.EMAIL).values_list("subject", flat=True))
    assert any("Uitnodiging" in s for s in subjects) and any("aanbod" in s for s in subjects)


def test_no_offer_before_invitation_and_another_company_cannot_act() -> None:
    w = t.world()
    application = t.send(w)
    with pytest.raises(TransitionNotAllowed):
        services.offer(acting_user=w.trainer, application=application)
    stranger = factories.trainer_user(factories.CompanyFactory())
    for action in (services.mark_seen, services.invite):
        with pytest.raises(PermissionDenied):
            action(acting_user=stranger, application=application)
    with pytest.raises(PermissionDenied):
        services.withdraw(acting_user=w.trainer, application=application)


def test_reject_needs_a_reason_stores_it_and_the_student_mail_is_neutral() -> None:
    w = t.world()
    application = t.send(w)
    with pytest.raises(ValidationError, match="kies een reden"):
        services.reject(acting_user=w.trainer, application=application, reason="")
    services.reject(
        acting_user=w.trainer,
        application=application,
        reason=RejectionReason.LANGUAGE,
        text="Nederlands nog onvoldoende voor de telefoon.",
    )
    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert application.rejection_reason == "language" and application.decided_at
    mail = OutboxMessage.objects.get(to=t.EMAIL)
    for leak in ("language", str(RejectionReason.LANGUAGE.label), "Nederlands nog onvoldoende"):
        assert leak not in mail.body and leak not in mail.subject
    assert "gaat niet verder" in mail.body
    log = AuditLog.objects.get(
        event_type=AuditEvent.APPLICATION_REJECTED.value, object_id=str(application.pk)
    )
    assert log.details["reason"] == "language"


def test_withdraw_and_decline_by_the_student_only() -> None:
    w = t.world()
    application = t.send(w)
    _other, other_login = w.other_student()
    with pytest.raises(PermissionDenied):
        services.withdraw(acting_user=other_login, application=application)
    services.withdraw(acting_user=w.student_login, application=application)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    offer = t.offered(w, vacancy=w.vacancy_for())
    services.decline(acting_user=w.student_login, application=offer)
    offer.refresh_from_db()
    assert offer.status == S.DECLINED and offer.placement is None


def test_accept_creates_the_placement_and_closes_overlapping_applications_only() -> None:
    w = t.world(places=2)
    offer = t.offered(w)
    overlapping = t.send(w, vacancy=w.vacancy_for())
    later = t.send(w, vacancy=w.vacancy_for(start_in_days=400, days=60))
    services.accept(acting_user=w.student_login, application=offer)
    offer.refresh_from_db()
    placement = offer.placement
    assert offer.status == S.ACCEPTED and placement is not None
    assert placement.source == PlacementSource.APPLICATION
    assert placement.status == PlacementStatus.PLANNED
    assert placement.location_id == w.vacancy.location_id
    assert placement.trainer is not None and placement.trainer.user_id == w.trainer.pk
    overlapping.refresh_from_db()
    later.refresh_from_db()
    assert overlapping.status == S.CLOSED
    assert overlapping.close_reason == CloseReason.PLACED_ELSEWHERE
    assert later.status == S.SENT
    w.vacancy.refresh_from_db()
    assert w.vacancy.status == VacancyStatus.PUBLISHED  # one of two places left


def test_the_last_place_fills_the_vacancy_and_closes_the_other_applications() -> None:
    w = t.world(places=1)
    offer = t.offered(w)
    other, other_login = w.other_student()
    waiting = t.send(w, student=other, login=other_login)
    services.accept(acting_user=w.student_login, application=offer)
    w.vacancy.refresh_from_db()
    waiting.refresh_from_db()
    assert w.vacancy.status == VacancyStatus.FILLED
    assert waiting.status == S.CLOSED and waiting.close_reason == CloseReason.VACANCY_FILLED
    assert _statuses(waiting) == ["sent", "closed"]
    assert _audited(waiting, AuditEvent.APPLICATION_CLOSED)


def test_a_second_accept_for_the_last_place_is_refused() -> None:
    w = t.world(places=1)
    first = t.offered(w)
    other, other_login = w.other_student()
    second = t.offered(w, student=other, login=other_login)
    services.accept(acting_user=w.student_login, application=first)
    with pytest.raises(TransitionNotAllowed):  # closed when the vacancy was filled
        services.accept(acting_user=other_login, application=second)
    assert Application.objects.filter(status=S.ACCEPTED).count() == 1


def test_accept_is_refused_when_the_company_lost_its_recognition() -> None:
    w = t.world()
    offer = t.offered(w)
    from stagekans.register.models import Recognition

    Recognition.objects.filter(company=w.company).update(valid_until=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="niet erkend"):
        services.accept(acting_user=w.student_login, application=offer)
    offer.refresh_from_db()
    assert offer.status == S.OFFERED and offer.placement is None


def test_withdrawing_the_vacancy_closes_open_applications_but_not_ended_ones() -> None:
    w = t.world()
    open_one = t.send(w)
    other, other_login = w.other_student()
    rejected = t.send(w, student=other, login=other_login)
    services.reject(acting_user=w.trainer, application=rejected, reason=RejectionReason.OTHER)
    stagemarkt_services.withdraw_vacancy(acting_user=w.trainer, vacancy=w.vacancy)
    open_one.refresh_from_db()
    rejected.refresh_from_db()
    assert open_one.status == S.CLOSED
    assert open_one.close_reason == CloseReason.VACANCY_WITHDRAWN
    assert rejected.status == S.REJECTED


def test_recommend_creates_a_marked_application_and_tells_the_student() -> None:
    w = t.world()
    application = services.recommend(
        acting_user=w.coordinator,
        student=w.student,
        vacancy=w.vacancy,
        recommendation="Betrouwbaar, goed met ouderen, sterk in plannen.",
    )
    assert application.recommended_by is not None
    assert application.recommended_by.user_id == w.coordinator.pk
    assert application.status == S.SENT
    assert _audited(application, AuditEvent.APPLICATION_RECOMMENDED)
    assert OutboxMessage.objects.filter(to=t.EMAIL, subject__contains="aanbevolen").exists()
    company_mail = OutboxMessage.objects.get(to=w.trainer.email)
    assert "warme match" in company_mail.body and t.FAMILY_NAME not in company_mail.body
    other_school = factories.school_staff_user(factories.SchoolFactory())
    with pytest.raises(PermissionDenied):
        services.recommend(
            acting_user=other_school,
            student=w.student,
            vacancy=w.vacancy_for(),
            recommendation="Goede student.",
        )
    with pytest.raises(ValidationError, match="naam"):
        services.recommend(
            acting_user=w.coordinator,
            student=w.student,
            vacancy=w.vacancy_for(),
            recommendation=f"{t.GIVEN_NAME} is een aanrader.",
        )
