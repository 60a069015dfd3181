"""Rate limits for anonymous intake and receipt-code look-ups, without storing addresses.

The client is identified by a SHA-256 of (daily random salt + client address). The salt lives
only in the cache and is replaced every day, the counters expire within the hour, and neither
the address nor its hash is ever written to the database or a log.

The client address is REMOTE_ADDR, unless STAGEKANS_TRUSTED_PROXY_COUNT = n > 0: then the
application runs behind n proxies of our own, each appending the address it received the
request from to X-Forwarded-For, and the client is the entry n hops from the right. Entries
further left come from the client and are ignored, so a forged X-Forwarded-For cannot evade a
limit. With several web processes
the cache must be shared (CACHE_URL=redis://…), otherwise each process counts on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from stagekans.core.client_ip import client_address

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
    address = client_address(request)
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


def decrement(scope: str, key: str) -> None:
    """Take back one counted attempt (a right receipt code does not count against the limit)."""
    counter = _counter_key(scope, key)
    try:
        if int(cache.decr(counter)) < 0:
            cache.delete(counter)
    except ValueError:  # the window expired meanwhile: nothing to take back
        pass
