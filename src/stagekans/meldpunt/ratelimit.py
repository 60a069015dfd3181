"""Rate limits for anonymous intake and receipt-code look-ups, without storing addresses.

The client is identified by a SHA-256 of (daily random salt + REMOTE_ADDR). The salt lives
only in the cache and is replaced every day, the counters expire within the hour, and neither
the address nor its hash is ever written to the database or a log. With several web processes
the cache must be shared (CACHE_URL=redis://…), otherwise each process counts on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.cache import cache
from django.http import HttpRequest

SALT_TTL = 2 * 24 * 60 * 60


def _daily_salt(today: dt.date | None = None) -> str:
    key = f"meldpunt:salt:{(today or dt.date.today()).isoformat()}"
    cache.add(key, secrets.token_hex(32), SALT_TTL)
    salt = cache.get(key)
    if salt is None:  # evicted between add and get: take a fresh one for this request
        salt = secrets.token_hex(32)
        cache.set(key, salt, SALT_TTL)
    return str(salt)


def client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(f"{_daily_salt()}|{address}".encode()).hexdigest()[:40]


def _counter_key(scope: str, key: str) -> str:
    return f"meldpunt:rl:{scope}:{key}"


def count(scope: str, key: str) -> int:
    return int(cache.get(_counter_key(scope, key), 0))


def increment(scope: str, key: str, window_seconds: int) -> int:
    counter = _counter_key(scope, key)
    cache.add(counter, 0, window_seconds)
    try:
        return int(cache.incr(counter))
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, window_seconds)
        return 1


def reset(scope: str, key: str) -> None:
    cache.delete(_counter_key(scope, key))
