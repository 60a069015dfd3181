"""/healthz (liveness, touches nothing) and /readyz (database, cache, broker; 503 when one is down).

The dead cache and broker are real Redis URLs on a port where nothing listens, not mocks.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stagekans.celery import app as celery_app

REPO_ROOT = Path(__file__).resolve().parents[4]


def _dead_redis_url() -> str:
    """A Redis URL on a loopback port that was free a moment ago: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def celery_broker() -> Iterator[object]:
    """Point the Celery app at a given broker for one test (not eager), then restore it."""
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}

    def use(url: str) -> None:
        celery_app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    celery_app.conf.update(saved)


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_everything_is_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "up",
        "cache": "up",
        "broker": "up",
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _dead_redis_url(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == {"status": "down", "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "up"
    assert "redis://" not in response.content.decode()  # no connection strings leak


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_down(client, celery_broker):
    celery_broker(_dead_redis_url())
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["cache"]["status"] == "up"


@pytest.mark.django_db
def test_readyz_with_a_real_redis_as_cache_and_broker(client, settings, celery_broker):
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        pytest.skip("needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    celery_broker(redis_url)
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert {check["status"] for check in response.json()["checks"].values()} == {"up"}


def test_probes_are_not_redirected_to_https_in_production():
    """Load balancers probe over plain HTTP; a 301 would mark every process unhealthy."""
    code = (
        "import django; django.setup();"
        "from django.test import Client; c = Client();"
        "assert c.get('/healthz').status_code == 200, 'healthz redirected';"
        "assert c.get('/over/').status_code == 301, 'other pages must still redirect'"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stagekans.settings.production",
        "DJANGO_SECRET_KEY": "x" * 64,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "BACKGROUND_PSEUDONYM_KEY": "p" * 40,
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=REPO_ROOT)
