"""Liveness (`/healthz`) and readiness (`/readyz`) for load balancers and orchestrators.

`/healthz` answers as long as the process can serve a request; it touches nothing else, so a
database outage never makes an orchestrator restart every web process at once. `/readyz` checks
what a request needs — the database, the cache and the task broker — and answers 503 while one
of them is down, so the load balancer stops sending traffic until it is back. Both answer JSON,
are never cached, and show no connection strings or error texts (those may hold passwords).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer to SELECT 1")


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("cache did not return what was stored")
    finally:
        cache.delete(key)


def check_broker() -> None:
    from stagekans.celery import app

    if app.conf.task_always_eager:
        return  # no broker configured: tasks run in-process (the embedded default)
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        # An open socket does not prove the broker answers; a round trip does (Redis: PING).
        client = getattr(conn.default_channel, "client", None)
        if client is not None:
            client.ping()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def _run(name: str, check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:
        logger.warning("readyz: %s is down (%s)", name, type(exc).__name__)
        return {"status": "down", "error": type(exc).__name__}
    return {"status": "up", "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    ready = all(result["status"] == "up" for result in results.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": results,
        "eager_tasks": bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)),
    }
    return JsonResponse(body, status=200 if ready else 503)
