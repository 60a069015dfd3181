"""Screenshots of the main page of each role, desktop (1280 px) and mobile (390 px).

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [--out DIR]

Builds a throw-away SQLite database with the deterministic demo data, serves it on a free local
port, logs in as each demo user with the system Chromium and writes
docs/screenshots/<role>-desktop.png and <role>-mobile.png. Nothing outside the output folder is
touched.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"desktop": (1280, 900), "mobile": (390, 844)}
CHROMIUM = os.environ.get("STAGEKANS_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server on {url} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "DJANGO_SETTINGS_MODULE": "stagekans.settings.dev",
            "CELERY_BROKER_URL": "",
            "CACHE_URL": "locmemcache://",
        }
        manage = [python, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo", "--seed", "7", "--schools", "3", "--students", "300"]
            + ["--companies", "150"],
            env=env,
            check=True,
        )
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            take(base, out, env)
        finally:
            server.terminate()
            server.wait(timeout=10)


def take(base: str, out: Path, env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL",)})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.dev")
    # the second-step code is read from the database while Playwright runs its event loop
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from stagekans.demo.builder import DEMO_LOGINS, DEMO_PASSWORD
    from tests.browser.crawl import login

    roles = [("bezoeker", None)] + [(username, username) for _, username, _ in DEMO_LOGINS]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, username in roles:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(
                    base_url=base, locale="nl-NL", viewport={"width": width, "height": height}
                )
                page = context.new_page()
                if username:
                    login(page, username, DEMO_PASSWORD)
                page.goto("/")
                page.evaluate("document.fonts.ready")
                target = out / f"{name}-{size}.png"
                page.screenshot(path=str(target), full_page=size == "desktop")
                print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
