"""Issue 9, defect 2: a report the meldpunt forwards lands in the team's queue of unassigned
cases; an investigator (shipped role, no admin grants) sees it with its service level, opens
it, picks it up, and a team lead ("Teamleider onderzoek") assigns — each with an audit row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import selectors, services
from stagekans.cases.models import Case
from stagekans.meldpunt import services as meldpunt_services
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _forwarded(world) -> Case:
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    report = f.submit_report(company=world.company, company_name="").report
    meldpunt_services.start_triage(acting_user=meldpunt, report=report)
    meldpunt_services.forward_to_sbb(
        acting_user=meldpunt,
        report=report,
        summary="Een studente werd bij de sollicitatie gevraagd naar haar afkomst.",
    )
    return Case.objects.get(source_reports=report)


def test_forwarded_case_is_in_the_team_queue_of_every_investigator(world):
    case = _forwarded(world)
    assert case.assigned_to is None
    for investigator in (world.investigator, world.other_investigator):
        client = _client(investigator)
        page = client.get(reverse("cases:queue"), {"weergave": "unassigned"})
        assert page.status_code == 200
        html = page.content.decode()
        assert case.number in html
        sla = selectors.pick_up_deadline(case)
        assert 'data-testid="sla"' in html
        assert str(sla.day) in html
        assert "Oppakken" in html
        # The case page opens (not 404) and offers the pick-up.
        detail = client.get(reverse("cases:detail", args=[case.pk]))
        assert detail.status_code == 200
        assert "Zaak oppakken" in detail.content.decode()
    # The counter on the queue's front page leads there.
    front = _client(world.investigator).get(reverse("cases:queue")).content.decode()
    assert "1 zaak wacht op een onderzoeker" in front


def test_picking_up_makes_it_mine_with_an_audit_row(world):
    case = _forwarded(world)
    response = _client(world.investigator).post(reverse("cases:pick_up", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == world.investigator
    audit = AuditLog.objects.get(event_type=AuditEvent.CASE_PICKED_UP)
    assert audit.actor == world.investigator and audit.object_id == str(case.pk)
    # Now the investigator works on it ...
    services.start_investigation(acting_user=world.investigator, case=case)
    # ... and it left the queue: a colleague no longer sees it, nor can take it.
    other = _client(world.other_investigator)
    assert other.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not selectors.work_queue(world.other_investigator, "unassigned").exists()
    with pytest.raises(ValidationError) as error:
        services.pick_up_case(acting_user=world.other_investigator, case=case)
    assert "al opgepakt" in str(error.value)
    assert AuditLog.objects.filter(event_type=AuditEvent.CASE_PICKED_UP).count() == 1


def test_an_unpicked_case_cannot_be_worked_on(world):
    case = _forwarded(world)
    with pytest.raises(PermissionDenied):
        services.start_investigation(acting_user=world.investigator, case=case)


def test_team_lead_role_assigns_with_audit_and_mail(world):
    case = _forwarded(world)
    lead = f.UserFactory(role=Role.SBB_TEAM_LEAD, username="teamleider")
    world.other_investigator.email = "onderzoeker2@sbb.nl"
    world.other_investigator.save()
    client = _client(lead)
    assert client.get(reverse("cases:queue"), {"weergave": "unassigned"}).status_code == 200
    response = client.post(
        reverse("cases:assign", args=[case.pk]), {"assign-assignee": world.other_investigator.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == world.other_investigator
    audit = AuditLog.objects.get(event_type=AuditEvent.CASE_ASSIGNED)
    assert audit.actor == lead and audit.details["to"] == world.other_investigator.pk
    assert OutboxMessage.objects.filter(to="onderzoeker2@sbb.nl").count() == 1


def test_an_investigator_cannot_assign(world):
    case = _forwarded(world)
    with pytest.raises(PermissionDenied):
        services.assign_case(
            acting_user=world.investigator, case=case, assignee=world.other_investigator
        )


def test_other_roles_do_not_see_the_queue(world):
    case = _forwarded(world)
    for user in (world.advisor, world.trainer, world.staff, f.UserFactory(role=Role.MELDPUNT)):
        assert not selectors.cases_visible_to(user).filter(pk=case.pk).exists()
        assert _client(user).get(reverse("cases:queue")).status_code == 403
