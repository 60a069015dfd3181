"""Factories for investigation teams (issue 9): two teams routed by sector, with members."""

from __future__ import annotations

from typing import Any

from stagekans.accounts.roles import Role
from stagekans.cases import services as case_services
from stagekans.cases.models import InvestigationTeam
from stagekans.testing import factories as f


def team(
    name: str, *, sectors: tuple[str, ...] = (), is_default: bool = False, members: Any = ()
) -> InvestigationTeam:
    created = case_services.create_team(
        acting_user=None, name=name, sectors=sectors, is_default=is_default
    )
    for user in members:
        case_services.set_team_member(acting_user=None, user=user, team=created)
    return created


def team_member(
    team: InvestigationTeam, *, role: Role = Role.SBB_INVESTIGATOR, **kwargs: Any
) -> Any:
    user = f.UserFactory(role=role, **kwargs)
    case_services.set_team_member(acting_user=None, user=user, team=team)
    return user
