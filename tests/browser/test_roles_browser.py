"""Log in as each role, open its home page, switch language; axe finds no WCAG 2.1 A/AA issue."""

from __future__ import annotations

import pytest

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def users():
    student = f.StudentFactory()
    recognition = f.RecognitionFactory()
    f.RecognitionFactory(company=recognition.company, granted=False)
    f.LocationFactory(company=recognition.company)
    users = {
        Role.STUDENT: f.student_user(student, username="student"),
        Role.SCHOOL_STAFF: f.school_staff_user(student.school, username="coordinator"),
        Role.COMPANY_TRAINER: f.trainer_user(recognition.company, username="opleider"),
        Role.SBB_ADVISOR: f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur"),
        Role.SBB_INVESTIGATOR: f.UserFactory(role=Role.SBB_INVESTIGATOR, username="onderzoeker"),
        Role.SBB_TEAM_LEAD: f.UserFactory(role=Role.SBB_TEAM_LEAD, username="teamleider"),
        Role.MELDPUNT: f.UserFactory(role=Role.MELDPUNT, username="meldpunt"),
        Role.EXPERT_TEAM: f.UserFactory(role=Role.EXPERT_TEAM, username="deskundigteam"),
        Role.ANALYST: f.UserFactory(role=Role.ANALYST, username="analist"),
        Role.ADVISORY_COMMITTEE: f.UserFactory(role=Role.ADVISORY_COMMITTEE, username="commissie"),
        Role.ADMIN: f.UserFactory(role=Role.ADMIN, username="beheerder"),
    }
    for role, user in users.items():
        if role != Role.STUDENT:
            f.totp_device(user)  # staff log in with a second step
    return users


def _login(page, username: str) -> None:
    login(page, username)


@pytest.mark.parametrize("role", list(Role))
def test_login_home_and_language_switch(page, axe, users, role):
    user = users[role]
    page.goto("/")
    axe.assert_no_violations(page)
    page.goto("/account/inloggen/")
    axe.assert_no_violations(page)
    _login(page, user.username)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Welkom")
    assert page.locator("html").get_attribute("lang") == "nl"
    # students are addressed with "je", professionals with "u"
    question = "Wat kun je nu doen?" if role == Role.STUDENT else "Wat kunt u nu doen?"
    assert page.get_by_role("heading", name=question).is_visible()
    axe.assert_no_violations(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_function("document.documentElement.lang === 'nl'")

    # every page in the role's menu is reachable and accessible
    links = page.locator("nav[aria-label='Hoofdmenu'] a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    for href in links:
        if href.startswith("/beheer/"):
            continue  # Django's own admin is outside our templates
        page.goto(href)
        assert page.locator("main h1").count() == 1, href
        axe.assert_no_violations(page)


def test_skip_link_moves_focus_to_main(page, users):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhoud"


def test_form_errors_are_accessible(page, axe, users):
    _login(page, "adviseur")
    page.goto("/bedrijven/nieuw/")
    axe.assert_no_violations(page)
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_label("Naam", exact=True).fill("Testbedrijf")
    page.get_by_role("button", name="Registreren").click()
    assert page.get_by_text("Het KvK-nummer moet uit precies 8 cijfers bestaan").first.is_visible()
    assert page.get_by_label("KvK-nummer").get_attribute("aria-invalid") == "true"
    axe.assert_no_violations(page)


def test_error_pages_are_accessible(page, axe, users):
    _login(page, "opleider")
    response = page.goto("/scholen/1/studenten/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Geen toegang").is_visible()
    axe.assert_no_violations(page)
    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    axe.assert_no_violations(page)
