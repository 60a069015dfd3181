"""Issue 12 in one browser, across roles: the stagecoördinator opens a matching round, a student
ranks eligible places and writes an anonymised profile, the company reviews anonymised
candidates (a refusal with a reason), the coordinator runs a trial and the real matching,
reviews the proposal with its certificate and chart, changes one assignment, publishes; the
student and the company accept and the company then sees the name. axe checks every screen."""

from __future__ import annotations

import re

import pytest

from stagekans.education.models import Student
from stagekans.placements.models import Placement
from stagekans.rounds.models import MatchingRound
from stagekans.testing import rounds as r

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def test_round_across_roles(page, axe):
    w = r.world(students=3, companies=2)
    Student.objects.filter(pk=w.students[0].pk).update(given_name="Noor", family_name="Bakkal")
    for i, user in enumerate(w.student_users):
        user.username = f"leerling{i}"
        user.save(update_fields=["username"])
    w.coordinator.username = "coordinator"
    w.coordinator.save(update_fields=["username"])
    w.trainers[0].username = "opleider"
    w.trainers[0].save(update_fields=["username"])
    round_ = r.make_round(w, name="Stageronde zorg voorjaar")
    r.add_places(w, round_, capacity=2)

    # Coordinator: the list, the round, open it.
    login(page, "coordinator")
    page.get_by_role("link", name="Matchingrondes").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Nieuwe ronde").click()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ronde aanmaken").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    axe.assert_no_violations(page)  # the form with its error summary
    page.goto(f"/matchingrondes/{round_.pk}/")
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Ronde openen voor voorkeuren").click()
    page.get_by_text("De ronde is open").wait_for()
    axe.assert_no_violations(page)

    # Student: eligible places with distance; rank two, write a profile with a support need.
    login(page, "leerling0")
    page.get_by_role("link", name="Mijn matchingrondes").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Stageronde zorg voorjaar").click()
    axe.assert_no_violations(page)
    selects = page.locator("select[name^=keuze-]")
    assert selects.count() == 2
    assert page.get_by_text(re.compile(r"\d+(\.\d)? km")).count() >= 2
    selects.nth(0).select_option("2")
    selects.nth(1).select_option("1")
    page.get_by_role("button", name="Voorkeuren opslaan").click()
    page.get_by_text("Je voorkeuren zijn opgeslagen").wait_for()
    page.get_by_label("Competenties en ervaring").fill("Twee jaar vrijwilliger in de thuiszorg.")
    page.get_by_label(re.compile("Ondersteuningsbehoefte")).fill("Ik heb dyslexie.")
    page.get_by_role("button", name="Profiel opslaan").click()
    page.get_by_text("Je profiel voor deze ronde is opgeslagen").wait_for()
    axe.assert_no_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    for i in (1, 2):  # the other students rank through the same page
        login(page, f"leerling{i}")
        page.goto(f"/matchingrondes/mijn/{round_.pk}/")
        page.locator("select[name^=keuze-]").nth(0).select_option("1")
        page.get_by_role("button", name="Voorkeuren opslaan").click()
        page.get_by_text("Je voorkeuren zijn opgeslagen").wait_for()

    # Coordinator closes preferences; the company reviews anonymised candidates.
    login(page, "coordinator")
    page.goto(f"/matchingrondes/{round_.pk}/")
    page.get_by_role("button", name=re.compile("Voorkeuren sluiten")).click()
    page.get_by_text("leerbedrijven beoordelen nu").wait_for()
    login(page, "opleider")
    page.get_by_role("link", name="Matchingrondes").first.click()
    axe.assert_no_violations(page)
    page.get_by_role("link", name="Stageronde zorg voorjaar").click()
    axe.assert_no_violations(page)
    body = page.content()
    assert "Noor" not in body and "Bakkal" not in body and "dyslexie" not in body
    card = page.locator("[data-testid=candidate]").first
    card.get_by_label("niet geschikt", exact=True).check()
    card.get_by_label("Reden bij niet geschikt").select_option("availability")
    card.get_by_role("button", name="Oordeel opslaan").click()
    page.get_by_text(re.compile(r"Uw oordeel over K-[0-9A-F]{6} is opgeslagen")).wait_for()
    axe.assert_no_violations(page)

    # Coordinator: trial run, real run, proposal with certificate and chart, one change, publish.
    login(page, "coordinator")
    page.goto(f"/matchingrondes/{round_.pk}/")
    page.get_by_role("button", name="Proefronde draaien").click()
    page.get_by_text("De proefronde is gestart").wait_for()
    page.goto(f"/matchingrondes/{round_.pk}/voorstel/")
    page.get_by_role("heading", name=re.compile("Uitkomst van de proefronde")).wait_for()
    axe.assert_no_violations(page)
    page.goto(f"/matchingrondes/{round_.pk}/")
    page.get_by_role("button", name="Matching uitvoeren").click()
    page.get_by_role("link", name="Bekijk het voorstel").click()
    page.locator("[data-testid=certificate]").wait_for()
    assert page.locator("[data-testid=blocking-pairs]").inner_text() == "0"
    assert page.locator("svg, .sk-chart").count() >= 1
    axe.assert_no_violations(page)
    table = page.locator("table").filter(has=page.get_by_text("Toewijzingen per student"))
    rows = table.locator("tbody tr").filter(has_not_text="Noor")
    rows = rows.filter(has_not_text="niet geplaatst")
    rows.first.get_by_role("link", name=re.compile("^Wijzigen")).click()
    axe.assert_no_violations(page)
    page.get_by_label("Reden van de wijziging").fill("Afspraak met de student in het mentoruur.")
    page.get_by_role("button", name="Wijziging opslaan").click()
    page.get_by_text(re.compile("De toewijzing is gewijzigd. Blokkerende paren nu")).wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Voorstel publiceren").click()
    page.get_by_text("Het voorstel is gepubliceerd").wait_for()
    page.get_by_role("link", name="Uitslag en antwoorden").click()
    axe.assert_no_violations(page)
    page.goto(f"/matchingrondes/{round_.pk}/deelnemers/")
    assert "Ik heb dyslexie." in page.content()
    axe.assert_no_violations(page)

    # The student and the company accept whatever the student was given.
    round_.refresh_from_db()
    mine = round_.current_run.assignments.get(participant__student=w.students[0])
    if mine.place is None:
        pytest.fail("the coordinator's change left the demo student unplaced")
    login(page, "leerling0")
    page.goto(f"/matchingrondes/mijn/{round_.pk}/")
    page.locator("[data-testid=my-assignment]").wait_for()
    axe.assert_no_violations(page)
    page.get_by_role("button", name="Accepteren").click()
    page.get_by_text("Je hebt de plaats geaccepteerd").wait_for()
    axe.assert_no_violations(page)
    trainer = w.trainers[w.companies.index(mine.place.company)]
    login(page, trainer.username)
    page.goto(f"/matchingrondes/leerbedrijf/{round_.pk}/")
    assert "Noor Bakkal" not in page.content()
    card = page.locator("[data-testid=proposed-candidate]").filter(has_text="geaccepteerd").first
    card.get_by_role("button", name="Accepteren").click()
    page.get_by_text("Uw antwoord is opgeslagen").wait_for()
    assert "Noor Bakkal" in page.content()
    axe.assert_no_violations(page)
    assert Placement.objects.filter(student=w.students[0], source="round").exists()
    assert MatchingRound.objects.get(pk=round_.pk).status == "published"
