"""PostgreSQL stops and starts again while anonymous reports come in (bounded load).

* Every report the application accepted (303 to the confirmation) is in the database afterwards.
* While the database is down, /healthz stays 200 (liveness: do not restart the processes) and
  /readyz answers 503 (readiness: take them out of the load balancer).
* After the database is back, the same gunicorn processes accept reports again within seconds,
  without a restart (persistent connections are health-checked: CONN_HEALTH_CHECKS).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import psycopg
import pytest
import requests

from tests.faults.conftest import app_env, report_summary, wait_until

pytestmark = pytest.mark.faults

CLIENTS = 3
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
# An accepted report answers 303 See Other to the confirmation page (post/redirect/get).
ACCEPTED = 303


@dataclass
class Attempt:
    marker: str
    started: float
    status: int  # 0: no HTTP answer


def submit_report(base: str, marker: str, client_ip: str, timeout: float = 15) -> int:
    """One anonymous report through the public form, as a browser behind the TLS proxy sends it."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip}
    with requests.Session() as session:
        form = session.get(f"{base}/meldpunt/", headers=headers, timeout=timeout)
        if form.status_code != 200:
            return form.status_code
        token = CSRF.search(form.text)
        assert token, "no CSRF token on the report form"
        submission = SUBMISSION.search(form.text)
        assert submission, "no submission token on the report form"
        answer = session.post(
            f"{base}/meldpunt/",
            headers={**headers, "Referer": base.replace("http:", "https:") + "/meldpunt/"},
            data={
                "csrfmiddlewaretoken": token.group(1),
                "submission_token": submission.group(1),
                "reporter_role": "student",
                "what_happened": f"Storingstest {marker}: de werkgever wilde geen stagiair met "
                "een hoofddoek.",
                "occurred_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
                "phase": "recruitment",
                "grounds": ["religion"],
                "company_name": "Storingstest BV",
                "follow_up": "register_only",
                "verstuur": "1",
            },
            timeout=timeout,
            allow_redirects=False,
        )
        if answer.status_code == ACCEPTED and not answer.headers.get("Location", "").endswith(
            "/meldpunt/ontvangen/"
        ):
            return 0  # redirected elsewhere: not an accepted report
        return answer.status_code


class Load:
    """CLIENTS threads submitting reports, each from its own address, until stopped."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.attempts: list[Attempt] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(CLIENTS)]

    def _run(self, client: int) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            marker = f"{uuid.uuid4().hex}"
            started = time.monotonic()
            try:
                status = submit_report(self.base, marker, f"198.51.100.{client * 50 + n % 50}")
            except requests.RequestException:
                status = 0
            with self.lock:
                self.attempts.append(Attempt(marker, started, status))
            if status != 201:
                time.sleep(0.2)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_postgres_restart_under_load_loses_no_accepted_report(
    request, own_postgres, database, own_redis, gunicorn_factory
):
    server = gunicorn_factory(app_env(database_url=database, redis_url=own_redis.url), workers=2)
    pid = server.proc.pid
    base = server.base

    with Load(base) as load:
        wait_until(lambda: sum(a.status == ACCEPTED for a in load.attempts) >= 5, "5 reports", 120)
        own_postgres.stop("fast")
        stopped_at = time.monotonic()
        # Down: liveness stays up, readiness says so.
        assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
        ready = requests.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 503, ready.text
        assert ready.json()["checks"]["database"]["status"] == "down"
        time.sleep(3)
        own_postgres.start()
        back_at = time.monotonic()
        # Recovery: reports are accepted again by the same processes.
        wait_until(
            lambda: any(a.status == ACCEPTED and a.started > back_at for a in load.attempts),
            "a report accepted after the restart",
            60,
        )
        recovered_at = time.monotonic()
        time.sleep(5)  # and keep going for a while

    assert server.proc.poll() is None and server.proc.pid == pid, "gunicorn was restarted"
    ready = requests.get(f"{base}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text

    accepted = [a.marker for a in load.attempts if a.status == ACCEPTED]
    with psycopg.connect(database) as conn:
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT substring(what_happened from 'Storingstest ([0-9a-f]{32})') "
                "FROM meldpunt_report"
            )
        }
    lost = [m for m in accepted if m not in stored]
    after = [a for a in load.attempts if a.started > recovered_at + 1]
    statuses = Counter(a.status for a in load.attempts)
    report_summary(
        request,
        f"{len(load.attempts)} submissions ({dict(statuses)}), {len(accepted)} accepted, "
        f"{len(lost)} lost; database down {back_at - stopped_at:.1f} s, first accepted report "
        f"{recovered_at - back_at:.1f} s after it was back; after that "
        f"{sum(a.status == ACCEPTED for a in after)}/{len(after)} accepted\n{server.tail(1500)}",
    )
    assert not lost, f"accepted but not stored: {lost}"
    assert after and all(a.status == ACCEPTED for a in after), Counter(a.status for a in after)
