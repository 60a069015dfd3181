"""An anonymous visitor reports, gets a receipt code and later reads the meldpunt's reply with
it; a meldpunt worker answers through the UI; a student acknowledges the voorlichting page.
axe finds no WCAG 2.1 A/AA violation on any page visited."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f
from stagekans.voorlichting import seed_text
from stagekans.voorlichting import services as voorlichting_services
from stagekans.voorlichting.models import Acknowledgement

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def text():
    # Transactional tests flush the database, so publish version 1 again.
    return voorlichting_services.publish_text(
        acting_user=None,
        title_nl=seed_text.TITLE_NL,
        title_en=seed_text.TITLE_EN,
        body_nl=seed_text.BODY_NL,
        body_en=seed_text.BODY_EN,
    )


def _login(page, username: str) -> None:
    login(page, username)


def test_anonymous_report_code_and_reply(page, axe, text, browser, live_server):
    page.goto("/")
    page.get_by_role("link", name="Discriminatie melden (ook anoniem)").click()
    page.wait_for_url(re.compile(r"/meldpunt/$"))
    axe.assert_no_violations(page)

    # First an empty form: clear Dutch messages, accessible error summary.
    page.get_by_role("button", name="Melding versturen").click()
    assert page.get_by_text(
        "Wat is er gebeurd: beschrijf kort wat er is gebeurd."
    ).first.is_visible()
    axe.assert_no_violations(page)

    page.get_by_label("Het overkwam mij (student)").check()
    page.get_by_label("Wat is er gebeurd?").fill(
        "Bij het gesprek zei de eigenaar dat hij geen stagiairs met een hoofddoek wil."
    )
    page.get_by_label("Wanneer gebeurde het?").fill("2026-03-02")
    page.get_by_label("Bij het zoeken van een stage (werving en selectie)").check()
    page.get_by_label("Godsdienst").check()
    page.get_by_label("Of: naam van het bedrijf").fill("Kapsalon Knip & Go")
    page.get_by_label("Ik wil steun of advies").check()
    page.get_by_label("Je e-mailadres").fill("melder@example.nl")
    page.get_by_role("button", name="Melding versturen").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Dank je wel, je melding is ontvangen"
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{6}-\d{4}-\d{4}-\d{4}-\d{4}", code)
    axe.assert_no_violations(page)

    # The meldpunt answers through its own pages.
    staff_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    staff = staff_context.new_page()
    f.UserFactory(role=Role.MELDPUNT, username="meldpunt")
    _login(staff, "meldpunt")
    staff.get_by_role("link", name="Naar de werkvoorraad").click()
    axe.assert_no_violations(staff)
    staff.get_by_role("link", name=code[:6]).click()
    axe.assert_no_violations(staff)
    staff.get_by_role("button", name="In behandeling nemen").click()
    staff.get_by_label("Bericht", exact=True).fill(
        "Dank je voor je melding. Wil je dat we contact opnemen met je school?"
    )
    staff.get_by_role("button", name="Bericht versturen").click()
    assert staff.get_by_text("Je bericht is verstuurd naar de melder.").is_visible()
    axe.assert_no_violations(staff)
    staff.goto("/meldpunt/statistiek/")
    axe.assert_no_violations(staff)
    staff_context.close()

    # Later, the reporter reads the reply with the code.
    page.goto("/")
    page.get_by_role("link", name="Je melding volgen met je ontvangstcode").click()
    axe.assert_no_violations(page)
    page.get_by_label("Ontvangstcode").fill("000000-0000-0000-0000-0000")
    page.get_by_role("button", name="Bekijk mijn melding").click()
    assert page.get_by_text("Ontvangstcode: deze code kennen we niet.").first.is_visible()
    axe.assert_no_violations(page)
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_role("button", name="Bekijk mijn melding").click()
    page.wait_for_url(re.compile(r"/meldpunt/volgen/melding/$"))
    assert page.get_by_text("Wil je dat we contact opnemen met je school?").is_visible()
    assert page.get_by_test_id("status").inner_text() == "in behandeling"
    axe.assert_no_violations(page)
    page.get_by_label("Bericht").fill("Nee, liever niet.")
    page.get_by_role("button", name="Bericht versturen").click()
    assert page.get_by_text("Nee, liever niet.").is_visible()
    axe.assert_no_violations(page)


def test_student_acknowledges_voorlichting(page, axe, text):
    student = f.StudentFactory()
    f.student_user(student, username="studente")
    _login(page, "studente")
    banner = page.get_by_test_id("voorlichting-banner")
    assert banner.is_visible()
    axe.assert_no_violations(page)
    banner.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/voorlichting/$"))
    assert page.get_by_role("heading", level=1).inner_text() == seed_text.TITLE_NL
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ik heb dit gelezen").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_text("We hebben vastgelegd dat je dit gelezen hebt.").is_visible()
    assert page.get_by_test_id("voorlichting-banner").count() == 0
    axe.assert_no_violations(page)
    ack = Acknowledgement.objects.get()
    assert (ack.student_id, ack.text_id, ack.moment) == (student.pk, text.pk, "onboarding")
    page.goto("/meldpunt/mijn-meldingen/")
    axe.assert_no_violations(page)


def test_staff_coverage_page_is_accessible(page, axe, text):
    student = f.StudentFactory()
    f.school_staff_user(student.school, username="coordinator")
    _login(page, "coordinator")
    page.goto("/voorlichting/dekking/")
    assert page.get_by_test_id("school-percentage").inner_text().startswith("0.0%") or (
        page.get_by_test_id("school-percentage").inner_text().startswith("0,0%")
    )
    axe.assert_no_violations(page)
    page.goto("/meldpunt/")
    axe.assert_no_violations(page)
