"""Issue 9, story 2, across roles in one browser: a stagecoördinator enrols a student with an
e-mail address → the student gets an invitation mail (read from the outbox table) → follows the
single-use link, chooses a password and lands logged in in their portal → reads the
voorlichting, searches the Stagemarkt with the form's own example postcode and an inclusivity
feature, opens a vacancy and sees how to apply and whom to contact. axe checks every page for
WCAG 2.1 A/AA issues."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from stagekans.accounts.two_factor import current_code
from stagekans.companies import services as company_services
from stagekans.education.models import Student
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from stagekans.voorlichting.models import Acknowledgement

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username: str, device=None) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(f.PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()
    if device is not None:
        page.wait_for_url(re.compile(r"/account/tweede-stap/"))
        device.refresh_from_db()
        page.get_by_label("Verificatiecode").fill(current_code(device))
        page.get_by_role("button", name="Verifiëren").click()
    page.wait_for_url(re.compile(r"/$"))


def test_enrolment_to_vacancy_contact(page, axe):
    programme = f.ProgrammeFactory(school=f.SchoolFactory(name="ROC Utrecht"))
    staff = f.school_staff_user(programme.school, username="coordinator")
    device = f.totp_device(staff)
    location = f.LocationFactory(postcode="3512 JE", place="Utrecht")
    qualification = f.RecognitionFactory(company=location.company).qualification
    f.VacancyFactory(
        location=location,
        qualification=qualification,
        features=8,  # Prikkelarme werkplek
        publish=True,
        title="Stage in een rustig team",
    )
    f.VacancyFactory(location=location, qualification=qualification, publish=True, title="Drukke")
    company_services.update_contact(
        acting_user=None,
        company=location.company,
        contact_name="Fatima Bakker",
        contact_email="stage@rustigteam.nl",
        contact_phone="030-1234567",
        publish_contact_email=True,
        publish_contact_phone=False,
        how_to_apply="Stuur een korte motivatie; je hoort binnen een week van ons.",
    )

    # The stagecoördinator enrols a student through Mijn school.
    _login(page, "coordinator", device)
    page.get_by_role("link", name="Mijn school").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Student inschrijven").click()
    axe.assert_no_violations(page)
    help_text = page.locator("#id_postcode_help").inner_text()
    example = re.search(r"\d{4} ?[A-Z]{2}", help_text).group(0)  # "3511 AB"
    page.get_by_label("Roepnaam").fill("Noor")
    page.get_by_label("Achternaam").fill("El Amrani")
    page.get_by_label("Studentnummer").fill("800123")
    page.get_by_label("Opleiding").select_option(index=1)
    page.get_by_label("Cohort").fill("2026")
    page.get_by_label("Geboortedatum").fill("2008-03-14")
    page.get_by_label("Postcode woonadres").fill(example)
    page.get_by_label("Woonplaats").fill("Utrecht")
    page.get_by_label("E-mailadres student").fill("noor@student.example.nl")
    page.get_by_role("button", name=re.compile("Inschrijven|Opslaan")).click()
    page.get_by_text("is ingeschreven").wait_for()
    assert "uitnodiging om een account aan te maken is verstuurd" in page.content()
    axe.assert_no_violations(page)
    student = Student.objects.get(student_number="800123")

    # The student reads the invitation mail (the outbox table stands in for the mailbox),
    # follows the link, chooses a password and lands, logged in, in the student portal.
    page.context.clear_cookies()
    mail = OutboxMessage.objects.get(to="noor@student.example.nl")
    assert mail.subject == "Je uitnodiging voor Stagekans"
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.body).group(0)
    path = urlsplit(link).path
    page.goto(path)
    assert page.get_by_test_id("invitation-email").inner_text() == "noor@student.example.nl"
    axe.assert_no_violations(page)
    page.get_by_label("Kies een wachtwoord").fill("Zomerstage-2026!")
    page.get_by_label("Herhaal het wachtwoord").fill("Zomerstage-2026!")
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "Welkom, Noor" in page.content()
    axe.assert_no_violations(page)
    student.refresh_from_db()
    assert student.user is not None and student.user.email == "noor@student.example.nl"
    # The link works once: opened again, it says so.
    page.goto(path)
    assert "al gebruikt" in page.get_by_test_id("invitation-invalid").inner_text()
    page.goto("/")
    page.goto("/voorlichting/")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ik heb dit gelezen").click()
    page.wait_for_load_state("networkidle")
    assert Acknowledgement.objects.filter(student=student).exists()

    # Search with the search form's own example postcode and a feature.
    page.goto("/stagemarkt/")
    axe.assert_no_violations(page)
    help_text = page.locator("#id_waar_help").inner_text()
    example = re.search(r"\d{4} ?[A-Z]{2}", help_text).group(0)
    page.get_by_label("Plaats of postcode").fill(example)
    page.get_by_label("Straal in km").fill("10")
    page.get_by_label("Prikkelarme werkplek").check()
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"kenmerken=prikkelarm"))
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Stage in een rustig team").wait_for()
    assert page.get_by_role("link", name="Drukke").count() == 0
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Stage in een rustig team").click()
    page.get_by_role("heading", level=2, name="Solliciteren en contact").wait_for()
    text = page.locator("main").inner_text()
    assert "Fatima Bakker" in text and "stage@rustigteam.nl" in text
    assert "030-1234567" not in text  # not published by the company
    assert "Stuur een korte motivatie" in text
    assert "Afstand vanaf je woonplaats Utrecht" in text
    axe.assert_no_violations(page)
