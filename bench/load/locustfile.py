"""The five journeys of the load benchmark (bench/load/run.py starts locust with this file).

Each user class is one journey; every request must answer with the expected status, anything
else counts as an error. Users wait for nothing between requests (a closed loop: N clients keep
N requests in flight), so throughput is what the server manages, not what a think time allows.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from locust import FastHttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from searches import search_paths

RUN = json.loads(Path(os.environ["BENCH_RUN_FILE"]).read_text())
SEARCHES = search_paths(500, seed=int(os.environ.get("BENCH_SEED", "2026")), pc4s=RUN["pc4s"])
# What the TLS proxy in front of gunicorn sends in production.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Journey(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    n = 0

    def https_url(self, path: str) -> str:
        """The page as the browser saw it, behind the TLS proxy (for the CSRF Referer check)."""
        return re.sub(r"^http:", "https:", self.host or "") + path

    def next_search(self) -> str:
        self.n += 1
        return SEARCHES[(id(self) + self.n * 7919) % len(SEARCHES)]

    def get(self, path: str, name: str, expected: int = 200) -> None:
        with self.client.get(
            path, name=name, headers=PROXY_HEADERS, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expected:
                response.failure(f"{response.status_code} in plaats van {expected}")


class SearchPage(Journey):
    @task
    def search_page(self) -> None:
        self.get("/stagemarkt/?" + self.next_search(), "zoekpagina")


class SearchApi(Journey):
    @task
    def search_api(self) -> None:
        self.get("/api/v1/stagemarkt/vacatures/?" + self.next_search(), "zoek-API")


class IntakePage(Journey):
    @task
    def intake_page(self) -> None:
        self.get("/meldpunt/", "meldformulier")


class FollowWithCode(Journey):
    """Enter the receipt code (one Argon2 verification, on purpose), then read the report."""

    @task
    def follow(self) -> None:
        with self.client.get(
            "/meldpunt/volgen/",
            name="volgen: formulier",
            headers=PROXY_HEADERS,
            catch_response=True,
        ) as form:
            token = CSRF.search(form.text or "")
            if form.status_code != 200 or token is None:
                form.failure(f"formulier: {form.status_code}, csrf-token gevonden: {bool(token)}")
                return
        with self.client.post(
            "/meldpunt/volgen/",
            name="volgen: code invoeren",
            data={"code": RUN["receipt_code"], "csrfmiddlewaretoken": token.group(1)},
            headers={**PROXY_HEADERS, "Referer": self.https_url("/meldpunt/volgen/")},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "/volgen/melding/" not in answer.headers.get(
                "Location", ""
            ):
                answer.failure(f"code: {answer.status_code} {answer.headers.get('Location')}")
                return
        self.get("/meldpunt/volgen/melding/", "volgen: melding")


class StaffQueue(Journey):
    def on_start(self) -> None:
        self.client.cookiejar.set_cookie(  # type: ignore[attr-defined]
            _cookie(RUN["session_cookie_name"], RUN["staff_session"], self.host)
        )

    @task
    def queue(self) -> None:
        self.get("/meldpunt/werkvoorraad/", "werkvoorraad meldpunt")


def _cookie(name: str, value: str, host: str):  # type: ignore[no-untyped-def]
    from http.cookiejar import Cookie
    from urllib.parse import urlsplit

    domain = urlsplit(host).hostname or "127.0.0.1"
    return Cookie(
        0, name, value, None, False, domain, False, False, "/", True, False, None, False, None,
        None, {},
    )  # fmt: skip
