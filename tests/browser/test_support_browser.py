"""Issue 17 (school signals and referrals), across roles in one browser, with axe on every page:

1. a stagecoördinator logs a signal about a company, tries to report it without the student's
   consent (refused, nothing sent), records the consent and reports it in one step; the
   meldpunt finds the report in its worklist with the signal's text; the school closes the
   signal (its retention period starts);
2. the meldpunt refers a report through the referral directory in one step; the student sees on
   their report where to go.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from stagekans.accounts.roles import Role
from stagekans.meldpunt.models import Report
from stagekans.meldpunt.workflow import ReportStatus
from stagekans.support.models import ReportReferral, SchoolSignal
from stagekans.testing import factories as f
from stagekans.testing.support import organisation
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

OBSERVED = "De praktijkopleider zei bij de kennismaking dat een hoofddoek 'niet bij ons past'."


def test_school_signal_to_report_with_consent(page, axe):
    student = f.StudentFactory(given_name="Noor", family_name="El Amrani")
    f.school_staff_user(student.school, username="coordinator")
    company = f.CompanyFactory(name="Bakkerij De Korenschoof")
    f.UserFactory(role=Role.MELDPUNT, username="mp")

    login(page, "coordinator")
    axe.assert_no_violations(page)  # home with the signal card
    page.get_by_role("link", name="Signalen van mijn school").click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Signaal vastleggen").first.click()
    axe.assert_no_violations(page)
    page.get_by_label("KvK-nummer van het leerbedrijf").fill(company.kvk_number)
    page.locator("#id_student").select_option(value=str(student.pk))
    page.get_by_label("Wat is er gezien of gehoord?").fill(OBSERVED)
    page.get_by_label("Wanneer gebeurde het?").fill(
        (dt.date.today() - dt.timedelta(days=7)).isoformat()
    )
    page.get_by_label("Bij het zoeken van een stage (werving en selectie)").check()
    page.get_by_label("Godsdienst").check()
    page.get_by_label("Gesprek met het bedrijf").fill(
        "Gebeld met de praktijkopleider; hij herkent het niet."
    )
    page.get_by_label("Datum van het gesprek").fill(
        (dt.date.today() - dt.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Uitkomst").select_option(label="Bedrijf herkent het niet")
    page.get_by_role("button", name="Signaal opslaan").click()
    page.get_by_text("Het signaal is vastgelegd").wait_for()
    axe.assert_no_violations(page)
    signal = SchoolSignal.objects.get()
    assert signal.company == company and signal.student == student

    # Everything filled in but the consent box: refused, nothing reaches the meldpunt.
    page.get_by_label("De student zelf").check()
    page.get_by_label("Hoe is de toestemming gegeven?").select_option(
        label="Schriftelijk (ondertekend)"
    )
    page.get_by_label("Wanneer is de toestemming gegeven?").fill(dt.date.today().isoformat())
    page.get_by_label("De student wil met naam melden").check()
    page.get_by_label("Ik wil steun of advies").check()
    page.get_by_role("button", name="Melden bij het meldpunt").click()
    page.get_by_text("zonder toestemming van de student maak je geen melding").first.wait_for()
    axe.assert_no_violations(page)
    assert not Report.objects.exists()

    # With the consent recorded (who, how, when: kept from the first try), by name, in one step.
    page.get_by_label("De student geeft toestemming om dit signaal te melden").check()
    page.get_by_role("button", name="Melden bij het meldpunt").click()
    page.get_by_text("Gemeld bij het meldpunt").wait_for()
    axe.assert_no_violations(page)
    report = Report.objects.get()
    assert report.on_behalf_of == student and report.status == ReportStatus.RECEIVED
    assert page.get_by_test_id("reported").inner_text().count(report.reference) == 1

    # Nothing more to do: the school closes the signal; the retention period starts.
    page.get_by_role("button", name="Signaal afsluiten").click()
    page.get_by_text("Het signaal is afgesloten").wait_for()
    assert "dagen daarna worden de teksten" in page.get_by_test_id("closed").inner_text()
    assert page.get_by_role("button", name="Gesprek opslaan").count() == 0
    axe.assert_no_violations(page)
    assert SchoolSignal.objects.get().closed_at is not None

    # The meldpunt sees it in its worklist, with the signal's text (nothing retyped).
    login(page, "mp")
    page.goto("/meldpunt/werkvoorraad/")
    axe.assert_no_violations(page)
    page.get_by_role("link", name=report.reference).click()
    assert OBSERVED in page.get_by_test_id("what-happened").inner_text()
    axe.assert_no_violations(page)


def test_meldpunt_refers_and_reporter_sees_where_to_go(page, axe):
    student = f.StudentFactory()
    f.student_user(student, username="noor")
    report = f.submit_report(acting_user=student.user, province="UT", follow_up="support").report
    adv = organisation(
        code="adv-art1-midden-nederland",
        name="Art.1 Midden Nederland",
        region="Provincie Utrecht",
        phone="030-2134400",
        email="",
        website="https://www.art1mn.nl",
    )
    organisation(
        code="politie",
        kind="police",
        name="Politie",
        region="Heel Nederland",
        municipalities=[],
        province="",
        phone="0900-8844",
        email="",
        website="https://www.politie.nl",
    )
    f.UserFactory(role=Role.MELDPUNT, username="mp")

    login(page, "mp")
    page.goto(f"/meldpunt/meldingen/{report.reference}/")
    page.get_by_role("link", name="Doorverwijzen via de verwijsgids (in één stap)").click()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Doorverwijzen").click()  # nothing chosen
    page.get_by_text("kies een organisatie").first.wait_for()
    axe.assert_no_violations(page)
    page.get_by_label(re.compile("Art.1 Midden Nederland")).check()
    page.get_by_role("button", name="Doorverwijzen").click()
    page.wait_for_url(re.compile(rf"/meldpunt/meldingen/{report.reference}/$"))
    assert "doorverwezen" in page.get_by_test_id("status").inner_text()
    axe.assert_no_violations(page)
    assert ReportReferral.objects.get().organisation == adv

    login(page, "noor")
    page.goto(f"/meldpunt/mijn-meldingen/{report.reference}/")
    referral = page.get_by_test_id("referral").inner_text()
    assert "Art.1 Midden Nederland" in referral and "030-2134400" in referral
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Alle organisaties in de verwijsgids").click()
    page.get_by_role("heading", name="Politie").wait_for()
    axe.assert_no_violations(page)
