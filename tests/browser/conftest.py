"""Browser tests: Playwright drives the system Chromium (/usr/bin/chromium), never a download.

Without Chromium the tests are skipped with a clear message, unless STAGEKANS_REQUIRE_BROWSER=1
(set by CI), in which case they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("STAGEKANS_CHROMIUM", "/usr/bin/chromium"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Playwright's sync API runs an event loop in this thread; Django's DB guard must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_missing() -> str | None:
    if CHROMIUM.exists() or shutil.which(str(CHROMIUM)):
        return None
    return (
        f"Chromium ontbreekt op {CHROMIUM}: browsertests overgeslagen. "
        "Installeer het met `apt-get install chromium` (Debian/Ubuntu)."
    )


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    reason = _chromium_missing()
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                if os.environ.get("STAGEKANS_REQUIRE_BROWSER") == "1":
                    item.add_marker(pytest.mark.xfail(reason=reason, run=False, strict=True))
                else:
                    item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _chromium_missing()
    if reason:
        if os.environ.get("STAGEKANS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    # Every page of every browser test runs under the production CSP (no inline script/style).
    assert not csp_violations, f"CSP blocked something: {csp_violations}"


def login(page: Any, username: str, password: str | None = None) -> None:
    """Log in through the real form; staff then enter a real TOTP code from their device.

    Staff without a device get the test device (factories.TEST_TOTP_KEY) first, so the login
    lands on the second step rather than on its set-up page (tested in test_security_login).
    """
    from stagekans.testing import factories as f

    from .otp import ensure_device, enter_second_factor

    ensure_device(username)
    page.context.clear_cookies()
    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(password or f.PASSWORD)
    page.get_by_role("button", name="Inloggen").last.click()
    enter_second_factor(page, username)
    page.wait_for_url(re.compile(r"/$"))


class AxeChecker:
    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self._axe = Axe()

    @property
    def engine(self) -> Any:
        """The axe runner itself, for checks with other tags (see tests/browser/crawl.py)."""
        return self._axe

    def assert_no_violations(self, page: Any) -> None:
        results = self._axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        if results.violations_count:
            pytest.fail(
                f"axe found {results.violations_count} WCAG 2.1 A/AA violation(s) on "
                f"{page.url}:\n{results.generate_report()}"
            )


@pytest.fixture(scope="session")
def axe() -> AxeChecker:
    return AxeChecker()
