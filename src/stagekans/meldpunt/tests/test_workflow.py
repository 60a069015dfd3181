"""Every triage transition, allowed and forbidden, through the transition table and the services."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.meldpunt import services
from stagekans.meldpunt.models import Report
from stagekans.meldpunt.workflow import (
    ALLOWED_TRANSITIONS,
    ReportStatus,
    TransitionNotAllowed,
    check_transition,
)
from stagekans.testing import factories as f

S = ReportStatus
ALLOWED = {
    (None, S.RECEIVED),
    (S.RECEIVED, S.IN_TRIAGE),
    (S.IN_TRIAGE, S.REGISTERED_ONLY),
    (S.IN_TRIAGE, S.REFERRED_TO_SUPPORT),
    (S.IN_TRIAGE, S.FORWARDED_TO_SBB),
    (S.REGISTERED_ONLY, S.CLOSED),
    (S.REFERRED_TO_SUPPORT, S.FORWARDED_TO_SBB),
    (S.REFERRED_TO_SUPPORT, S.CLOSED),
    (S.FORWARDED_TO_SBB, S.CLOSED),
}
ALL_PAIRS = list(itertools.product([None, *ReportStatus], list(ReportStatus)))


def test_table_is_exactly_the_designed_one():
    actual = {(src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in targets}
    assert actual == ALLOWED


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED, key=str))
def test_allowed(current, target):
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in ALLOWED], ids=str)
def test_forbidden(current, target):
    with pytest.raises(TransitionNotAllowed) as error:
        check_transition(current, target)
    assert "kan niet naar" in str(error.value)


# --- the same table, through the services that move real reports --------------------------

PATHS = {
    S.RECEIVED: [],
    S.IN_TRIAGE: ["start_triage"],
    S.REGISTERED_ONLY: ["start_triage", "register_only"],
    S.REFERRED_TO_SUPPORT: ["start_triage", "refer"],
    S.FORWARDED_TO_SBB: ["start_triage", "forward"],
    S.CLOSED: ["start_triage", "register_only", "close"],
}
ACTION_TARGET = {
    "start_triage": S.IN_TRIAGE,
    "register_only": S.REGISTERED_ONLY,
    "refer": S.REFERRED_TO_SUPPORT,
    "forward": S.FORWARDED_TO_SBB,
    "close": S.CLOSED,
}


def _do(action: str, user, report: Report) -> Report:
    if action == "start_triage":
        return services.start_triage(acting_user=user, report=report)
    if action == "register_only":
        return services.register_only(acting_user=user, report=report, note="geregistreerd")
    if action == "refer":
        return services.refer_to_support(
            acting_user=user,
            report=report,
            organisation="Vertrouwenspersoon van de school",
            contact_details="mevrouw J. Bakker, vertrouwenspersoon@roc.example.nl",
        )
    if action == "forward":
        return services.forward_to_sbb(
            acting_user=user, report=report, summary="Student werd afgewezen om afkomst."
        )
    return services.close_report(acting_user=user, report=report, note="klaar")


@pytest.fixture
def meldpunt_user(db):
    return f.UserFactory(role=Role.MELDPUNT)


@pytest.mark.django_db
@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.parametrize("action", list(ACTION_TARGET))
def test_service_transitions(meldpunt_user, start, action):
    report = f.submit_report().report
    for step in PATHS[start]:
        report = _do(step, meldpunt_user, report)
    assert report.status == start
    target = ACTION_TARGET[action]
    if target in ALLOWED_TRANSITIONS[start]:
        report = _do(action, meldpunt_user, report)
        report.refresh_from_db()
        assert report.status == target
        last = report.history.order_by("-id").first()
        assert (last.from_status, last.to_status) == (start, target)
        assert AuditLog.objects.filter(
            event_type=AuditEvent.REPORT_STATUS_CHANGED,
            object_id=str(report.pk),
            details__to=target.value,
        ).exists()
        if target == S.CLOSED:
            assert report.closed_at is not None
    else:
        with pytest.raises(TransitionNotAllowed):
            _do(action, meldpunt_user, report)
        report.refresh_from_db()
        assert report.status == start


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STUDENT, Role.ANALYST, Role.SBB_INVESTIGATOR])
def test_only_meldpunt_may_triage(role):
    report = f.submit_report().report
    with pytest.raises(PermissionDenied):
        services.start_triage(acting_user=f.UserFactory(role=role), report=report)
    with pytest.raises(PermissionDenied):
        services.start_triage(acting_user=None, report=report)
