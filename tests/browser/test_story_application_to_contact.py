"""Issue 11 as one story across four portals, in one browser: a student applies → the company
reviews the anonymised application, invites, offers → the student accepts → the coordinator
assigns a begeleider and drafts the praktijkovereenkomst → student, praktijkopleider and school
sign in their own portals → the begeleider logs the first contact → the signed POK downloads as a
PDF whose text names the parties. axe checks every page on the way."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus
from stagekans.placements.models import Agreement, ContactMoment
from stagekans.placements.workflow import AgreementStatus, PlacementStatus
from stagekans.testing import applications as t

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _open_placement(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Stages", exact=True).first.click()
    page.get_by_role("link", name=name).click()
    page.get_by_role("heading", level=1, name=re.compile("Stage van")).wait_for()


def test_from_application_to_signed_pok_and_first_contact(page, axe):  # type: ignore[no-untyped-def]
    w = t.world()
    for user, username in (
        (w.student_login, "zoella"),
        (w.trainer, "opleider"),
        (w.coordinator, "coordinator"),
    ):
        user.username = username
        user.save(update_fields=["username"])
    name = f"{t.GIVEN_NAME} {t.FAMILY_NAME}"

    # The student applies.
    login(page, "zoella")
    page.goto(f"/stagemarkt/vacatures/{w.vacancy.pk}/")
    page.get_by_role("link", name="Solliciteren", exact=True).click()
    page.get_by_label("Motivatie").fill("Ik werk graag met ouderen en wil het vak leren.")
    page.get_by_label("Competenties en ervaring").fill("Bijbaan in de thuiszorg, EHBO.")
    page.get_by_label("Beschikbaarheid").fill("Maandag tot en met donderdag")
    page.get_by_role("button", name="Sollicitatie versturen").click()
    page.get_by_text("Je sollicitatie is verstuurd").wait_for()
    axe.assert_no_violations(page)

    # The company reviews it anonymised, invites and offers.
    login(page, "opleider")
    page.get_by_role("link", name="Sollicitaties", exact=True).first.click()
    page.get_by_role("link", name=re.compile(r"^K-")).first.click()
    main = page.locator("main").inner_text()
    assert t.GIVEN_NAME not in main and t.FAMILY_NAME not in main and t.EMAIL not in main
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Uitnodigen").click()
    page.get_by_test_id("identity").wait_for()
    page.get_by_role("button", name="Stage aanbieden").click()
    page.get_by_text("Het aanbod is verstuurd").wait_for()

    # The student accepts: a placement exists.
    login(page, "zoella")
    page.get_by_role("link", name="Mijn sollicitaties").first.click()
    page.get_by_role("link", name=w.vacancy.title).click()
    page.get_by_role("button", name="Aanbod accepteren").click()
    page.get_by_text("Je hebt het aanbod geaccepteerd").first.wait_for()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.ACCEPTED and application.placement_id
    placement = application.placement
    assert placement is not None

    # The coordinator assigns the begeleider (themself) and drafts and sends the POK.
    login(page, "coordinator")
    _open_placement(page, name)
    axe.assert_no_violations(page)
    page.get_by_label("Bpv-begeleider").select_option(index=1)
    page.get_by_role("button", name="Begeleider opslaan").click()
    page.get_by_role("heading", level=1, name=re.compile("Stage van")).wait_for()
    page.get_by_role("link", name="Praktijkovereenkomst opstellen").click()
    page.get_by_label("Aantal uren praktijk").fill("640")
    page.get_by_label("maandag").check()
    page.get_by_label("dinsdag").check()
    page.get_by_label("Werkprocessen die de student oefent").fill(
        "B1-K1-W1 Bied zorg en ondersteuning"
    )
    page.get_by_label("Zo wordt beoordeeld").fill("Praktijkbeoordeling met eindgesprek")
    page.get_by_label("Contact met school elke … weken").fill("4")
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("is opgeslagen").wait_for()
    page.get_by_role("button", name="Versturen ter ondertekening").click()
    page.get_by_text("kunnen nu tekenen").wait_for()
    axe.assert_no_violations(page)

    # Each party signs in its own portal; the school signs last.
    for username, party in (("zoella", "student"), ("opleider", "leerbedrijf")):
        login(page, username)
        _open_placement(page, name)
        page.get_by_role("button", name=f"Tekenen als {party}").click()
        page.get_by_text("We wachten nog op de andere partijen").wait_for()
        axe.assert_no_violations(page)
    login(page, "coordinator")
    _open_placement(page, name)
    page.get_by_role("button", name="Tekenen als school").click()
    page.get_by_text("de overeenkomst geldt nu").wait_for()
    agreement = Agreement.objects.get(placement=placement)
    placement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert placement.status == PlacementStatus.ACTIVE

    # The begeleider logs the first contact (the intake before the start).
    page.get_by_label("Datum", exact=True).fill(timezone.localdate().isoformat())
    page.get_by_label("bezoek op locatie").check()
    page.get_by_label("Verslag").fill("Kennismaking op de werkplek, afspraken over de planning.")
    page.get_by_role("button", name="Contactmoment vastleggen").click()
    page.get_by_text("Het contactmoment is vastgelegd").wait_for()
    axe.assert_no_violations(page)
    assert ContactMoment.objects.filter(placement=placement).count() == 1

    # The signed POK as PDF names the parties.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download versie 1 (pdf)").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Praktijkovereenkomst" in text and t.FAMILY_NAME in text
    assert w.company.name in text and "deze versie is geldig" in text

    # The student sees the active POK and the next contact moment in their portal.
    login(page, "zoella")
    _open_placement(page, name)
    assert "getekend" in page.locator("main").inner_text()
    axe.assert_no_violations(page)
