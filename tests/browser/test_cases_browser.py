"""Hoor en wederhoor in a real browser: an investigator opens a case and hears the company, the
company responds in its portal, the investigator decides with the measure revocation, one SBB
adviser proposes it, a second adviser approves it in the register, and the company's vacancies
leave the public stagemarkt.
axe checks every page for WCAG 2.1 A/AA issues."""

from __future__ import annotations

import re

import pytest

from stagekans.accounts.roles import Role
from stagekans.cases import services
from stagekans.cases.models import Case, HearingRequest, Party
from stagekans.register.models import RevocationRequest
from stagekans.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username: str) -> None:
    login(page, username)


def _search_stagemarkt(page) -> str:
    page.goto("/stagemarkt/")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state("networkidle")
    return page.content()


def test_investigation_to_revocation_in_the_browser(page, axe):
    vacancy = f.VacancyFactory(publish=True, title="Stage bij de Gouden Korst")
    company = vacancy.company
    f.trainer_user(company, username="opleider")
    school = f.SchoolFactory(name="ROC Midden")
    staff = f.school_staff_user(school, username="coordinator")
    f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker")
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur")
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur2")

    assert "Stage bij de Gouden Korst" in _search_stagemarkt(page)

    # The investigator opens a case and hears the company and the school.
    _login(page, "onderzoeker")
    page.goto("/onderzoek/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Zelf een zaak openen").click()
    axe.assert_no_violations(page)
    page.get_by_label("KvK-nummer leerbedrijf").fill(company.kvk_number)
    page.get_by_label("Samenvatting van het vermoeden").fill(
        "Een studente werd na een vraag naar haar afkomst zonder gesprek afgewezen."
    )
    page.get_by_role("button", name="Zaak openen").click()
    case = Case.objects.get()
    assert page.get_by_test_id("status").inner_text() == "nieuw"
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Onderzoek starten").click()
    page.get_by_label("Partij", exact=True).select_option("company")
    page.get_by_label("Vragen aan de partij").fill("Hoe selecteert u stagiairs? Graag uw kant.")
    page.get_by_role("button", name="Verzoek versturen").click()
    assert "Het verzoek om een reactie is verstuurd" in page.content()
    page.get_by_label("Partij", exact=True).select_option("school")
    page.locator("#id_hearing-school").select_option(label="ROC Midden")
    page.get_by_label("Vragen aan de partij").fill("Wat weet de school van deze sollicitatie?")
    page.get_by_role("button", name="Verzoek versturen").click()
    assert page.get_by_test_id("status").inner_text() == "hoor en wederhoor"
    axe.assert_no_violations(page)

    # The company responds in its portal.
    _login(page, "opleider")
    page.get_by_role("link", name="Verzoeken van SBB").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=case.number).click()
    assert "zonder gesprek afgewezen" in page.content()
    axe.assert_no_violations(page)
    page.get_by_label("Uw reactie").fill(
        "Wij selecteren op motivatie; wij betreuren de gang van zaken."
    )
    page.get_by_role("button", name="Reactie versturen").click()
    assert "Uw reactie is ontvangen" in page.content()
    axe.assert_no_violations(page)
    school_hearing = HearingRequest.objects.get(case=case, party=Party.SCHOOL)
    services.respond_to_hearing(
        acting_user=staff, hearing=school_hearing, statement="De studente meldde het ons meteen."
    )

    # The investigator decides: established, revocation.
    _login(page, "onderzoeker")
    page.goto(f"/onderzoek/{case.pk}/")
    page.get_by_role("button", name="Naar beoordeling").click()
    axe.assert_no_violations(page)
    page.get_by_label("Besluit", exact=True).select_option("established")
    page.get_by_label("Motivering").fill(
        "Beide partijen bevestigen dat naar afkomst werd gevraagd; dat is onderscheid."
    )
    page.get_by_label("Maatregel", exact=True).select_option("revocation")
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert "Het besluit is vastgelegd" in page.content()
    assert "een adviseur praktijkleren stelt haar voor" in (
        page.get_by_test_id("revocation-asked").inner_text()
    )
    axe.assert_no_violations(page)

    # Adviser 1 proposes the revocation the decision asks for.
    _login(page, "adviseur2")
    page.goto("/erkenningen/intrekkingen/")
    page.get_by_role("link", name=re.compile("Intrekking voorstellen")).click()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Intrekking voorstellen").click()
    assert "Het voorstel tot intrekking is vastgelegd" in page.content()

    # A second adviser approves in the register.
    _login(page, "adviseur")
    page.goto("/erkenningen/intrekkingen/")
    axe.assert_no_violations(page)
    qualification = RevocationRequest.objects.get().recognition.qualification
    page.get_by_role("link", name=re.compile(qualification.title)).click()
    page.get_by_role("link", name="Intrekking beoordelen en goedkeuren (tweede adviseur)").click()
    assert "Wat de intrekking doet" in page.content()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ja, erkenning intrekken").click()
    assert "De erkenning is ingetrokken" in page.content()

    # The vacancies are gone from the public search.
    page.context.clear_cookies()
    assert "Stage bij de Gouden Korst" not in _search_stagemarkt(page)
    axe.assert_no_violations(page)
