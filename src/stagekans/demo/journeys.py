"""Demo data for issue 9's journeys, built after the scenarios and only through the services:

* two investigation teams routed by sector ("Zorg, welzijn en sport" and a default team for the
  other sectors); the demo onderzoeker and teamleider are in the team whose queue holds the
  forwarded report, the demo onderzoeker2 in the other team, whose queue holds a signal;
* a decided case whose measure asks for revocation, waiting for a first adviser's proposal
  (the adviser then proposes, adviser2 confirms);
* an enrolled student with an open invitation mail in the outbox (the beheerder's
  "Uitgaande mail" page shows it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stagekans.accounts.models import User
from stagekans.cases import services as case_services
from stagekans.cases.models import Case, CaseSource, DecisionOutcome, Measure
from stagekans.cases.workflow import CaseStatus
from stagekans.companies.models import Company
from stagekans.education import services as education_services
from stagekans.education.models import School, Sector
from stagekans.register.models import RevocationRequest
from stagekans.register.selectors import valid_recognitions

if TYPE_CHECKING:
    from stagekans.demo.builder import DemoBuilder

OTHER_SECTORS = [s for s in Sector.values if s != Sector.ZORG]


def build_journeys(
    builder: DemoBuilder, schools: list[School], students: list[Any], companies: list[Company]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    users = {u.username: u for u in User.objects.filter(email__endswith="@demo.stagekans.nl")}
    _revocation_asked(builder, schools, students, companies, users)
    counts["onderzoeksteams"] = _teams(users, companies)
    counts["uitnodigingen studenten"] = _invitation(students)
    return counts


def _teams(users: dict[str, User], companies: list[Company]) -> int:
    zorg = case_services.create_team(
        acting_user=None, name="Team Zorg, welzijn en sport", sectors=[Sector.ZORG]
    )
    other = case_services.create_team(
        acting_user=None,
        name="Team Techniek, economie en overige sectoren",
        sectors=OTHER_SECTORS,
        is_default=True,
    )
    # The demo onderzoeker and teamleider work in the team whose queue holds the forwarded
    # report; onderzoeker2 in the other team.
    waiting = (
        Case.objects.filter(assigned_to__isnull=True, team__isnull=True)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("company")
        .order_by("pk")
        .first()
    )
    sector = getattr(getattr(waiting, "company", None), "sector", "")
    home, away = (zorg, other) if sector == Sector.ZORG else (other, zorg)
    for username in ("onderzoeker", "teamleider"):
        case_services.set_team_member(acting_user=None, user=users[username], team=home)
    case_services.set_team_member(acting_user=None, user=users["onderzoeker2"], team=away)
    case_services.route_unrouted_cases(acting_user=None)
    # A signal about a company of the other team's sector waits in that team's queue.
    away_sectors = [Sector.ZORG] if away == zorg else OTHER_SECTORS
    busy = set(Case.objects.values_list("company_id", flat=True))
    busy |= set(RevocationRequest.objects.values_list("recognition__company_id", flat=True))
    candidate = next((c for c in companies if c.sector in away_sectors and c.pk not in busy), None)
    if candidate is not None:
        case_services.open_case(
            acting_user=None,
            company=candidate,
            summary=(
                "Signaal uit een schoolbezoek: studenten met een hoofddoek krijgen bij dit "
                "leerbedrijf geen uitnodiging voor een gesprek (demo)."
            ),
            source=CaseSource.SIGNAL,
            signal_reference="SIG-DEMO-1",
        )
    return 2


def _revocation_asked(
    builder: DemoBuilder,
    schools: list[School],
    students: list[Any],
    companies: list[Company],
    users: dict[str, User],
) -> None:
    """A case decided with the measure revocation; a first adviser has yet to propose it."""
    from stagekans.demo.scenarios import Scenarios

    busy = set(Case.objects.values_list("company_id", flat=True))
    busy |= set(RevocationRequest.objects.values_list("recognition__company_id", flat=True))
    trainer_companies = set(
        Company.objects.filter(trainers__user=users["praktijkopleider"]).values_list(
            "pk", flat=True
        )
    )
    candidate = next(
        (
            c
            for c in companies
            if c.pk not in busy
            and c.pk not in trainer_companies
            and valid_recognitions().filter(company=c).exists()
        ),
        None,
    )
    if candidate is None:
        return
    scenarios = Scenarios(builder, schools, students, companies)
    case = scenarios._heard(
        candidate,
        "Meerdere studenten werden na een vraag naar hun afkomst zonder gesprek afgewezen (demo).",
    )
    case_services.decide(
        acting_user=users["onderzoeker"],
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons=(
            "Leerbedrijf en school bevestigen dat bij de selectie naar afkomst werd gevraagd en "
            "dat drie studenten daarna zonder gesprek zijn afgewezen. Dat is onderscheid; het "
            "leerbedrijf biedt geen veilige leeromgeving meer."
        ),
        measure=Measure.REVOCATION,
    )


def _invitation(students: list[Any]) -> int:
    """The second demo student has no login yet: an invitation waits in the outbox."""
    invited = next((s for s in students[1:] if s.user_id is None), None)
    if invited is None:
        return 0
    local = "".join(
        ch
        for ch in f"{invited.given_name}.{invited.family_name}".lower()
        if ch.isalnum() or ch == "."
    )
    education_services.invite_student(
        acting_user=None, student=invited, email=f"{local or 'student'}@student.example.nl"
    )
    return 1
