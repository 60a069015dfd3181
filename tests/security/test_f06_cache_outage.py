"""Finding 6 (issue 10): a cache (Redis) outage never disables anonymous reporting or loses a
report. The rate limits fall back to a database counter (still enforced), an alert is logged,
and the intake stays up. A real Redis is started on its own port and stopped during the test;
the shared Redis on 6379 is never touched."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from stagekans.core import ratelimit as core_ratelimit
from stagekans.core.models import RateLimitCounter
from stagekans.meldpunt import ratelimit
from stagekans.meldpunt.models import Report
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
URL = "/meldpunt/"
FOLLOW = "/meldpunt/volgen/"


def form_data(**overrides):
    data = {
        "reporter_role": "witness",
        "what_happened": "De praktijkopleider weigerde een stagiair vanwege een hoofddoek.",
        "occurred_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "phase": "recruitment",
        "grounds": ["religion"],
        "company_name": "Garage Van Dijk",
        "follow_up": "register_only",
        "verstuur": "1",
    }
    data.update(overrides)
    return data


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def own_redis(settings):
    """A private redis-server on a free port (never the shared 6379), stopped by the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server ontbreekt (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    settings.CACHES = _redis_cache(port)
    core_ratelimit.reset_circuit()
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
    core_ratelimit.reset_circuit()


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


def test_reports_keep_coming_in_when_redis_stops(own_redis, caplog, monkeypatch):
    monkeypatch.setattr(
        ratelimit, "INTAKE_ACCEPTED", ratelimit.Limit("intake-accepted", 3, 60 * 60)
    )
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert client.post(URL, form_data()).status_code == 201
    # Really Redis, really up, and really counting there.
    assert type(caches["default"]).__name__ == "RedisCache"
    redis_client = caches["default"]._cache.get_client()
    assert any(b":intake-accepted:" in key for key in redis_client.scan_iter())

    _stop(own_redis)
    with pytest.raises(Exception):  # noqa: B017  (whatever redis-py raises when it is gone)
        caches["default"].get("anything")
    caplog.set_level(logging.ERROR, logger="stagekans.ratelimit")
    for _ in range(3):
        assert client.post(URL, form_data()).status_code == 201
    assert Report.objects.count() == 4  # nothing lost
    alerts = [r for r in caplog.records if "ratelimit.cache_unavailable" in r.getMessage()]
    assert len(alerts) == 1  # one alert, not one per request
    # The limit is still enforced, now counted in the database (keyed hash, no address).
    assert RateLimitCounter.objects.filter(scope="intake-accepted").get().count == 3
    assert "203.0.113.10" not in str(list(RateLimitCounter.objects.values_list("key")))
    blocked = client.post(URL, form_data())
    assert blocked.status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.10").post(URL, form_data()).status_code == 201


def test_code_checks_stay_limited_when_redis_stops(own_redis):
    submitted = f.submit_report()
    _stop(own_redis)
    client = Client(REMOTE_ADDR="203.0.113.11")
    wrong = "999999" + "0" * 16
    statuses = [
        client.post(FOLLOW, {"code": wrong}).status_code
        for _ in range(ratelimit.CODE_PER_CLIENT.limit + 1)
    ]
    assert statuses[:-1] == [400] * ratelimit.CODE_PER_CLIENT.limit and statuses[-1] == 429
    other = Client(REMOTE_ADDR="198.51.100.11")
    assert other.post(FOLLOW, {"code": submitted.receipt_code}).status_code == 302


def test_a_cache_on_a_dead_port_does_not_stop_the_intake(settings):
    settings.CACHES = _redis_cache(_free_port())  # nothing listens there
    core_ratelimit.reset_circuit()
    try:
        response = Client(REMOTE_ADDR="203.0.113.12").post(URL, form_data())
        assert response.status_code == 201
        assert Report.objects.count() == 1
        assert "receipt_code" in response.context
    finally:
        core_ratelimit.reset_circuit()


def test_database_counters_are_deleted_when_their_window_has_passed():
    limit = ratelimit.Limit("test-window", 5, 60)
    core_ratelimit._db_add(limit, "k1", 1)
    RateLimitCounter.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    core_ratelimit._db_add(limit, "k2", 1)
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["k2"]
