"""Issue 9, browser story 3 — an anonymous report sent once, whatever the browser does:

the visitor reports anonymously → refreshes the confirmation → there is one report and the
one code was shown once → the visitor follows the report with that code → exchanges messages
with the meldpunt. A double click on "Melding versturen" sends once. axe checks every page.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from stagekans.accounts.roles import Role
from stagekans.meldpunt.models import Report
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _fill_report(page) -> None:
    page.get_by_label("Het overkwam mij (student)").check()
    page.get_by_label("Wat is er gebeurd?").fill(
        "De eigenaar vroeg waar mijn ouders vandaan komen en wees me daarna direct af."
    )
    page.get_by_label("Wanneer gebeurde het?").fill("2026-03-02")
    page.get_by_label("Bij het zoeken van een stage (werving en selectie)").check()
    page.get_by_label("Afkomst, huidskleur of 'ras'").check()
    page.get_by_label("Of: naam van het bedrijf").fill("Garage De Snelle Sleutel")
    page.get_by_label("Ik wil steun of advies").check()
    page.get_by_label("Je e-mailadres").fill("melder@example.nl")


def test_anonymous_report_refresh_one_code_and_messages(page, axe, browser, live_server):
    page.goto("/meldpunt/")
    _fill_report(page)
    axe.assert_no_violations(page)
    button = page.get_by_role("button", name="Melding versturen")
    # A double click: the second click finds the button disabled; one submission goes out.
    button.dblclick()
    page.wait_for_url(re.compile(r"/meldpunt/ontvangen/$"))
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{6}-\d{4}-\d{4}-\d{4}-\d{4}", code)
    axe.assert_no_violations(page)

    # Refresh the confirmation: same report, no second code, and it says so.
    page.reload()
    assert page.get_by_test_id("receipt-code").count() == 0
    assert page.get_by_test_id("code-shown-before").is_visible()
    axe.assert_no_violations(page)
    # Back to the form page and send it again: still one report.
    page.go_back()
    page.wait_for_url(re.compile(r"/meldpunt/$"))
    _fill_report(page)  # as the browser may or may not have kept it
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_url(re.compile(r"/meldpunt/ontvangen/$"))
    assert page.get_by_test_id("receipt-code").count() == 0
    assert Report.objects.count() == 1
    assert OutboxMessage.objects.filter(to="melder@example.nl").count() == 1
    report = Report.objects.get()

    # Follow the report with the one code and write to the meldpunt.
    page.goto("/meldpunt/volgen/")
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_role("button", name="Bekijk mijn melding").click()
    page.wait_for_url(re.compile(r"/meldpunt/volgen/melding/$"))
    assert "waar mijn ouders vandaan komen" in page.content()
    axe.assert_no_violations(page)
    page.get_by_label("Bericht").fill("Kan ik ook bellen met iemand van het meldpunt?")
    page.get_by_role("button", name="Bericht versturen").click()
    assert page.get_by_text("Kan ik ook bellen met iemand van het meldpunt?").is_visible()

    # The meldpunt reads it and answers.
    f.UserFactory(role=Role.MELDPUNT, username="meldpunt")
    staff_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    staff = staff_context.new_page()
    login(staff, "meldpunt")
    staff.goto("/meldpunt/werkvoorraad/")
    staff.get_by_role("link", name=report.reference).click()
    assert staff.get_by_text("Kan ik ook bellen met iemand van het meldpunt?").is_visible()
    staff.get_by_role("button", name="In behandeling nemen").click()
    staff.get_by_label("Bericht", exact=True).fill("Ja, bel ons op werkdagen tussen 9 en 17 uur.")
    staff.get_by_role("button", name="Bericht versturen").click()
    assert staff.get_by_text("Je bericht is verstuurd naar de melder.").is_visible()
    axe.assert_no_violations(staff)
    staff_context.close()

    # The reporter reads the answer with the same code.
    page.context.clear_cookies()
    page.goto("/meldpunt/volgen/")
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_role("button", name="Bekijk mijn melding").click()
    assert page.get_by_text("Ja, bel ons op werkdagen tussen 9 en 17 uur.").is_visible()
    assert page.get_by_test_id("status").inner_text() == "in behandeling"
    axe.assert_no_violations(page)
    assert Report.objects.count() == 1
