"""An anonymous visitor searches by postcode + radius + feature and opens a vacancy."""

import pytest
from playwright.sync_api import expect

from stagekans.testing.factories import LocationFactory, RecognitionFactory, VacancyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_search_postcode_radius_feature(page, axe):
    location = LocationFactory(postcode="3511 AB", place="Utrecht")
    qualification = RecognitionFactory(company=location.company).qualification
    VacancyFactory(
        location=location,
        qualification=qualification,
        features=8,
        publish=True,
        title="Rustige stage in Utrecht",
    )
    VacancyFactory(
        location=location, qualification=qualification, publish=True, title="Drukke stage"
    )
    page.goto("/stagemarkt/")
    axe.assert_no_violations(page)
    page.get_by_label("Plaats of postcode").fill("3511 AB")
    page.get_by_label("Straal in km").fill("15")
    page.get_by_label("Prikkelarme werkplek").check()
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Rustige stage in Utrecht").wait_for()
    # htmx may still be swapping in the answer to the last keystroke: wait for the final one.
    expect(page.get_by_role("link", name="Drukke stage")).to_have_count(0)
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Rustige stage in Utrecht").click()
    page.get_by_role("heading", level=1, name="Rustige stage in Utrecht").wait_for()
    axe.assert_no_violations(page)
