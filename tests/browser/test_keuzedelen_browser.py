"""Issue 14 across roles in one browser: a student asks for a keuzedeel at another institution,
the home coordinator approves, the host coordinator accepts and records attendance, and the
home school sees it; then a coordinator gives a study advice in a niet-bindend school year and
gets the refusal with the proposed postponement; and the management screens: the host
coordinator changes the cooperation agreement (a new version) and offers a keuzedeel under it,
the partner's coordinator sees both and signs. axe checks every page (WCAG 2.1 A/AA)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from stagekans.keuzedelen.models import (
    AgreementVersion,
    AttendanceRecord,
    EnrolmentRequest,
    Offering,
)
from stagekans.keuzedelen.workflow import EnrolmentStatus, VersionStatus
from stagekans.studyadvice import rules
from stagekans.studyadvice import services as advice_services
from stagekans.studyadvice.models import AdviceKind, StudyAdvice
from stagekans.testing.keuzedelen import keuzedeel, network

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_keuzedeel_elsewhere_from_request_to_attendance_at_home(page, axe):  # type: ignore[no-untyped-def]
    net = network()
    title = net.offering.keuzedeel.title
    # The full name, exactly: a given name such as "Sam" or "Roos" would also match the
    # "Samenwerkingsovereenkomsten" or "Rooster" links above the table.
    student_name = f"{net.student.given_name} {net.student.family_name}"

    # The student finds the keuzedeel and asks for it.
    login(page, net.student_user.username)
    page.get_by_role("link", name="Keuzedelen").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=title).click()
    axe.assert_no_violations(page)
    page.get_by_label("Waarom wil je dit keuzedeel volgen?").fill("Ik wil later naar de pabo.")
    page.get_by_role("button", name="Keuzedeel aanvragen").click()
    page.get_by_text("Je aanvraag is verstuurd").wait_for()
    assert "Geschatte reistijd" in page.locator("[data-testid=checks]").inner_text()
    axe.assert_no_violations(page)
    enrolment = EnrolmentRequest.objects.get(student=net.student)
    assert enrolment.status == EnrolmentStatus.SUBMITTED

    # The home coordinator approves; the checks are on the page.
    login(page, net.home_staff.username)
    page.get_by_role("link", name="Keuzedelen").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=student_name, exact=True).click()
    axe.assert_no_violations(page)
    page.get_by_label("Goedkeuren").check()
    page.get_by_label("Toelichting").fill("Past in het rooster.")
    page.get_by_role("button", name="Besluit opslaan").click()
    page.get_by_text("ligt nu bij de gastschool").wait_for()
    axe.assert_no_violations(page)

    # The host coordinator accepts and records attendance.
    login(page, net.host_staff.username)
    page.get_by_role("link", name="Keuzedelen").first.click()
    page.get_by_role("link", name=student_name, exact=True).click()
    assert "Past in het rooster." in page.locator("main").inner_text()
    page.get_by_label("Goedkeuren").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    page.get_by_text("De student is geplaatst").wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Aanwezigheid vastleggen").click()
    axe.assert_no_violations(page)
    page.get_by_label("aanwezig", exact=True).check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    page.get_by_text("De eigen scholen zien het direct").wait_for()
    axe.assert_no_violations(page)
    assert AttendanceRecord.objects.filter(enrolment=enrolment).count() == 1

    # The home school sees it at once.
    login(page, net.home_staff.username)
    page.goto(f"/keuzedelen/aanvragen/{enrolment.pk}/")
    summary = page.locator("[data-testid=attendance-summary]").inner_text()
    assert "Aanwezig 1" in summary
    assert "geplaatst" in page.locator("[data-testid=status]").inner_text()
    axe.assert_no_violations(page)


def test_study_advice_in_a_niet_bindend_year(page, axe):  # type: ignore[no-untyped-def]
    net = network()
    today = dt.date.today()
    advice_services.mark_school_year(
        acting_user=net.home_staff,
        school=net.home,
        school_year=rules.school_year_of(today),
        reason="Langdurige uitval van onderwijs na de brand in het hoofdgebouw.",
        document_reference="Besluit college van bestuur 2026/14",
    )

    login(page, net.home_staff.username)
    page.get_by_role("link", name="Studieadvies").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Niet-bindende schooljaren").click()
    axe.assert_no_violations(page)
    page.goto("/studieadvies/nieuw/")
    axe.assert_no_violations(page)
    page.get_by_label("Student").select_option(label=str(net.student))
    page.get_by_role("radio", name="negatief").check()
    page.get_by_label("Bindend (alleen bij een negatief advies)").check()
    page.get_by_label("Onderbouwing").fill("Te weinig voortgang in de beroepsgerichte vakken.")
    page.get_by_role("button", name="Advies vastleggen").click()
    refusal = page.locator("[data-testid=refusal]")
    refusal.wait_for()
    assert "Een bindend negatief studieadvies kan niet" in refusal.inner_text()
    axe.assert_no_violations(page)
    assert not StudyAdvice.objects.exists()
    # The form now proposes "uitgesteld" with the next moment; the coordinator saves it.
    assert page.get_by_role("radio", name="uitgesteld").is_checked()
    assert page.get_by_label("Volgend moment (bij uitgesteld advies)").input_value()
    page.get_by_role("button", name="Advies vastleggen").click()
    page.get_by_text("Het studieadvies is vastgelegd").wait_for()
    axe.assert_no_violations(page)
    advice = StudyAdvice.objects.get()
    assert advice.kind == AdviceKind.POSTPONED and not advice.binding and advice.in_marked_year

    # The student sees it with how to object.
    login(page, net.student_user.username)
    page.get_by_role("link", name="Studieadvies").first.click()
    page.get_by_role("heading", name=re.compile("Niet eens met dit advies")).wait_for()
    assert "commissie van beroep" in page.locator("main").inner_text()
    axe.assert_no_violations(page)


def test_a_new_agreement_version_and_offering_reach_the_partner_school(page, axe):  # type: ignore[no-untyped-def]
    net = network()
    agreement = net.version.agreement
    entry = keuzedeel(title="Gebarentaal in de zorg")
    start = dt.date.today() + dt.timedelta(days=14)

    # The host coordinator finds the agreement from the requests page and changes its terms.
    login(page, net.host_staff.username)
    page.get_by_role("link", name="Keuzedelen").first.click()
    page.get_by_role("link", name="Samenwerkingsovereenkomsten", exact=True).click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name=agreement.title).click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Afspraken wijzigen (nieuwe versie voorstellen)").click()
    axe.assert_no_violations(page)
    page.get_by_label("Vergoeding per student (euro)").fill("495,00")
    page.get_by_label("Wat verandert er en waarom?").fill("Vergoeding geïndexeerd naar € 495.")
    page.get_by_role("button", name="Nieuwe versie ter ondertekening leggen").click()
    page.get_by_text("Versie 2 ligt ter ondertekening bij alle partners").wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Versie 2 tekenen namens mijn school").click()
    page.get_by_text("We wachten op de andere partners").wait_for()

    # A form error first (no places), then the offering under the agreement.
    page.get_by_role("link", name="Keuzedeel aanbieden onder deze overeenkomst").click()
    axe.assert_no_violations(page)
    page.get_by_label("Keuzedeel uit de catalogus").select_option(label=str(entry))
    page.get_by_label("Locatie", exact=True).fill("Campus Zernike, zaal 2")
    page.get_by_label("Plaats", exact=True).fill("Groningen")
    page.get_by_label("Begindatum").fill(start.isoformat())
    page.get_by_label("Einddatum").fill(start.isoformat())
    page.get_by_label("Aantal plaatsen").fill("15")
    page.get_by_role("button", name="Aanbieden").click()
    page.get_by_text("De einddatum moet na de begindatum liggen.").first.wait_for()
    axe.assert_no_violations(page)
    assert not Offering.objects.filter(keuzedeel=entry).exists()
    page.get_by_label("Einddatum").fill((start + dt.timedelta(days=100)).isoformat())
    page.get_by_role("button", name="Aanbieden").click()
    page.get_by_text("Het keuzedeel staat in het aanbod").wait_for()
    axe.assert_no_violations(page)
    offering = Offering.objects.get(keuzedeel=entry)
    assert (offering.host_id, offering.places) == (net.host.pk, 15)
    page.get_by_role("link", name="Aanbod wijzigen").click()
    axe.assert_no_violations(page)
    page.go_back()
    page.get_by_role("link", name="Aanbod sluiten voor nieuwe aanvragen").click()
    axe.assert_no_violations(page)
    # The form for a new agreement, also on a 320 px phone without sideways scrolling.
    page.goto("/keuzedelen/samenwerking/")
    page.get_by_role("link", name="Nieuwe samenwerkingsovereenkomst vastleggen").click()
    axe.assert_no_violations(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"/keuzedelen/samenwerking/{agreement.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The partner's coordinator sees the offering and the new version, and signs it.
    login(page, net.home_staff.username)
    page.get_by_role("link", name="Keuzedelen").first.click()
    page.get_by_role("link", name="Aanbod", exact=True).click()
    page.get_by_role("link", name="Gebarentaal in de zorg").wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Samenwerkingsovereenkomsten en eigen aanbod").click()
    page.get_by_role("link", name=agreement.title).click()
    assert "Vergoeding geïndexeerd naar € 495." in page.locator("main").inner_text()
    history = page.locator("[data-testid=version-history]").inner_text()
    assert "getekend en geldig" in history and "ter ondertekening" in history
    assert (
        "Gebarentaal in de zorg" in page.locator("[data-testid=agreement-offerings]").inner_text()
    )
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Versie 2 tekenen namens mijn school").click()
    page.get_by_text("deze versie geldt nu").wait_for()
    axe.assert_no_violations(page)
    v2 = AgreementVersion.objects.get(agreement=agreement, version=2)
    assert v2.status == VersionStatus.ACTIVE and str(v2.finance_per_student) == "495.00"
