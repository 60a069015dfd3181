from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from stagekans.accounts.roles import Role
from stagekans.cases import services
from stagekans.cases.models import Case, HearingRequest, Party
from stagekans.testing import factories as f


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class World:
    """A recognised company with a trainer and a published vacancy, a school with staff, two
    investigators and two SBB advisers (the first proposes a revocation, the second approves)."""

    def __init__(self) -> None:
        self.vacancy = f.VacancyFactory(publish=True)
        self.company = self.vacancy.company
        self.trainer = f.trainer_user(self.company, email="opleider@bedrijf.nl")
        self.school = f.SchoolFactory()
        self.staff = f.school_staff_user(self.school, email="coordinator@school.nl")
        self.investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker1")
        self.other_investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker2")
        self.advisor = f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur1")
        self.proposing_advisor = f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur2")

    def case(self) -> Case:
        return f.investigation_case(company=self.company, investigator=self.investigator)

    def heard(self, case: Case | None = None) -> tuple[Case, HearingRequest, HearingRequest]:
        """A case in hearing with formal requests to the company and the school."""
        case = case or self.case()
        services.start_investigation(acting_user=self.investigator, case=case)
        company_h = services.request_hearing(
            acting_user=self.investigator,
            case=case,
            party=Party.COMPANY,
            questions="Hoe verloopt uw selectie van stagiairs?",
        )
        school_h = services.request_hearing(
            acting_user=self.investigator,
            case=case,
            party=Party.SCHOOL,
            school=self.school,
            questions="Wat weet de school van deze sollicitatie?",
        )
        case.refresh_from_db()
        return case, company_h, school_h

    def responded(self) -> Case:
        case, company_h, school_h = self.heard()
        services.respond_to_hearing(
            acting_user=self.trainer, hearing=company_h, statement="Wij selecteren op motivatie."
        )
        services.respond_to_hearing(
            acting_user=self.staff, hearing=school_h, statement="De student meldde het ons direct."
        )
        services.start_assessment(acting_user=self.investigator, case=case)
        case.refresh_from_db()
        return case


@pytest.fixture
def world(db: Any) -> World:
    return World()
