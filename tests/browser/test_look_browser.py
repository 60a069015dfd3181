"""Every page of every role, at 1280 px and at 320 px: no sideways scrolling, only the service
font, no axe-core violation (WCAG 2.1 A/AA and best practices). Plus the behaviour of the shared
layers: collapsible navigation, the error summary, the Stagemarkt cards, sorting and map."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from stagekans.accounts.roles import Role
from stagekans.core.demo import DEMO_LOGINS, DEMO_PASSWORD
from stagekans.testing import factories as f
from tests.browser.crawl import WIDTHS, check_page, crawl, login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    call_command("seed_demo", seed=7, schools=2, students=60, companies=40, verbosity=0)


def test_every_page_of_every_role_at_desktop_and_mobile(page, axe, live_server, demo):
    problems: list[str] = []
    visited: dict[str, int] = {}
    roles = [("anoniem", None)] + [(username, username) for _, username, _ in DEMO_LOGINS]
    for name, username in roles:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        if username:
            login(page, username, DEMO_PASSWORD)
        result = crawl(page, axe.engine, live_server.url, max_pages=45)
        visited[name] = len(result.visited)
        problems.extend(f"[{name}] {p}" for p in result.problems)
    assert all(count >= 4 for count in visited.values()), visited
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)


def test_crawl_detects_sideways_scroll_and_serif_text(page, axe, live_server):
    """The checks themselves can fail: a page made too wide and serif is caught."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/over/")
    page.evaluate(
        """() => {
          const p = document.createElement('p');
          p.textContent = 'breed';
          p.style.cssText = 'width: 900px; font-family: serif';
          document.querySelector('main').append(p);
        }"""
    )
    problems = check_page(page, axe.engine, "test")
    assert any("scrolls sideways" in p for p in problems), problems
    assert any("not in the service font" in p for p in problems), problems


def test_navigation_collapses_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/")
    toggle = page.get_by_role("button", name="Menu")
    menu_link = page.locator("#hoofdmenu").get_by_role("link", name="Stagemarkt")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_link.is_visible()
    box = menu_link.bounding_box()
    assert box and box["height"] >= 44  # touch target
    page.keyboard.press("Escape")
    assert not menu_link.is_visible()
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["desktop"], strict=True)))
    assert menu_link.is_visible() and not toggle.is_visible()


def test_error_summary_gets_focus_and_links_to_the_field(page, axe, live_server):
    page.goto("/meldpunt/volgen/")
    code = page.get_by_label("Ontvangstcode")
    # required fields are not marked optional, and nothing is red before a submit
    assert "niet verplicht" not in page.locator("label[for='id_code']").inner_text()
    page.get_by_role("button", name="Bekijk mijn melding").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.evaluate("el => el === document.activeElement")
    message = "Ontvangstcode: vul de code in die je kreeg na je melding."
    link = summary.get_by_role("link", name=message)
    assert link.count() == 1
    assert summary.inner_text().count("Ontvangstcode") == 1  # the label is not repeated
    link.click()
    assert code.evaluate("el => el === document.activeElement")
    axe.assert_no_violations(page)


def test_untouched_required_textarea_is_not_shown_invalid(page, live_server):
    f.totp_device(f.UserFactory(role=Role.MELDPUNT, username="meldpunt"))
    login(page, "meldpunt", f.PASSWORD)
    page.goto("/voorlichting/publiceren/")
    textarea = page.get_by_label("Tekst (Nederlands)")
    # an empty required field as on first load (setting the value fires no input event)
    assert textarea.evaluate("el => { el.value = ''; return el.required && !el.validity.valid }")
    border = "el => getComputedStyle(el).borderColor"
    neutral = textarea.evaluate(border)
    textarea.focus()
    page.keyboard.press("Tab")  # left empty: still neutral until a submit
    assert textarea.evaluate(border) == neutral
    textarea.fill("iets")
    textarea.fill("")
    page.keyboard.press("Tab")  # typed and emptied again: now it shows as invalid
    assert textarea.evaluate(border) != neutral


def test_stagemarkt_cards_sorting_map_and_loading(page, axe, live_server, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/stagemarkt/?waar=Utrecht&straal=60")
    cards = page.locator(".sk-results > li")
    assert cards.count() > 1
    first = cards.first
    assert "Afstand" in first.inner_text() and "Periode" in first.inner_text()
    distances = [
        float(m.replace(",", "."))
        for m in re.findall(r"([0-9]+,[0-9]) km", page.locator(".sk-results").inner_text())
    ]
    assert distances == sorted(distances)
    # the map: an SVG image with a text alternative and one dot per result
    page.get_by_text("Toon deze stageplaatsen op de kaart").click()
    svg = page.locator(".sk-map svg[role='img']")
    assert "Kaart van Nederland" in svg.locator("title").first.text_content()
    assert svg.locator(".sk-map__point").count() == cards.count()
    axe.assert_no_violations(page)
    # sorting by start date: htmx swaps the results
    page.get_by_label("Sorteren op").select_option("start")
    page.wait_for_url(re.compile("sortering=start"))
    page.locator(".sk-results").wait_for()
    starts = [
        _dutch_date(text.split(" – ")[0])
        for text in page.locator(".sk-results dd").all_inner_texts()
        if " – " in text
    ]
    assert len(starts) > 1 and starts == sorted(starts)
    indicator = page.locator("#zoeken-bezig")
    assert not indicator.is_visible()
    indicator.evaluate("el => el.classList.add('htmx-request')")  # what htmx does while loading
    assert indicator.is_visible() and indicator.inner_text() == "Bezig met zoeken…"


MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"


def _dutch_date(text: str) -> tuple[int, int, int]:
    day, month, year = text.split()
    return int(year), MONTHS.split().index(month) + 1, int(day)
