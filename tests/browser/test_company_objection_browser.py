"""The learning company objects to a decision in its own portal, in a real browser; axe checks
the page with the form, with a validation error and after the objection was received."""

from __future__ import annotations

import pytest

from stagekans.accounts.roles import Role
from stagekans.cases import services
from stagekans.cases.models import Case, DecisionOutcome, Measure, Party
from stagekans.cases.workflow import CaseStatus
from stagekans.testing import factories as f

from .test_cases_browser import _login

pytestmark = pytest.mark.django_db(transaction=True)


def test_company_objects_in_its_portal(page, axe):
    company = f.VacancyFactory(publish=True).company
    trainer = f.trainer_user(company, username="opleider")
    school = f.SchoolFactory()
    staff = f.school_staff_user(school, username="coordinator")
    investigator = f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker")
    case = f.investigation_case(company=company, investigator=investigator)
    services.start_investigation(acting_user=investigator, case=case)
    company_h = services.request_hearing(
        acting_user=investigator, case=case, party=Party.COMPANY, questions="Hoe selecteert u?"
    )
    school_h = services.request_hearing(
        acting_user=investigator,
        case=case,
        party=Party.SCHOOL,
        school=school,
        questions="Wat weet de school hiervan?",
    )
    services.respond_to_hearing(
        acting_user=trainer, hearing=company_h, statement="Wij selecteren op motivatie."
    )
    services.respond_to_hearing(
        acting_user=staff, hearing=school_h, statement="De student meldde het ons direct."
    )
    services.start_assessment(acting_user=investigator, case=case)
    services.decide(
        acting_user=investigator,
        case=case,
        outcome=DecisionOutcome.ESTABLISHED,
        reasons="Het onderscheid bij de selectie van stagiairs staat vast.",
        measure=Measure.NONE,
    )

    _login(page, "opleider")
    page.goto(f"/onderzoek/verzoeken/{company_h.pk}/")
    assert page.get_by_test_id("objection-deadline").is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Bezwaar maken").click()
    assert "Gronden" in page.get_by_role("alert").first.inner_text()
    axe.assert_no_violations(page)
    page.get_by_label("Gronden van het bezwaar").fill(
        "Wij zijn het niet eens met de weging van de verklaringen."
    )
    page.get_by_role("button", name="Bezwaar maken").click()
    page.wait_for_url(f"**/onderzoek/verzoeken/{company_h.pk}/")
    assert "Uw bezwaar is ontvangen" in page.content()
    assert page.get_by_role("button", name="Bezwaar maken").count() == 0
    axe.assert_no_violations(page)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OBJECTION
