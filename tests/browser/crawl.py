"""Crawl every page a role can reach and check it at a desktop and a mobile width.

Used by tests/browser/test_look_browser.py (against the live test server) and usable by hand
against a running server:

    .venv/bin/python -m tests.browser.crawl http://127.0.0.1:8000 student Stagekans-demo-2026

A page fails on: horizontal scrolling (WCAG 1.4.10 reflow), any visible text rendered in
another font than the service font (e.g. a serif fallback), the service font not loaded, or any
axe-core violation of WCAG 2.1 A/AA and the axe best practices.
"""

from __future__ import annotations

import re
import sys
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlparse

from playwright.sync_api import Error as PlaywrightError

WIDTHS = {"desktop": (1280, 900), "mobile": (320, 640)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SERVICE_FONT = "source sans 3"
SKIP_PREFIXES = ("/beheer/", "/api/", "/static/", "/media/", "/account/uitloggen")
SKIP_PATTERN = re.compile(
    r"(\.csv|\.pdf|/pdf/|/export|/download|/bijlage|/bijlagen/|/document/|/cv/|formaat=|\.json)",
    re.I,
)

DESCRIBE_JS = """
const describe = el => {
  const name = typeof el.className === 'string' ? el.className.trim() : '';
  return el.tagName.toLowerCase() + (name ? '.' + name.split(/\\s+/).join('.') : '');
};
"""

FONT_CHECK_JS = """
async () => {
  DESCRIBE
  await document.fonts.ready;
  const loaded = [...document.fonts].some(
    f => f.family.replace(/["']/g, '').toLowerCase() === 'source sans 3' && f.status === 'loaded');
  const wrong = [];
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'text') continue;
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const control = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName);
    if (!ownText && !control) continue;
    if (el.checkVisibility && !el.checkVisibility()) continue;
    const family = getComputedStyle(el).fontFamily;
    const first = family.split(',')[0].trim().replace(/["']/g, '').toLowerCase();
    const code = el.closest('code, kbd, samp, pre');
    if (code ? /(^|[^-])serif/.test(first) : first !== 'source sans 3') {
      wrong.push(`${describe(el)}: ${family}`);
    }
  }
  return {loaded, wrong: wrong.slice(0, 8)};
}
"""

OVERFLOW_JS = """
() => {
  DESCRIBE
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      let scrolled = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { scrolled = true; break; }
      }
      if (!scrolled) {
        culprits.push(`${describe(el)} (${Math.round(box.right)}px)`);
      }
    }
  }
  return {scrollWidth: root.scrollWidth, width, culprits: culprits.slice(-6)};
}
"""


@dataclass
class CrawlResult:
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def page_kind(path: str) -> str:
    """One page per kind: /zaken/12/ and /zaken/13/ are the same kind of page."""
    return re.sub(r"[0-9]+", "N", re.sub(r"[A-Z]{2,}-[0-9A-Z-]+", "REF", path))


def should_follow(href: str | None, origin: str) -> str | None:
    if not href:
        return None
    url, _fragment = urldefrag(href)
    parsed = urlparse(url)
    if parsed.scheme and parsed.scheme not in ("http", "https"):
        return None
    if parsed.netloc and f"{parsed.scheme}://{parsed.netloc}" != origin:
        return None
    path = parsed.path or "/"
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES) or SKIP_PATTERN.search(path):
        return None
    return path + (f"?{parsed.query}" if parsed.query else "")


def check_page(page: Any, axe: Any, label: str) -> list[str]:
    problems = []
    fonts = page.evaluate(FONT_CHECK_JS.replace("DESCRIBE", DESCRIBE_JS))
    if not fonts["loaded"]:
        problems.append(f"{label}: the service font Source Sans 3 is not loaded")
    if fonts["wrong"]:
        problems.append(f"{label}: text not in the service font: {fonts['wrong']}")
    overflow = page.evaluate(OVERFLOW_JS.replace("DESCRIBE", DESCRIBE_JS))
    if overflow:
        problems.append(
            f"{label}: scrolls sideways ({overflow['scrollWidth']}px in {overflow['width']}px), "
            f"too wide: {overflow['culprits']}"
        )
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    for violation in results.response.get("violations", []):
        targets = [" ".join(map(str, n.get("target", []))) for n in violation.get("nodes", [])]
        problems.append(f"{label}: axe {violation['id']} ({violation['impact']}): {targets[:4]}")
    return problems


def crawl(
    page: Any, axe: Any, origin: str, *, start: str = "/", max_pages: int = 80
) -> CrawlResult:
    """Breadth-first over the links in header, main and footer; one page per kind."""
    result = CrawlResult()
    seen_kinds: set[str] = set()
    queue: deque[str] = deque([start])
    while queue and len(result.visited) < max_pages:
        path = queue.popleft()
        kind = page_kind(path.split("?")[0])
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        for width_name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            try:
                response = page.goto(path)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    break  # a file download (PDF, CSV, document), not a page to look at
                raise
            if response is None or response.status >= 500:
                result.problems.append(f"{path}: status {response.status if response else '?'}")
                break
            if response.status >= 400:
                break  # a denied or missing page is not part of this role's pages
            result.problems.extend(check_page(page, axe, f"{path} @{width_name}"))
        else:
            result.visited.append(path)
            hrefs = page.locator("header a[href], main a[href], footer a[href]").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
            for href in hrefs:
                target = should_follow(href, origin)
                if target and page_kind(target.split("?")[0]) not in seen_kinds:
                    queue.append(target)
    return result


def login(page: Any, username: str, password: str) -> None:
    """Password, then (staff) the TOTP code of the user's device (demo users: the demo key)."""
    from tests.browser.otp import enter_second_factor

    page.goto("/account/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").last.click()
    enter_second_factor(page, username)
    page.wait_for_url(re.compile(r"/$"))


def main(argv: list[str]) -> int:  # pragma: no cover - manual use
    import os

    import django
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.dev")
    # the second-step code is read from the database while Playwright runs its event loop
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    django.setup()  # for the second-step code of demo users
    base, username, password = [*argv, None, None][:3]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(base_url=base, locale="nl-NL")
        page = context.new_page()
        if username:
            login(page, username, password or "")
        result = crawl(page, Axe(), base.rstrip("/"))
        print(f"{len(result.visited)} pages: {result.visited}")
        print("\n".join(result.problems) or "no problems")
        browser.close()
    return 1 if result.problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
