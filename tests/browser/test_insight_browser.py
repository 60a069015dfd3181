"""The analyst's insight dashboard and the pilot report in a real browser, with axe; a student
states her background with consent and withdraws it; the SBB adviser opens a signal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from stagekans.accounts.roles import Role
from stagekans.insight.services.recompute import recompute
from stagekans.testing import factories as f
from stagekans.testing import insight as t

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    s = t.setting()
    sent = timezone.make_aware(dt.datetime(2025, 10, 1, 10, 0))
    for i, student in enumerate(t.students(s["programme"], 30, "nl")):
        t.apply(
            student,
            s["vacancy"],
            status="accepted" if i < 20 else "rejected",
            sent_at=sent,
            invited=i < 25,
            offered=i < 20,
            reason="" if i < 20 else "competences",
        )
    for i, student in enumerate(t.students(s["programme"], 30, "africa")):
        t.apply(
            student,
            s["vacancy"],
            status="accepted" if i < 10 else "rejected",
            sent_at=sent,
            invited=i < 10,
            offered=i < 10,
            reason="" if i < 10 else "language",
        )
    recompute(acting_user=None)
    return s


def test_analyst_dashboard_and_pilot_report_are_accessible(page, axe):
    _world()
    f.UserFactory(role=Role.ANALYST, username="analist")
    login(page, "analist")
    page.get_by_role("link", name="Inzicht", exact=True).first.click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Inzicht: gelijke kansen op een stage"
    )
    assert page.get_by_role("heading", name="Geplaatst bij de eerste poging").is_visible()
    assert page.get_by_text("onder vier-vijfde").first.is_visible()
    axe.assert_no_violations(page)
    page.get_by_label("Uitsplitsen naar").select_option("total")
    page.get_by_role("button", name="Tonen").click()
    assert page.get_by_role("cell", name="67%").first.is_visible()
    axe.assert_no_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Geplaatst bij de eerste poging als CSV").click()
    assert download.value.suggested_filename.startswith("inzicht-placed_first")
    page.get_by_role("link", name="Pilotrapport").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pilotrapport stagematching"
    axe.assert_no_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/inzicht/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    axe.assert_no_violations(page)


def test_student_gives_and_withdraws_consent_and_adviser_opens_signal(page, axe):
    s = _world()
    student = f.StudentFactory(programme=s["programme"])
    f.student_user(student, username="leerling")
    f.UserFactory(role=Role.SBB_ADVISOR, username="adviseur")
    login(page, "leerling")
    page.goto("/mijn-achtergrond/")
    axe.assert_no_violations(page)
    page.get_by_label("Buiten Europa: Azië (ook Indonesië)").check()
    page.get_by_role("button", name="Opslaan met toestemming").first.click()
    assert page.get_by_text("Zonder je uitdrukkelijke toestemming").first.is_visible()
    axe.assert_no_violations(page)
    page.get_by_label("Buiten Europa: Azië (ook Indonesië)").check()
    page.locator("#id_herkomst-consent").check()
    page.get_by_role("button", name="Opslaan met toestemming").first.click()
    assert page.get_by_test_id("stated-herkomst").is_visible()
    page.get_by_role("button", name="Toestemming intrekken en gegeven wissen").click()
    assert page.get_by_test_id("stated-herkomst").count() == 0
    page.get_by_role("button", name="Uitloggen").click()
    login(page, "adviseur")
    page.goto("/inzicht/signalen/")
    assert page.get_by_text("nooit een automatische maatregel").first.is_visible()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=s["vacancy"].company.name).first.click()
    assert page.get_by_role("heading", level=1).is_visible()
    axe.assert_no_violations(page)
