"""Issue 9, browser story 1 — the chain across roles, every page checked by axe:

a student files a report (with consent) → the meldpunt triages and forwards it → an onderzoeker
finds it in the team's queue of unassigned cases, picks it up and runs hoor en wederhoor → the
company and the school reply in their own portals → decision with a letter, whose measure asks
for revocation → SBB adviser 1 proposes the revocation → SBB adviser 2 (another adviser) sees
the effects and confirms (four eyes) → the company sees the decision and the revocation mail →
the vacancy is gone from the public search → the school sees a task.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from stagekans.accounts.roles import Role
from stagekans.cases.models import Case
from stagekans.meldpunt.models import Report
from stagekans.notifications.models import OutboxMessage
from stagekans.register.models import RevocationRequest
from stagekans.testing import factories as f
from stagekans.worklist.models import SchoolTask, SchoolTaskKind
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _search_stagemarkt(page) -> str:
    page.goto("/stagemarkt/")
    page.get_by_role("button", name="Zoeken").click()
    # htmx swaps the results in and pushes the query into the URL: wait for both.
    page.wait_for_url(re.compile(r"/stagemarkt/\?"))
    page.wait_for_load_state("networkidle")
    return page.locator("#resultaten").inner_html()


def test_report_to_revocation_across_roles(page, axe):
    vacancy = f.VacancyFactory(publish=True, title="Stage bij Bakkerij Korstmos")
    company = vacancy.company
    f.trainer_user(company, username="opleider", email="opleider@korstmos.nl")
    school = f.SchoolFactory(name="ROC Midden")
    f.school_staff_user(school, username="coordinator", email="coordinator@rocmidden.nl")
    # A name with the particle "die": the summary "godsdienst" must not be refused (defect 3).
    student = f.StudentFactory(
        programme=f.ProgrammeFactory(school=school), given_name="Mia", family_name="van die Berg"
    )
    f.student_user(student, username="student")
    f.UserFactory(role=Role.MELDPUNT, username="meldpunt")
    f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker")
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur")
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur2")
    assert "Stage bij Bakkerij Korstmos" in _search_stagemarkt(page)

    # 1. The student reports, logged in, and consents to sharing her identity with SBB.
    login(page, "student")
    page.goto("/meldpunt/")
    page.get_by_label("Het overkwam mij (student)").check()
    page.get_by_label("Wat is er gebeurd?").fill(
        "Bij het gesprek zei de eigenaar dat hij geen stagiairs met een hoofddoek aanneemt."
    )
    page.get_by_label("Wanneer gebeurde het?").fill("2026-03-02")
    page.get_by_label("Bij het zoeken van een stage (werving en selectie)").check()
    page.get_by_label("Godsdienst").check()
    page.get_by_label("Zoek het bedrijf in het register").fill(company.name)
    page.get_by_role("button", name="Zoek bedrijf").click()
    page.get_by_label(re.compile(re.escape(company.name))).first.check()
    page.get_by_label("Ik wil dat SBB het leerbedrijf onderzoekt").check()
    page.get_by_label(re.compile("mag mijn naam en contactgegevens aan SBB geven")).check()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_url(re.compile(r"/meldpunt/ontvangen/$"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Dank je wel, je melding is ontvangen"
    )
    axe.assert_no_violations(page)
    report = Report.objects.get()
    assert report.company == company

    # 2. The meldpunt triages and forwards with an anonymised summary.
    login(page, "meldpunt")
    page.goto("/meldpunt/werkvoorraad/")
    page.get_by_role("link", name=report.reference).click()
    page.get_by_role("button", name="In behandeling nemen").click()
    page.get_by_label("Geanonimiseerde samenvatting voor SBB").fill(
        "Een studente werd bij de sollicitatie afgewezen vanwege haar godsdienst (hoofddoek)."
    )
    page.get_by_role("button", name="Zaak openen bij SBB").click()
    axe.assert_no_violations(page)
    case = Case.objects.get()
    assert case.assigned_to is None

    # 3. An onderzoeker (shipped role, no admin grants) sees it in the team queue, picks it up.
    login(page, "onderzoeker")
    page.goto("/onderzoek/")
    page.get_by_role("link", name=re.compile("wacht op een onderzoeker")).click()
    assert case.number in page.content()
    assert page.get_by_test_id("sla").first.is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name=f"Oppakken {case.number}").click()
    assert "U heeft de zaak opgepakt" in page.content()
    assert "Mia van die Berg" in page.get_by_test_id("reporters").inner_text()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Onderzoek starten").click()
    page.get_by_label("Partij", exact=True).select_option("company")
    page.get_by_label("Vragen aan de partij").fill("Hoe selecteert u stagiairs? Graag uw kant.")
    page.get_by_role("button", name="Verzoek versturen").click()
    page.get_by_label("Partij", exact=True).select_option("school")
    page.locator("#id_hearing-school").select_option(label="ROC Midden")
    page.get_by_label("Vragen aan de partij").fill("Wat weet de school van deze sollicitatie?")
    page.get_by_role("button", name="Verzoek versturen").click()
    assert page.get_by_test_id("status").inner_text() == "hoor en wederhoor"
    axe.assert_no_violations(page)

    # 4. The company and the school reply in their portals (never seeing who reported).
    for username, answer in (
        ("opleider", "Wij selecteren op motivatie; wij betreuren de gang van zaken."),
        ("coordinator", "De studente meldde het ons dezelfde dag; wij steunen haar."),
    ):
        login(page, username)
        page.get_by_role("link", name="Verzoeken van SBB").first.click()
        page.get_by_role("link", name=case.number).click()
        assert "vanwege haar godsdienst" in page.content()
        assert "Mia" not in page.content() and "van die Berg" not in page.content()
        axe.assert_no_violations(page)
        page.get_by_label("Uw reactie").fill(answer)
        page.get_by_role("button", name="Reactie versturen").click()
        assert "Uw reactie is ontvangen" in page.content()

    # 5. Decision with a letter; its measure asks SBB's advisers for the revocation.
    login(page, "onderzoeker")
    page.goto(f"/onderzoek/{case.pk}/")
    page.get_by_role("button", name="Naar beoordeling").click()
    page.get_by_label("Besluit", exact=True).select_option("established")
    page.get_by_label("Motivering").fill(
        "Beide partijen bevestigen dat naar de hoofddoek werd gevraagd; dat is onderscheid."
    )
    page.get_by_label("Maatregel", exact=True).select_option("revocation")
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert "Het besluit is vastgelegd" in page.content()
    assert page.get_by_test_id("revocation-asked").is_visible()
    axe.assert_no_violations(page)
    letter_link = page.get_by_role("link", name=re.compile("Besluitbrief van"))
    letter = page.request.get(letter_link.get_attribute("href"))
    assert letter.ok and letter.body().startswith(b"%PDF")
    assert not RevocationRequest.objects.exists()

    # 6a. Adviser 1 proposes the revocation the decision asks for (the first officer).
    login(page, "adviseur")
    page.goto("/erkenningen/intrekkingen/")
    assert case.number in page.get_by_test_id("asks").inner_text()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=re.compile("Intrekking voorstellen")).click()
    assert "Mia" not in page.content() and "van die Berg" not in page.content()
    assert "1 school krijgt een taak" in page.get_by_test_id("effects").inner_text()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Intrekking voorstellen").click()
    assert "Het voorstel tot intrekking is vastgelegd" in page.content()
    axe.assert_no_violations(page)
    proposal = RevocationRequest.objects.get()
    assert proposal.state == "pending" and proposal.requested_by.username == "adviseur"
    # Adviser 1 cannot confirm their own proposal.
    page.goto(f"/erkenningen/intrekkingen/{proposal.pk}/bevestigen/")
    assert "U heeft deze intrekking zelf voorgesteld" in page.content()
    assert page.get_by_role("button", name="Ja, erkenning intrekken").count() == 0

    # 6b. Adviser 2 sees the effects and confirms (four eyes between two advisers).
    login(page, "adviseur2")
    page.goto("/erkenningen/intrekkingen/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name=re.compile("Beoordelen")).click()
    effects = page.get_by_test_id("effects").inner_text()
    assert "1 gepubliceerde vacature wordt ingetrokken" in effects
    assert "ROC Midden" in effects
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ja, erkenning intrekken").click()
    assert "De erkenning is ingetrokken" in page.content()
    assert "E-mail met de redenen verzonden" in page.content()
    axe.assert_no_violations(page)
    proposal.refresh_from_db()
    assert proposal.state == "approved" and proposal.decided_by.username == "adviseur2"
    assert OutboxMessage.objects.filter(
        to="opleider@korstmos.nl", subject__startswith="Erkenning ingetrokken"
    ).exists()

    # 6c. The company sees the effects in its portal: the decision letter, and its vacancy is
    # no longer published.
    login(page, "opleider")
    page.get_by_role("link", name="Verzoeken van SBB").first.click()
    page.get_by_role("link", name=case.number).click()
    assert page.get_by_role("link", name=re.compile("Besluitbrief")).count() >= 1
    axe.assert_no_violations(page)
    vacancy.refresh_from_db()
    assert vacancy.status != "published"

    # 7. The vacancy is gone from the public search.
    page.context.clear_cookies()
    assert "Stage bij Bakkerij Korstmos" not in _search_stagemarkt(page)

    # 8. The school sees a task to find a replacement placement.
    login(page, "coordinator")
    page.goto("/taken/")
    assert company.name in page.content()
    assert {t.kind for t in SchoolTask.objects.filter(school=school)} == {
        SchoolTaskKind.FIND_REPLACEMENT_PLACEMENT,
        SchoolTaskKind.FOLLOW_UP_CASE_DECISION,
    }
    axe.assert_no_violations(page)
