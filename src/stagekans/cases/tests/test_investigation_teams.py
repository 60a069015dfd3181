"""Issue 9, defect 2: a queue of unassigned cases per investigation team.

Routing (docs/adr/0900-investigation-teams.md): a forwarded report goes to the team covering
its company's sector, else to the default team. An investigator sees and picks up only their
own team's unassigned cases; the team lead sees and assigns within their team only. Pick-up,
assignment and routing each write an audit row; the SLA shows in the team's queue.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from stagekans.accounts.roles import Role
from stagekans.audit.models import AuditEvent, AuditLog
from stagekans.cases import selectors, services
from stagekans.cases.models import Case, CaseSource
from stagekans.education.models import Sector
from stagekans.meldpunt import services as meldpunt_services
from stagekans.testing import factories as f
from stagekans.testing.teams import team, team_member


class Teams:
    def __init__(self) -> None:
        self.zorg = team("Team Zorg en Welzijn", sectors=(Sector.ZORG,))
        self.other = team(
            "Team Techniek en overige sectoren", sectors=(Sector.TECHNIEK,), is_default=True
        )
        self.zorg_investigator = team_member(self.zorg, username="onderzoeker_zorg")
        self.zorg_lead = team_member(self.zorg, role=Role.SBB_TEAM_LEAD, username="lead_zorg")
        self.other_investigator = team_member(self.other, username="onderzoeker_techniek")
        self.other_lead = team_member(self.other, role=Role.SBB_TEAM_LEAD, username="lead_techniek")
        self.meldpunt = f.UserFactory(role=Role.MELDPUNT)

    def forwarded(self, sector: str) -> Case:
        company = f.CompanyFactory(sector=sector)
        report = f.submit_report(company=company, company_name="").report
        meldpunt_services.start_triage(acting_user=self.meldpunt, report=report)
        meldpunt_services.forward_to_sbb(
            acting_user=self.meldpunt,
            report=report,
            summary="Een studente werd bij de sollicitatie gevraagd naar haar afkomst.",
        )
        return Case.objects.get(source_reports=report)

    def forwarded_without_company(self) -> Case:
        report = f.submit_report(company=None, company_name="Bakkerij zonder KvK").report
        meldpunt_services.start_triage(acting_user=self.meldpunt, report=report)
        meldpunt_services.forward_to_sbb(
            acting_user=self.meldpunt,
            report=report,
            summary="Een studente werd bij de sollicitatie gevraagd naar haar afkomst.",
        )
        return Case.objects.get(source_reports=report)


@pytest.fixture
def teams(db) -> Teams:
    return Teams()


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- routing -------------------------------------------------------------------------------------


def test_routing_by_sector_then_default(teams):
    zorg = teams.forwarded(Sector.ZORG)
    techniek = teams.forwarded(Sector.TECHNIEK)
    handel = teams.forwarded(Sector.HANDEL)  # no team covers it: the default team
    unknown = teams.forwarded_without_company()
    assert zorg.team == teams.zorg
    assert techniek.team == teams.other
    assert handel.team == teams.other
    assert unknown.team == teams.other
    rules = {
        int(row.object_id): row.details["rule"]
        for row in AuditLog.objects.filter(event_type=AuditEvent.CASE_ROUTED)
    }
    assert rules == {
        zorg.pk: "sector",
        techniek.pk: "sector",
        handel.pk: "default",
        unknown.pk: "default",
    }


def test_without_teams_a_case_has_no_team_and_every_investigator_sees_it(db):
    investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR)
    meldpunt = f.UserFactory(role=Role.MELDPUNT)
    report = f.submit_report(company=f.CompanyFactory(), company_name="").report
    meldpunt_services.start_triage(acting_user=meldpunt, report=report)
    meldpunt_services.forward_to_sbb(
        acting_user=meldpunt, report=report, summary="Afwijzing na een vraag naar afkomst."
    )
    case = Case.objects.get(source_reports=report)
    assert case.team is None
    assert list(selectors.work_queue(investigator, "unassigned")) == [case]
    assert not AuditLog.objects.filter(event_type=AuditEvent.CASE_ROUTED).exists()


def test_a_sector_belongs_to_one_team_and_there_is_one_default(teams):
    with pytest.raises(ValidationError):
        services.create_team(acting_user=None, name="Nog een zorgteam", sectors=[Sector.ZORG])
    with pytest.raises(ValidationError):
        services.create_team(acting_user=None, name="Tweede standaard", is_default=True)
    with pytest.raises(PermissionDenied):
        services.create_team(
            acting_user=teams.zorg_lead, name="Eigen team", sectors=[Sector.HANDEL]
        )
    admin = f.UserFactory(role=Role.ADMIN)
    created = services.create_team(acting_user=admin, name="Team Handel", sectors=[Sector.HANDEL])
    assert AuditLog.objects.filter(
        event_type=AuditEvent.INVESTIGATION_TEAM_CREATED, object_id=str(created.pk)
    ).exists()
    assert teams.forwarded(Sector.HANDEL).team == created


# --- scoping: queue, pick-up, assignment ---------------------------------------------------------


def test_each_investigator_sees_only_their_teams_queue(teams):
    zorg = teams.forwarded(Sector.ZORG)
    techniek = teams.forwarded(Sector.TECHNIEK)
    assert list(selectors.work_queue(teams.zorg_investigator, "unassigned")) == [zorg]
    assert list(selectors.work_queue(teams.other_investigator, "unassigned")) == [techniek]
    assert list(selectors.work_queue(teams.zorg_lead, "unassigned")) == [zorg]
    # The pages agree: the queue lists the own team's case with its SLA, the other team's case
    # answers 404.
    client = _client(teams.zorg_investigator)
    html = client.get(reverse("cases:queue"), {"weergave": "unassigned"}).content.decode()
    assert zorg.number in html and techniek.number not in html
    assert 'data-testid="sla"' in html
    assert "Team Zorg en Welzijn" in html
    assert client.get(reverse("cases:detail", args=[zorg.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[techniek.pk])).status_code == 404
    assert client.post(reverse("cases:pick_up", args=[techniek.pk])).status_code == 404


def test_pick_up_only_from_own_team_with_audit(teams):
    techniek = teams.forwarded(Sector.TECHNIEK)
    with pytest.raises(PermissionDenied):
        services.pick_up_case(acting_user=teams.zorg_investigator, case=techniek)
    services.pick_up_case(acting_user=teams.other_investigator, case=techniek)
    techniek.refresh_from_db()
    assert techniek.assigned_to == teams.other_investigator
    row = AuditLog.objects.get(event_type=AuditEvent.CASE_PICKED_UP, object_id=str(techniek.pk))
    assert row.actor == teams.other_investigator
    assert row.details["team"] == teams.other.pk


def test_team_lead_assigns_within_the_team_only(teams):
    zorg = teams.forwarded(Sector.ZORG)
    techniek = teams.forwarded(Sector.TECHNIEK)
    # Not to an investigator of another team.
    with pytest.raises(ValidationError) as error:
        services.assign_case(
            acting_user=teams.zorg_lead, case=zorg, assignee=teams.other_investigator
        )
    assert "Team Zorg en Welzijn" in str(error.value)
    # Not a case of another team.
    with pytest.raises(PermissionDenied):
        services.assign_case(
            acting_user=teams.zorg_lead, case=techniek, assignee=teams.other_investigator
        )
    services.assign_case(acting_user=teams.zorg_lead, case=zorg, assignee=teams.zorg_investigator)
    row = AuditLog.objects.get(event_type=AuditEvent.CASE_ASSIGNED, object_id=str(zorg.pk))
    assert row.actor == teams.zorg_lead and row.details["team"] == teams.zorg.pk
    # The case page's assign form offers only the team's investigators.
    html = _client(teams.zorg_lead).get(reverse("cases:detail", args=[zorg.pk])).content.decode()
    assert "onderzoeker_zorg" in html or teams.zorg_investigator.get_full_name() in html
    assert "onderzoeker_techniek" not in html
    assert teams.other_investigator.get_full_name() not in html


def test_a_case_stays_visible_to_its_investigator_after_a_team_move(teams):
    zorg = teams.forwarded(Sector.ZORG)
    services.pick_up_case(acting_user=teams.zorg_investigator, case=zorg)
    services.set_team_member(acting_user=None, user=teams.zorg_investigator, team=teams.other)
    assert selectors.cases_visible_to(teams.zorg_investigator).filter(pk=zorg.pk).exists()
    assert AuditLog.objects.filter(event_type=AuditEvent.INVESTIGATION_TEAM_MEMBER_SET).count() == 5


QUEUE_STATUS = {
    "anon": 302,
    "student": 403,
    "trainer": 403,
    "advisor": 403,
    "meldpunt": 403,
    "zorg_investigator": 200,
    "other_investigator": 200,
    "zorg_lead": 200,
    "other_lead": 200,
}
# The Zorg team's unassigned case: only the Zorg team sees it.
DETAIL_STATUS = {
    "anon": 302,
    "student": 403,
    "trainer": 403,
    "advisor": 403,
    "meldpunt": 403,
    "zorg_investigator": 200,
    "other_investigator": 404,
    "zorg_lead": 200,
    "other_lead": 404,
}


def _role_user(teams, role: str):
    return {
        "anon": None,
        "student": f.student_user(f.StudentFactory()),
        "trainer": f.trainer_user(f.CompanyFactory()),
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
        "meldpunt": teams.meldpunt,
        "zorg_investigator": teams.zorg_investigator,
        "other_investigator": teams.other_investigator,
        "zorg_lead": teams.zorg_lead,
        "other_lead": teams.other_lead,
    }[role]


@pytest.mark.parametrize("role", list(QUEUE_STATUS))
def test_role_by_page(teams, role):
    zorg = teams.forwarded(Sector.ZORG)
    client = _client(_role_user(teams, role))
    queue = client.get(reverse("cases:queue"), {"weergave": "unassigned"})
    assert queue.status_code == QUEUE_STATUS[role]
    detail = client.get(reverse("cases:detail", args=[zorg.pk]))
    assert detail.status_code == DETAIL_STATUS[role]
    if queue.status_code == 200:
        in_queue = zorg.number in queue.content.decode()
        assert in_queue == (DETAIL_STATUS[role] == 200)


def test_routing_existing_cases_when_teams_are_set_up(db):
    """Cases opened before any team existed get a team once teams are configured."""
    investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR)
    own = f.investigation_case(
        company=f.CompanyFactory(sector=Sector.ZORG), investigator=investigator
    )
    signal = services.open_case(
        acting_user=None,
        company=f.CompanyFactory(sector=Sector.HANDEL),
        summary="Signaal: afwijzing na een vraag naar afkomst (test).",
        source=CaseSource.SIGNAL,
    )
    assert own.team is None and signal.team is None
    other = team("Team Techniek", sectors=(Sector.TECHNIEK,), is_default=True)
    zorg = team("Team Zorg", sectors=(Sector.ZORG,))
    services.set_team_member(acting_user=None, user=investigator, team=other)
    assert services.route_unrouted_cases(acting_user=None) == 2
    own.refresh_from_db()
    signal.refresh_from_db()
    assert own.team == other  # its investigator's team, not the sector's (Zorg)
    assert signal.team == other  # Handel: no team covers it, so the default team
    assert zorg.cases.count() == 0
    rules = sorted(
        AuditLog.objects.filter(event_type=AuditEvent.CASE_ROUTED).values_list(
            "details__rule", flat=True
        )
    )
    assert rules == ["assignee", "default"]
    assert services.route_unrouted_cases(acting_user=None) == 0


def test_team_lead_overview_lists_every_open_case_of_the_team_only(teams):
    zorg = teams.forwarded(Sector.ZORG)
    picked = teams.forwarded(Sector.ZORG)
    services.pick_up_case(acting_user=teams.zorg_investigator, case=picked)
    techniek = teams.forwarded(Sector.TECHNIEK)
    overview = selectors.work_queue(teams.zorg_lead, "team")
    assert set(overview) == {zorg, picked}
    assert not selectors.work_queue(teams.zorg_investigator, "team").exists()
    html = (
        _client(teams.zorg_lead).get(reverse("cases:queue"), {"weergave": "team"}).content.decode()
    )
    assert zorg.number in html and picked.number in html and techniek.number not in html
    # An investigator asking for the team overview gets their own queue instead.
    own = _client(teams.zorg_investigator).get(reverse("cases:queue"), {"weergave": "team"})
    assert "Alle zaken van het team" not in own.content.decode()
