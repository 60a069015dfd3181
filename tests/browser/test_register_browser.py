"""The register in a real browser: an anonymous visitor searches the public register by
postcode + radius and opens a company; two SBB officers revoke with four eyes. axe checks
every page for WCAG 2.1 A/AA issues."""

from __future__ import annotations

import re

import pytest

from stagekans.accounts.roles import Role
from stagekans.register.models import RevocationRequest
from stagekans.testing import factories as f

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username: str) -> None:
    login(page, username)


def test_anonymous_search_by_postcode_and_radius(page, axe):
    location = f.LocationFactory(place="Utrecht", postcode="3511 AB")
    recognition = f.RecognitionFactory(company=location.company)
    page.goto("/register/")
    axe.assert_no_violations(page)
    page.get_by_label("Kwalificatie of crebocode").fill(recognition.qualification.crebo)
    page.get_by_label("Plaats of postcode").fill("3511 AB")
    page.get_by_label("Straal").select_option("10")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=location.company.name).click()
    assert page.get_by_role("heading", level=1).inner_text() == location.company.name
    assert recognition.qualification.title in page.content()
    axe.assert_no_violations(page)
    page.goto("/register/?plaats=Atlantis")
    assert "is niet bekend" in page.content()
    axe.assert_no_violations(page)


def test_four_eyes_revocation_in_the_browser(page, axe):
    recognition = f.RecognitionFactory()
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur1")
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur2")
    _login(page, "adviseur1")
    page.goto(f"/erkenningen/{recognition.pk}/")
    axe.assert_no_violations(page)
    page.get_by_label("Kenmerk besluit").fill("SBB-2026-1234")
    page.get_by_label("Redenen van de intrekking").fill("Onveilige leeromgeving vastgesteld.")
    page.get_by_role("button", name="Intrekking voorstellen").click()
    assert "zelf voorgesteld" in page.content()
    axe.assert_no_violations(page)
    page.context.clear_cookies()
    _login(page, "adviseur2")
    page.goto("/erkenningen/intrekkingen/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name=re.compile(recognition.qualification.title)).click()
    page.get_by_role("button", name="Intrekking goedkeuren (tweede adviseur)").click()
    assert "De erkenning is ingetrokken" in page.content()
    assert RevocationRequest.objects.get().state == "approved"
    page.goto("/erkenningen/herbeoordeling/")
    axe.assert_no_violations(page)
