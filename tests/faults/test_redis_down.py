"""Redis (cache and broker) stops: the anonymous intake must stay up and no report may be lost.

Issue 10, finding 6: with the cache down the meldpunt limiter degrades (a database-backed
counter) and the intake accepts the report; the confirmation mail waits in the outbox until the
broker is back. (Before that fix the intake answered 500 and the report was lost.) Readiness
reports the cache and broker down; liveness stays up.
"""

from __future__ import annotations

import psycopg
import pytest
import requests

from tests.faults.conftest import app_env, report_summary
from tests.faults.test_postgres_restart import ACCEPTED, submit_report

pytestmark = pytest.mark.faults


@pytest.fixture
def app_without_redis(database, own_redis, gunicorn_factory):
    server = gunicorn_factory(app_env(database_url=database, redis_url=own_redis.url), workers=2)
    assert submit_report(server.base, "0" * 32, "198.51.100.1") == ACCEPTED  # works with Redis up
    own_redis.stop()
    return server


def test_with_redis_stopped_the_site_is_alive_and_says_it_is_not_ready(app_without_redis):
    base = app_without_redis.base
    assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
    ready = requests.get(f"{base}/readyz", timeout=30)
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["cache"]["status"] == "down"
    assert checks["broker"]["status"] == "down"
    assert checks["database"]["status"] == "up"
    form = requests.get(f"{base}/meldpunt/", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert form.status_code == 200


def test_with_redis_stopped_an_anonymous_report_is_accepted_and_stored(
    request, app_without_redis, database
):
    marker = "f" * 32
    status = submit_report(app_without_redis.base, marker, "198.51.100.2", timeout=60)
    with psycopg.connect(database) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM meldpunt_report WHERE what_happened LIKE %s", [f"%{marker}%"]
        ).fetchone()
    report_summary(request, f"report with Redis stopped: HTTP {status}, stored: {stored}")
    assert status == ACCEPTED, app_without_redis.tail()
    assert stored == (1,)
