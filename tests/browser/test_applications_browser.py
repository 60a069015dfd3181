"""Issue 11, applications across roles in one browser: a student applies → the company reviews
the anonymised application (no name), invites (the name appears), offers → the student accepts →
a placement exists and the school sees it in its overview. axe checks every page."""

from __future__ import annotations

import re

import pytest

from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus
from stagekans.placements.models import Placement
from stagekans.testing import applications as t

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_review_anonymised_invite_offer_accept(page, axe):  # type: ignore[no-untyped-def]
    w = t.world()
    w.student_login.username = "zoella"
    w.student_login.save(update_fields=["username"])
    w.trainer.username = "opleider"
    w.trainer.save(update_fields=["username"])
    w.coordinator.username = "coordinator"
    w.coordinator.save(update_fields=["username"])

    # The student applies from the vacancy page.
    login(page, "zoella")
    page.goto(f"/stagemarkt/vacatures/{w.vacancy.pk}/")
    page.get_by_role("link", name="Solliciteren", exact=True).click()
    axe.assert_no_violations(page)
    page.get_by_label("Motivatie").fill(f"Groeten van {t.GIVEN_NAME}")
    page.get_by_role("button", name="Sollicitatie versturen").click()
    page.get_by_text(f"“{t.GIVEN_NAME}” lijkt je naam").first.wait_for()
    axe.assert_no_violations(page)
    page.get_by_label("Motivatie").fill("Ik werk graag met ouderen en wil het vak leren.")
    page.get_by_label("Competenties en ervaring").fill("Bijbaan in de thuiszorg, EHBO.")
    page.get_by_label("Beschikbaarheid").fill("Maandag tot en met donderdag")
    page.get_by_role("button", name="Sollicitatie versturen").click()
    page.get_by_text("Je sollicitatie is verstuurd").wait_for()
    axe.assert_no_violations(page)
    application = Application.objects.get()

    # The company sees an anonymised application.
    login(page, "opleider")
    page.get_by_role("link", name="Sollicitaties", exact=True).first.click()
    axe.assert_no_violations(page)
    main = page.locator("main").inner_text()
    assert t.GIVEN_NAME not in main and t.FAMILY_NAME not in main
    page.get_by_role("link", name=re.compile(r"^K-")).first.click()
    axe.assert_no_violations(page)
    main = page.locator("main").inner_text()
    assert "Bijbaan in de thuiszorg" in main and "km" in main
    for secret in (t.GIVEN_NAME, t.FAMILY_NAME, t.EMAIL, t.STUDENT_NUMBER, t.POSTCODE):
        assert secret not in main
    page.get_by_role("button", name="Uitnodigen").click()
    page.get_by_test_id("identity").wait_for()
    main = page.locator("main").inner_text()
    assert f"{t.GIVEN_NAME} {t.FAMILY_NAME}" in main and t.EMAIL in main
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Stage aanbieden").click()
    page.get_by_text("Het aanbod is verstuurd").wait_for()
    axe.assert_no_violations(page)

    # The student accepts.
    login(page, "zoella")
    page.get_by_role("link", name="Mijn sollicitaties").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=w.vacancy.title).click()
    page.get_by_role("button", name="Aanbod accepteren").click()
    page.get_by_text("Je hebt het aanbod geaccepteerd").first.wait_for()
    axe.assert_no_violations(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert Placement.objects.filter(pk=application.placement_id, student=w.student).exists()

    # The school sees it in its overview, with the placement.
    login(page, "coordinator")
    page.get_by_role("link", name="Sollicitaties van mijn studenten").first.click()
    axe.assert_no_violations(page)
    page.get_by_label("Status").select_option("accepted")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_role("link", name=f"{t.GIVEN_NAME} {t.FAMILY_NAME}").click()
    page.get_by_test_id("placement").wait_for()
    axe.assert_no_violations(page)
