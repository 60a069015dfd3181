"""Issue 11 across roles in one browser: the coordinator drafts the praktijkovereenkomst and
sends it → the student, the praktijkopleider and the school each sign in their own portal →
the POK is active → the begeleider logs a contact → the PDF downloads and renders. axe checks
every page for WCAG 2.1 A/AA issues."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from stagekans.placements.models import Agreement, ContactMoment
from stagekans.placements.workflow import AgreementStatus, PlacementStatus
from stagekans.testing import placements as tp

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _open_placement(page, student_name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Stages", exact=True).first.click()
    page.get_by_role("link", name=student_name).click()
    page.get_by_role("heading", level=1, name=re.compile("Stage van")).wait_for()


def test_pok_signed_in_three_portals_then_contact_and_pdf(page, axe):
    w = tp.world()
    name = str(w.student)

    # The coordinator drafts the POK and sends it for signing.
    login(page, w.staff_user.username)
    _open_placement(page, name)
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Praktijkovereenkomst opstellen").click()
    axe.assert_no_violations(page)
    page.get_by_label("Aantal uren praktijk").fill("800")
    page.get_by_label("maandag").check()
    page.get_by_label("dinsdag").check()
    page.get_by_label("Werkprocessen die de student oefent").fill("B1-K1-W1 Plant het werk")
    page.get_by_label("Zo wordt beoordeeld").fill("Praktijkbeoordeling met eindgesprek")
    page.get_by_label("Contact met school elke … weken").fill("0")
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_role("heading", name="Verbeter het volgende").wait_for()
    axe.assert_no_violations(page)
    assert not Agreement.objects.exists()
    page.get_by_label("Contact met school elke … weken").fill("4")
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("is opgeslagen").wait_for()
    page.get_by_role("button", name="Versturen ter ondertekening").click()
    page.get_by_text("kunnen nu tekenen").wait_for()
    axe.assert_no_violations(page)

    # The student signs in the student portal.
    login(page, w.student_user.username)
    _open_placement(page, name)
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Tekenen als student").click()
    page.get_by_text("We wachten nog op de andere partijen").wait_for()

    # The praktijkopleider signs in the company portal.
    login(page, w.trainer_user.username)
    _open_placement(page, name)
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Tekenen als leerbedrijf").click()
    page.get_by_text("We wachten nog op de andere partijen").wait_for()

    # The school signs last: the POK is active.
    login(page, w.staff_user.username)
    _open_placement(page, name)
    page.get_by_role("button", name="Tekenen als school").click()
    page.get_by_text("de overeenkomst geldt nu").wait_for()
    axe.assert_no_violations(page)
    agreement = Agreement.objects.get()
    w.placement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert w.placement.status == PlacementStatus.ACTIVE

    # The begeleider logs a contact.
    page.get_by_label("Datum", exact=True).fill("2026-10-05")
    page.get_by_label("bezoek op locatie").check()
    page.get_by_label("Verslag").fill("Goede start, afspraken over de planning gemaakt.")
    page.get_by_role("button", name="Contactmoment vastleggen").click()
    page.get_by_text("Het contactmoment is vastgelegd").wait_for()
    axe.assert_no_violations(page)
    assert ContactMoment.objects.filter(placement=w.placement).count() == 1

    # The PDF downloads and renders.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download versie 1 (pdf)").click()
    data = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Praktijkovereenkomst" in text and w.student.family_name in text
    assert "deze versie is geldig" in text

    # The begeleider's own overview and the school's compliance overview.
    page.get_by_role("link", name="Mijn stagiairs").first.click()
    page.get_by_role("link", name=name).wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Naleving bpv-begeleiding").first.click()
    page.get_by_role("heading", name="Per team").wait_for()
    axe.assert_no_violations(page)
