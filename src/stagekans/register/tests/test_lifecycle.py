"""Every life-cycle service, allowed and forbidden paths: grant with the five conditions,
reassessment, four-eyes revocation, rejection, expiry, and the revocation hook."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.register import selectors, services
from stagekans.register.models import RecognitionConditions, RevocationRequest, RevocationState
from stagekans.register.workflow import (
    ALL_CONDITIONS_MET,
    CONDITION_FIELDS,
    RECOGNITION_CONDITIONS,
    RecognitionStatus,
    TransitionNotAllowed,
)
from stagekans.testing import factories as f

S = RecognitionStatus
pytestmark = pytest.mark.django_db


def _events(recognition):
    return list(
        AuditLog.objects.filter(
            object_type="register.recognition", object_id=str(recognition.pk)
        ).values_list("event_type", flat=True)
    )


@pytest.mark.parametrize(("missing", "label"), RECOGNITION_CONDITIONS)
def test_grant_refused_when_one_condition_is_not_met(missing, label):
    recognition = f.RecognitionFactory(granted=False)
    conditions = {**ALL_CONDITIONS_MET, missing: False}
    with pytest.raises(ValidationError) as info:
        services.grant_recognition(
            acting_user=None, recognition=recognition, reason="Beoordeeld", conditions=conditions
        )
    assert set(info.value.message_dict) == {missing}
    assert str(label) in info.value.message_dict[missing][0]
    assert "Niet vervuld" in info.value.message_dict[missing][0]
    recognition.refresh_from_db()
    assert recognition.status == S.REQUESTED
    assert recognition.history.count() == 1
    assert not RecognitionConditions.objects.exists()


def test_grant_refused_when_conditions_are_absent():
    recognition = f.RecognitionFactory(granted=False)
    with pytest.raises(ValidationError) as info:
        services.grant_recognition(
            acting_user=None, recognition=recognition, reason="Beoordeeld", conditions={}
        )
    assert set(info.value.message_dict) == set(CONDITION_FIELDS)


def test_grant_records_the_five_conditions_with_the_history_row(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory(granted=False)
    services.grant_recognition(
        acting_user=officer,
        recognition=recognition,
        reason="Voldoet",
        conditions=ALL_CONDITIONS_MET,
        notes="Bezoek 3 maart; praktijkopleider gecertificeerd.",
    )
    recognition.refresh_from_db()
    assert recognition.status == S.RECOGNISED
    assert recognition.publication_consent is True
    record = selectors.conditions_of(recognition)
    assert record.status_change == recognition.history.last()
    assert record.assessed_by == officer
    assert all(getattr(record, name) for name in CONDITION_FIELDS)
    assert record.safe_environment is True
    grant = AuditLog.objects.get(event_type=AuditEvent.RECOGNITION_GRANTED, actor=officer)
    assert grant.details["conditions"] == ALL_CONDITIONS_MET
    assert grant.details["reassessment"] is False


def test_reassessment_is_recognised_to_recognised_with_new_conditions():
    recognition = f.RecognitionFactory(valid_from=dt.date.today() - dt.timedelta(days=1400))
    services.grant_recognition(
        acting_user=None,
        recognition=recognition,
        reason="Herbeoordeling",
        conditions=ALL_CONDITIONS_MET,
    )
    recognition.refresh_from_db()
    assert recognition.valid_from == dt.date.today()
    assert recognition.history.filter(status=S.RECOGNISED).count() == 2
    assert recognition.assessments.count() == 2


def test_reassessment_task_list_lists_only_recognitions_due():
    due = f.RecognitionFactory(valid_from=dt.date.today() - dt.timedelta(days=4 * 365 - 30))
    f.RecognitionFactory()  # valid for four more years
    requested = f.RecognitionFactory(granted=False)
    listed = list(selectors.due_for_reassessment(within_days=90))
    assert listed == [due]
    assert requested not in listed


def test_cannot_grant_an_expired_or_revoked_recognition(officers):
    expired = f.RecognitionFactory(valid_from=dt.date.today() - dt.timedelta(days=4 * 366))
    services.expire_recognition(acting_user=None, recognition=expired)
    with pytest.raises(TransitionNotAllowed):
        services.grant_recognition(
            acting_user=None, recognition=expired, reason="x", conditions=ALL_CONDITIONS_MET
        )
    # … but it can be requested again (expired → requested).
    again = services.request_recognition(
        acting_user=None, company=expired.company, qualification=expired.qualification, reason="y"
    )
    assert again.status == S.REQUESTED


# --- revocation (four-eyes) ------------------------------------------------------------------


def _propose(recognition, officer, **kw):
    return services.request_revocation(
        acting_user=officer,
        recognition=recognition,
        reason=kw.get("reason", "Ernstige signalen van discriminatie bij werving, vastgesteld."),
        decision_reference=kw.get("decision_reference", "SBB-2026-0042"),
    )


def test_revocation_needs_reason_and_decision_reference(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    with pytest.raises(ValidationError) as info:
        _propose(recognition, officer, reason="  ")
    assert "reason" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        _propose(recognition, officer, decision_reference=" ")
    assert (
        "Kenmerk" in info.value.message_dict["decision_reference"][0]
        or "kenmerk" in (info.value.message_dict["decision_reference"][0])
    )
    assert not RevocationRequest.objects.exists()


def test_proposal_alone_changes_nothing_but_is_pending(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    revocation = _propose(recognition, officer)
    recognition.refresh_from_db()
    assert revocation.state == RevocationState.PENDING
    assert recognition.status == S.RECOGNISED
    assert selectors.is_validly_recognised(recognition.company, recognition.qualification_id)
    assert AuditEvent.RECOGNITION_REVOCATION_REQUESTED in _events(recognition)
    assert list(selectors.pending_revocations()) == [revocation]


def test_a_single_officer_cannot_complete_a_revocation(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    f.trainer_user(recognition.company)
    revocation = _propose(recognition, officer)
    with pytest.raises(PermissionDenied) as info:
        services.approve_revocation(acting_user=officer, revocation=revocation)
    assert "tweede, andere adviseur" in str(info.value)
    recognition.refresh_from_db()
    revocation.refresh_from_db()
    assert recognition.status == S.RECOGNISED
    assert revocation.state == RevocationState.PENDING
    assert AuditEvent.RECOGNITION_REVOKED not in _events(recognition)
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("role", [Role.SBB_INVESTIGATOR, Role.ADMIN, Role.SCHOOL_STAFF])
def test_approval_needs_the_approve_permission(officers, role):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    revocation = _propose(recognition, officer)
    with pytest.raises(PermissionDenied):
        services.approve_revocation(acting_user=f.UserFactory(role=role), revocation=revocation)
    revocation.refresh_from_db()
    assert revocation.state == RevocationState.PENDING


def test_system_cannot_propose_or_approve(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    with pytest.raises(PermissionDenied):
        _propose(recognition, None)
    revocation = _propose(recognition, officer)
    with pytest.raises(PermissionDenied):
        services.approve_revocation(acting_user=None, revocation=revocation)


def test_trainer_cannot_propose_a_revocation():
    recognition = f.RecognitionFactory()
    with pytest.raises(PermissionDenied):
        _propose(recognition, f.trainer_user(recognition.company))


def test_second_officer_approves_and_it_takes_effect(officers):
    proposer, approver = officers
    recognition = f.RecognitionFactory()
    trainer = f.trainer_user(recognition.company)
    revocation = _propose(recognition, proposer, reason="Herhaalde weigering om samen te werken.")
    services.approve_revocation(acting_user=approver, revocation=revocation)

    recognition.refresh_from_db()
    revocation.refresh_from_db()
    assert recognition.status == S.REVOKED
    assert revocation.state == RevocationState.APPROVED
    assert revocation.decided_by == approver
    last = recognition.history.last()
    assert last.status == S.REVOKED and last.actor == approver
    assert "SBB-2026-0042" in last.reason
    assert not selectors.is_validly_recognised(recognition.company, recognition.qualification_id)
    assert not selectors.public_recognitions().filter(pk=recognition.pk).exists()
    revoked = AuditLog.objects.get(event_type=AuditEvent.RECOGNITION_REVOKED)
    assert revoked.details["requested_by"] == proposer.pk
    assert revoked.details["approved_by"] == approver.pk
    mail = OutboxMessage.objects.get()
    assert mail.to == trainer.email
    assert "Herhaalde weigering om samen te werken." in mail.body
    assert "SBB-2026-0042" in mail.body
    assert mail.sent_at is None  # goes out after commit, through the outbox


def test_decided_proposal_cannot_be_decided_again(officers):
    proposer, approver = officers
    recognition = f.RecognitionFactory()
    revocation = _propose(recognition, proposer)
    services.approve_revocation(acting_user=approver, revocation=revocation)
    with pytest.raises(ValidationError):
        services.approve_revocation(acting_user=approver, revocation=revocation)
    with pytest.raises(ValidationError):
        services.reject_revocation(acting_user=approver, revocation=revocation, reason="te laat")
    assert recognition.history.filter(status=S.REVOKED).count() == 1


def test_rejected_proposal_leaves_recognition_in_force(officers):
    proposer, other = officers
    recognition = f.RecognitionFactory()
    revocation = _propose(recognition, proposer)
    services.reject_revocation(
        acting_user=other, revocation=revocation, reason="Besluit niet onderbouwd."
    )
    revocation.refresh_from_db()
    recognition.refresh_from_db()
    assert revocation.state == RevocationState.REJECTED
    assert recognition.status == S.RECOGNISED
    assert AuditEvent.RECOGNITION_REVOCATION_REJECTED in _events(recognition)
    with pytest.raises(ValidationError):
        services.approve_revocation(acting_user=other, revocation=revocation)
    # a new proposal can follow
    assert _propose(recognition, proposer).state == RevocationState.PENDING


def test_only_one_pending_proposal_and_only_for_recognised(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    _propose(recognition, officer)
    with pytest.raises(ValidationError):
        _propose(recognition, officer)
    with pytest.raises(ValidationError):
        _propose(f.RecognitionFactory(granted=False), officer)


def test_no_reassessment_while_a_revocation_is_pending(officers):
    officer, _ = officers
    recognition = f.RecognitionFactory()
    _propose(recognition, officer)
    with pytest.raises(ValidationError):
        services.grant_recognition(
            acting_user=officer, recognition=recognition, reason="x", conditions=ALL_CONDITIONS_MET
        )


def test_pending_revocation_of_an_expired_recognition_cannot_take_effect(officers):
    proposer, approver = officers
    recognition = f.RecognitionFactory(valid_from=dt.date.today() - dt.timedelta(days=4 * 366))
    revocation = _propose(recognition, proposer)
    services.expire_recognition(acting_user=None, recognition=recognition)
    # The proposal lapses with the recognition, so it no longer blocks a new grant.
    revocation.refresh_from_db()
    assert revocation.state == RevocationState.REJECTED
    assert "verlopen" in revocation.decision_note
    with pytest.raises(ValidationError):
        services.approve_revocation(acting_user=approver, revocation=revocation)
    recognition.refresh_from_db()
    assert recognition.status == "expired"


def test_revoked_recognition_can_be_requested_again(officers):
    proposer, approver = officers
    recognition = f.RecognitionFactory()
    services.approve_revocation(acting_user=approver, revocation=_propose(recognition, proposer))
    with pytest.raises(TransitionNotAllowed):
        services.grant_recognition(
            acting_user=approver,
            recognition=recognition,
            reason="x",
            conditions=ALL_CONDITIONS_MET,
        )
    again = services.request_recognition(
        acting_user=proposer,
        company=recognition.company,
        qualification=recognition.qualification,
        reason="Nieuwe aanvraag na verbetertraject",
    )
    assert again.status == S.REQUESTED


def test_database_refuses_an_approval_by_the_proposer(officers):
    proposer, _ = officers
    revocation = _propose(f.RecognitionFactory(), proposer)
    revocation.state = RevocationState.APPROVED
    revocation.decided_by = proposer
    with pytest.raises(IntegrityError), transaction.atomic():
        revocation.save()


# --- the hook ---------------------------------------------------------------------------------


def test_registered_handlers_run_inside_the_approval(officers, temporary_handler):
    proposer, approver = officers
    recognition = f.RecognitionFactory()
    seen = []

    def handler(*, recognition, acting_user):
        assert transaction.get_connection().in_atomic_block
        recognition.refresh_from_db()
        seen.append((recognition.pk, recognition.status, acting_user))

    temporary_handler(handler)
    services.approve_revocation(acting_user=approver, revocation=_propose(recognition, proposer))
    assert seen == [(recognition.pk, S.REVOKED, approver)]


def test_temporary_handler_is_gone_after_its_test():
    from stagekans.register.hooks import _revocation_handlers

    assert all(h.__name__ != "handler" for h in _revocation_handlers)


def test_every_role_permission_exists_and_is_granted():
    """sync_roles skips permissions that a later migration creates; after all migrations,
    every permission of ROLES must really be in its group."""
    from django.contrib.auth.models import Group

    from stagekans.accounts.roles import ROLES

    for definition in ROLES.values():
        granted = {
            f"{app}.{code}"
            for app, code in Group.objects.get(name=definition.group_name).permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert set(definition.permissions) == granted, definition.group_name
