"""A trainer reads a hand-out and confirms it; SBB sees the coverage; axe finds no violations."""

from __future__ import annotations

import re

import pytest

from stagekans.accounts.roles import Role
from stagekans.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username: str) -> None:
    login(page, username)


def test_trainer_acknowledges_handout(page, axe):
    company = f.CompanyFactory(name="Zorggroep De Linde")
    f.trainer_user(company, username="opleider")
    f.LocationFactory(company=company)
    f.RecognitionFactory(company=company)
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur")

    _login(page, "opleider")
    page.get_by_role("link", name="Lezen en bevestigen").click()
    axe.assert_no_violations(page)
    assert page.get_by_text("Nog niet gelezen").count() == 2
    page.get_by_role("link", name=re.compile("Werving en selectie")).click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Werving en selectie zonder discriminatie"
    )
    assert page.get_by_role("heading", name="Wat zegt de wet?").is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ik heb deze hand-out gelezen").click()
    assert page.get_by_text("We hebben vastgelegd dat u deze hand-out gelezen heeft").is_visible()
    assert page.get_by_text(re.compile("Bevestigd als gelezen op")).is_visible()
    axe.assert_no_violations(page)

    page.get_by_role("button", name="Uitloggen").click()
    _login(page, "adviseur")
    page.goto("/informatiepakket/bereik/")
    # one recognised company: it read "Werving en selectie" (100 %) but not "Veiligheid" (0 %)
    assert page.get_by_role("cell", name="100,0%", exact=True).count() == 2  # row + total
    assert page.get_by_role("cell", name="0,0%", exact=True).count() == 2
    axe.assert_no_violations(page)
    page.goto("/informatiepakket/publiceren/")
    axe.assert_no_violations(page)
