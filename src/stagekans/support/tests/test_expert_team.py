"""The expert team: transition table, services, scoping and the adviescommissie overview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.notifications.models import OutboxMessage
from stagekans.support import selectors, services
from stagekans.support.models import SupportRequest
from stagekans.support.workflow import (
    ALLOWED_TRANSITIONS,
    SupportRequestStatus,
    TransitionNotAllowed,
    check_transition,
)
from stagekans.testing import factories as f
from stagekans.testing.support import support_request

S = SupportRequestStatus


@pytest.mark.parametrize(
    ("current", "target"),
    [(None, S.NEW), (S.NEW, S.TAKEN), (S.TAKEN, S.ADVICE_GIVEN), (S.ADVICE_GIVEN, S.CLOSED)],
)
def test_allowed_transitions(current, target):
    check_transition(current, target)


def test_every_other_transition_is_forbidden():
    allowed = {(c, t) for c, targets in ALLOWED_TRANSITIONS.items() for t in targets}
    assert len(allowed) == 4
    for current in [None, *S]:
        for target in S:
            if (current, target) not in allowed:
                with pytest.raises(TransitionNotAllowed):
                    check_transition(current, target)


@pytest.fixture
def world(db):
    school = f.SchoolFactory()
    company = f.CompanyFactory()
    return {
        "school_staff": f.school_staff_user(school),
        "other_school_staff": f.school_staff_user(f.SchoolFactory()),
        "trainer": f.trainer_user(company),
        "other_trainer": f.trainer_user(f.CompanyFactory()),
        "member": f.UserFactory(role=Role.EXPERT_TEAM, email="team1@example.nl"),
        "colleague": f.UserFactory(role=Role.EXPERT_TEAM),
        "analyst": f.UserFactory(role=Role.ANALYST),
    }


def test_request_from_school_and_company(world):
    from_school = support_request(requester=world["school_staff"])
    from_company = support_request(requester=world["trainer"], urgency="high")
    assert from_school.school is not None and from_school.company is None
    assert from_company.company is not None and from_company.school is None
    assert from_school.status == S.NEW
    assert list(selectors.requests_visible_to(world["school_staff"])) == [from_school]
    assert list(selectors.requests_visible_to(world["trainer"])) == [from_company]
    assert not selectors.requests_visible_to(world["other_school_staff"]).exists()
    assert not selectors.requests_visible_to(world["other_trainer"]).exists()
    assert not selectors.requests_visible_to(world["analyst"]).exists()
    assert set(selectors.requests_visible_to(world["member"])) == {from_school, from_company}
    # most urgent first
    assert selectors.team_queue(world["member"]).first() == from_company


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "x"}, "topic"),
        ({"urgency": ""}, "urgency"),
        ({"description": " "}, "description"),
    ],
)
def test_bad_request_is_refused(world, overrides, field):
    with pytest.raises(ValidationError) as error:
        support_request(requester=world["school_staff"], **overrides)
    assert field in error.value.error_dict
    assert not SupportRequest.objects.exists()


def test_only_schools_and_companies_ask(world):
    with pytest.raises(PermissionDenied):
        support_request(requester=world["member"])


def test_full_workflow_with_advice_follow_up_and_close(world):
    item = support_request(requester=world["school_staff"])
    item.created_at = timezone.now() - dt.timedelta(hours=30)
    item.save(update_fields=["created_at"])
    services.take_request(acting_user=world["member"], request=item)
    with pytest.raises(TransitionNotAllowed):
        services.take_request(acting_user=world["colleague"], request=item)
    with pytest.raises(ValidationError):
        services.give_advice(acting_user=world["colleague"], request=item, body="Mijn advies")
    with pytest.raises(ValidationError):
        services.log_follow_up(acting_user=world["member"], request=item, body="Te vroeg")
    with pytest.raises(ValidationError):
        services.give_advice(acting_user=world["member"], request=item, body="  ")
    services.give_advice(
        acting_user=world["member"], request=item, body="Gebruik vaste criteria vooraf."
    )
    services.log_follow_up(acting_user=world["member"], request=item, body="Nagebeld: gelukt.")
    item.refresh_from_db()
    assert item.status == S.ADVICE_GIVEN
    assert item.first_response_at is not None
    services.close_request(acting_user=world["member"], request=item)
    item.refresh_from_db()
    assert item.status == S.CLOSED and item.closed_at is not None
    assert [h.to_status for h in item.history.all()] == [S.NEW, S.TAKEN, S.ADVICE_GIVEN, S.CLOSED]
    assert item.entries.count() == 2
    assert OutboxMessage.objects.filter(to=world["school_staff"].email).count() == 2
    events = set(
        AuditLog.objects.filter(
            object_id=str(item.pk), object_type="support.supportrequest"
        ).values_list("event_type", flat=True)
    )
    assert {
        AuditEvent.SUPPORT_REQUEST_SUBMITTED,
        AuditEvent.SUPPORT_REQUEST_STATUS_CHANGED,
        AuditEvent.SUPPORT_ENTRY_LOGGED,
    } <= events
    with pytest.raises(TransitionNotAllowed):
        services.close_request(acting_user=world["member"], request=item)


def test_requesters_cannot_handle(world):
    item = support_request(requester=world["school_staff"])
    with pytest.raises(PermissionDenied):
        services.take_request(acting_user=world["school_staff"], request=item)
    client = Client()
    client.force_login(world["school_staff"])
    response = client.post(f"/steun/hulpvragen/{item.pk}/actie/", {"action": "take"})
    assert response.status_code == 403


def test_overview_for_the_adviescommissie_is_suppressed(world, settings):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = 3
    for _ in range(4):
        support_request(requester=world["school_staff"], topic="recruitment", urgency="normal")
    lone = support_request(requester=world["trainer"], topic="incident", urgency="high")
    services.take_request(acting_user=world["member"], request=lone)
    services.give_advice(acting_user=world["member"], request=lone, body="Advies")
    data = selectors.support_overview(world["analyst"])
    table = data["table"]
    recruitment = table.row_keys.index("recruitment")
    incident = table.row_keys.index("incident")
    assert table.cells[recruitment][table.column_keys.index("normal")] == 4
    assert table.cells[incident][table.column_keys.index("high")] is None
    assert all(not (1 <= v < 3) for v in table.published_values())
    medians = {m.key: m for m in data["medians"]}
    assert medians["incident"].hidden and medians["incident"].median_hours is None
    client = Client()
    client.force_login(world["analyst"])
    page = client.get("/steun/deskundig-team/overzicht/").content.decode()
    assert "afgeschermd" in page
    assert world["trainer"].trainer.company.name not in page
