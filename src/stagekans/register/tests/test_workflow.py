"""Allowed and forbidden recognition transitions, as a table."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError

from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.register import services
from stagekans.register.models import RecognitionStatusChange
from stagekans.register.workflow import (
    ALL_CONDITIONS_MET,
    ALLOWED_TRANSITIONS,
    RecognitionStatus,
    TransitionNotAllowed,
    check_transition,
)
from stagekans.testing.factories import RecognitionFactory

S = RecognitionStatus
STATES = [None, *S]

ALLOWED = {
    (None, S.REQUESTED),
    (S.REQUESTED, S.RECOGNISED),
    (S.RECOGNISED, S.RECOGNISED),
    (S.RECOGNISED, S.REVOKED),
    (S.RECOGNISED, S.EXPIRED),
    (S.EXPIRED, S.REQUESTED),
    (S.REVOKED, S.REQUESTED),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATES, list(S))))
def test_transition_table(current, target):
    if (current, target) in ALLOWED:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_transition(current, target)


def test_table_matches_the_documented_paths():
    declared = {(c, t) for c, targets in ALLOWED_TRANSITIONS.items() for t in targets}
    assert declared == ALLOWED


@pytest.mark.django_db
def test_request_then_grant_writes_history_and_audit():
    recognition = RecognitionFactory(granted=False)
    assert recognition.status == S.REQUESTED
    recognition = services.grant_recognition(
        acting_user=None,
        recognition=recognition,
        reason="Voldoet",
        conditions=ALL_CONDITIONS_MET,
        valid_from=dt.date(2026, 1, 1),
    )
    assert recognition.valid_until == dt.date(2030, 1, 1)
    statuses = list(recognition.history.values_list("status", flat=True))
    assert statuses == [S.REQUESTED, S.RECOGNISED]
    events = set(
        AuditLog.objects.filter(object_id=str(recognition.pk)).values_list("event_type", flat=True)
    )
    assert {AuditEvent.RECOGNITION_REQUESTED, AuditEvent.RECOGNITION_GRANTED} <= events


@pytest.mark.django_db
def test_cannot_request_twice():
    recognition = RecognitionFactory(granted=False)
    with pytest.raises(TransitionNotAllowed):
        services.request_recognition(
            acting_user=None,
            company=recognition.company,
            qualification=recognition.qualification,
            reason="Nog eens",
        )
    assert recognition.history.count() == 1


@pytest.mark.django_db
def test_cannot_expire_a_valid_recognition():
    recognition = RecognitionFactory()
    with pytest.raises(ValidationError):
        services.expire_recognition(acting_user=None, recognition=recognition)


@pytest.mark.django_db
def test_expiry_job_expires_only_ended_recognitions():
    from stagekans.register.tasks import expire_recognitions

    old = RecognitionFactory(valid_from=dt.date.today() - dt.timedelta(days=4 * 366))
    current = RecognitionFactory()
    assert expire_recognitions() == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.status == S.EXPIRED
    assert current.status == S.RECOGNISED
    assert old.history.last().status == S.EXPIRED


@pytest.mark.django_db
def test_reason_required():
    recognition = RecognitionFactory(granted=False)
    with pytest.raises(ValidationError):
        services.grant_recognition(
            acting_user=None, recognition=recognition, reason="  ", conditions=ALL_CONDITIONS_MET
        )


@pytest.mark.django_db
def test_history_is_append_only():
    recognition = RecognitionFactory()
    row = recognition.history.first()
    row.reason = "herschreven"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()
    assert RecognitionStatusChange.objects.get(pk=row.pk).reason != "herschreven"
