"""Investigation teams: creating a team with the sectors it covers, and putting an SBB officer
in a team. The routing of new cases to a team lives in cases.selectors.route_to_team."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.cases.models import (
    InvestigationTeam,
    InvestigationTeamMember,
    InvestigationTeamSector,
)
from stagekans.education.models import Sector


def _require_team_manager(acting_user: Any) -> None:
    """A beheerder (or a system step such as the demo, acting_user None) manages teams."""
    if acting_user is not None and not acting_user.has_perm("cases.change_investigationteam"):
        raise PermissionDenied(_("U mag geen onderzoeksteams beheren."))


@transaction.atomic
def create_team(
    *, acting_user: Any, name: str, sectors: Iterable[str] = (), is_default: bool = False
) -> InvestigationTeam:
    _require_team_manager(acting_user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Naam: vul de naam van het team in.")})
    if InvestigationTeam.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Naam: er is al een team met deze naam.")})
    wanted = sorted(set(sectors))
    unknown = [s for s in wanted if s not in Sector.values]
    if unknown:
        raise ValidationError({"sectors": _("Sector: onbekende sector %(s)s.") % {"s": unknown}})
    taken = list(InvestigationTeamSector.objects.filter(sector__in=wanted).select_related("team"))
    if taken:
        raise ValidationError(
            {
                "sectors": _("Sector: %(sector)s hoort al bij team %(team)s.")
                % {"sector": Sector(taken[0].sector).label, "team": taken[0].team}
            }
        )
    if is_default and InvestigationTeam.objects.filter(is_default=True).exists():
        raise ValidationError({"is_default": _("Er is al een standaardteam.")})
    team = InvestigationTeam.objects.create(name=name, is_default=is_default)
    InvestigationTeamSector.objects.bulk_create(
        InvestigationTeamSector(team=team, sector=sector) for sector in wanted
    )
    record(
        actor=acting_user,
        event=AuditEvent.INVESTIGATION_TEAM_CREATED,
        obj=team,
        details={"name": name, "sectors": wanted, "is_default": is_default},
    )
    return team


@transaction.atomic
def set_team_member(
    *, acting_user: Any, user: Any, team: InvestigationTeam | None
) -> InvestigationTeamMember | None:
    """Put an SBB officer (investigator or team lead) in a team, move them, or (team None)
    take them out of their team. Cases already assigned to them stay theirs."""
    _require_team_manager(acting_user)
    if team is not None and not (
        user.has_perm("cases.investigate_case") or user.has_perm("cases.view_team_cases")
    ):
        raise ValidationError(
            {"user": _("Medewerker: alleen onderzoekers en teamleiders horen bij een team.")}
        )
    current = InvestigationTeamMember.objects.select_for_update().filter(user=user).first()
    previous = current.team_id if current is not None else None
    if team is None:
        if current is not None:
            current.delete()
        membership = None
    elif current is None:
        membership = InvestigationTeamMember.objects.create(team=team, user=user)
    else:
        current.team = team
        current.save(update_fields=["team"])
        membership = current
    record(
        actor=acting_user,
        event=AuditEvent.INVESTIGATION_TEAM_MEMBER_SET,
        obj=user,
        details={"from": previous, "to": team.pk if team is not None else None},
    )
    return membership


@transaction.atomic
def route_unrouted_cases(*, acting_user: Any) -> int:
    """When teams are first set up (or after a default team is added): give every open case
    without a team one, by the same rule as a new case — an assigned case goes to its
    investigator's team, an unassigned one by the company's sector or to the default team.
    One CASE_ROUTED audit row per case; returns how many were routed."""
    from stagekans.cases import selectors
    from stagekans.cases.models import Case
    from stagekans.cases.workflow import OPEN_STATUSES

    _require_team_manager(acting_user)
    routed = 0
    cases = (
        Case.objects.select_for_update(of=("self",))
        .filter(team__isnull=True, status__in=OPEN_STATUSES)
        .select_related("company", "assigned_to")
        .order_by("pk")
    )
    for case in cases:
        by_assignee = selectors.team_of(case.assigned_to) if case.assigned_to else None
        team = by_assignee or selectors.route_to_team(case.company)
        if team is None:
            continue
        case.team = team
        case.save(update_fields=["team"])
        sector = getattr(case.company, "sector", "") or ""
        if by_assignee is not None:
            rule = "assignee"
        elif sector and team.sectors.filter(sector=sector).exists():
            rule = "sector"
        else:
            rule = "default"
        record(
            actor=acting_user,
            event=AuditEvent.CASE_ROUTED,
            obj=case,
            details={"team": team.pk, "rule": rule, "sector": sector},
        )
        routed += 1
    return routed
