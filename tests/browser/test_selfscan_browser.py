"""A praktijkopleider fills in the self-scan and sees advice per answer and their progress; SBB
sees only the sector aggregate and keeps a webinar's source link up to date; axe finds no
violations on any of these pages."""

from __future__ import annotations

import importlib

import pytest

from stagekans.accounts.roles import Role
from stagekans.education.models import Sector
from stagekans.equalchances import selectors
from stagekans.testing import factories as f
from stagekans.testing.equalchances import fill_scan

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _seed_version_1() -> None:
    """A transactional test database is flushed between tests, data migrations included."""
    from django.apps import apps

    if selectors.current_version() is None:
        seed = importlib.import_module(
            "stagekans.equalchances.migrations.0002_seed_version_1_and_webinars"
        )
        seed.forwards(apps, None)


def test_trainer_fills_in_the_scan_and_sbb_sees_the_aggregate(page, axe):
    _seed_version_1()
    company = f.CompanyFactory(name="Bakkerij De Korrel", sector=Sector.VOEDSEL)
    f.LocationFactory(company=company)
    f.trainer_user(company, username="opleider")
    for i in range(11):
        other = f.CompanyFactory(name=f"Restaurant {i}", sector=Sector.VOEDSEL)
        f.LocationFactory(company=other)
        fill_scan(user=f.trainer_user(other), pick=2 if i < 10 else 0)
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur")
    questions = selectors.questions_of(selectors.current_version())

    login(page, "opleider")
    page.get_by_role("link", name="Gelijke kansen").first.click()
    assert page.get_by_text("U heeft de zelfscan nog niet ingevuld").is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Zelfscan invullen").click()
    assert page.get_by_role("heading", name="Stap 1: Vacatures publiceren").is_visible()
    axe.assert_no_violations(page)

    # Submitting with nothing chosen: an error summary, nothing stored.
    page.get_by_role("button", name="Opslaan en advies bekijken").click()
    assert page.get_by_role("heading", name="Verbeter het volgende").is_visible()
    axe.assert_no_violations(page)

    # Answer every question: the best answer, except "not yet" for the first question.
    fieldsets = page.locator("fieldset")
    assert fieldsets.count() == len(questions)
    for index in range(len(questions)):
        radios = fieldsets.nth(index).get_by_role("radio")
        (radios.first if index == 0 else radios.last).check()
    page.get_by_role("button", name="Opslaan en advies bekijken").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Uw advies"
    first_options = list(questions[0].options.all())
    assert page.get_by_text(first_options[0].advice).is_visible()
    assert page.get_by_text(first_options[-1].advice).count() == 0
    last_options = list(questions[-1].options.all())
    assert page.get_by_text(last_options[-1].advice).is_visible()
    assert page.get_by_role("heading", name="Vacatures publiceren: 2 / 4 — op weg").is_visible()
    axe.assert_no_violations(page)

    page.get_by_role("link", name="Terug naar uw voortgang").click()
    assert page.locator("figcaption", has_text="Totaalscore per keer").is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Wervingsbeleid").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Webinars").first.click()
    axe.assert_no_violations(page)

    page.get_by_role("button", name="Uitloggen").click()
    login(page, "adviseur")
    page.goto("/gelijke-kansen/zelfscan/cijfers/")
    row = page.get_by_role("row", name="Voedsel, groen en gastvrijheid")
    # 12 companies: 10 fully "op orde", the demo bakery in all but one step, one not at all.
    assert row.get_by_role("cell").first.inner_text() == "12"
    assert "Bakkerij De Korrel" not in page.content()
    axe.assert_no_violations(page)
    page.goto("/gelijke-kansen/zelfscan/cijfers/?per=provincie")
    axe.assert_no_violations(page)
    page.goto("/gelijke-kansen/webinars/bereik/")
    axe.assert_no_violations(page)
    page.goto("/gelijke-kansen/webinars/registreren/")
    axe.assert_no_violations(page)
    page.goto("/gelijke-kansen/zelfscan/versies/")
    axe.assert_no_violations(page)

    # SBB sets a webinar's own source link: http is refused in Dutch, https is shown everywhere.
    page.get_by_role("link", name="Webinars beheren").click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Wijzigen Objectief oordelen").click()
    axe.assert_no_violations(page)
    page.get_by_label("Link naar de bron").fill("http://www.s-bb.nl/objectief-oordelen")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("gebruik een volledige link die begint met https://").first.wait_for()
    axe.assert_no_violations(page)
    link = "https://www.s-bb.nl/bedrijven/webinars/objectief-oordelen"
    page.get_by_label("Link naar de bron").fill(link)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het webinar is bijgewerkt").wait_for()
    axe.assert_no_violations(page)
    page.goto("/gelijke-kansen/webinars/bereik/")
    assert page.get_by_role("link", name=link).count() == 1
