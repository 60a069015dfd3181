"""Revocation cascade end to end: revoke -> placement flagged, student and school told, task
open -> new placement with a fully signed POK -> task done."""

from __future__ import annotations

import datetime as dt

import pytest

from stagekans.accounts.roles import Role
from stagekans.notifications.models import OutboxMessage
from stagekans.placements.models import Placement, ReplacementTask
from stagekans.placements.services import agreements as svc
from stagekans.placements.services.creation import create_placement
from stagekans.placements.workflow import PlacementSource
from stagekans.register import hooks
from stagekans.register import services as register
from stagekans.testing import factories as f
from stagekans.testing import placements as tp
from stagekans.worklist.models import SchoolTask, SchoolTaskKind

pytestmark = pytest.mark.django_db


def _revoke(recognition) -> None:
    proposer, approver = f.UserFactory(role=Role.SBB_ADVISOR), f.UserFactory(role=Role.SBB_ADVISOR)
    revocation = register.request_revocation(
        acting_user=proposer,
        recognition=recognition,
        reason="Discriminatie bij selectie vastgesteld na hoor en wederhoor.",
        decision_reference="SBB-2026-0142",
    )
    register.approve_revocation(acting_user=approver, revocation=revocation)


def test_revocation_flags_tells_and_tasks_then_a_new_pok_closes_the_task() -> None:
    w = tp.world()
    tp.signed_pok(w)
    bystander = tp.world()  # another company: untouched
    tp.signed_pok(bystander)
    recognition = w.placement.company.recognitions.get(qualification=w.placement.qualification)
    effects = hooks.revocation_effects(recognition=recognition)
    assert any("1 lopende stage wordt gemarkeerd" in e for e in effects)

    _revoke(recognition)

    w.placement.refresh_from_db()
    bystander.placement.refresh_from_db()
    assert w.placement.recognition_revoked_at is not None
    assert bystander.placement.recognition_revoked_at is None
    assert OutboxMessage.objects.filter(
        to=w.student_user.email, subject__contains="niet meer erkend"
    ).exists()
    link = ReplacementTask.objects.get(placement=w.placement)
    task = link.task
    assert task.kind == SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT and task.done_at is None
    assert task.school_id == w.school.pk
    assert w.student.student_number in task.subject
    assert OutboxMessage.objects.filter(
        to=w.staff_user.email, subject__contains="Nieuwe taak"
    ).exists()
    # Revoking twice (or the hook running again) makes no second task.
    from stagekans.placements.services.revocation import flag_placements_for_revocation

    flag_placements_for_revocation(recognition=recognition, acting_user=None)
    assert ReplacementTask.objects.count() == 1

    # The school finds a new place; the task stays open until the new POK is fully signed.
    new_location = f.LocationFactory()
    f.RecognitionFactory(
        company=new_location.company,
        qualification=w.placement.qualification,
        valid_from=dt.date(2025, 1, 1),
    )
    new_trainer = f.trainer_user(new_location.company)
    Placement.objects.filter(pk=w.placement.pk).update(status="cancelled")
    replacement = create_placement(
        acting_user=w.staff_user,
        student=w.student,
        location=new_location,
        start_date=dt.date(2027, 1, 11),
        end_date=dt.date(2027, 6, 25),
        source=PlacementSource.SCHOOL,
        trainer=new_trainer.trainer,
        supervisor=w.staff,
    )
    agreement = svc.draft_agreement(
        acting_user=w.staff_user,
        placement=replacement,
        terms=tp.terms(start_date=dt.date(2027, 1, 11), end_date=dt.date(2027, 6, 25)),
    )
    svc.send_for_signing(acting_user=w.staff_user, agreement=agreement)
    svc.sign_agreement(acting_user=w.student_user, agreement=agreement)
    svc.sign_agreement(acting_user=new_trainer, agreement=agreement)
    task.refresh_from_db()
    assert task.done_at is None
    svc.sign_agreement(acting_user=w.staff_user, agreement=agreement)
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by_id == w.staff_user.pk
    assert (
        SchoolTask.objects.filter(
            done_at__isnull=True, kind=SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT, school=w.school
        ).count()
        == 0
    )


def test_no_pok_at_the_revoked_company_afterwards() -> None:
    w = tp.world()
    tp.signed_pok(w)
    recognition = w.placement.company.recognitions.get(qualification=w.placement.qualification)
    _revoke(recognition)
    with pytest.raises(Exception, match="niet erkend"):
        svc.draft_agreement(
            acting_user=w.staff_user,
            placement=w.placement,
            terms=tp.terms(),
            change_summary="Langer",
        )
