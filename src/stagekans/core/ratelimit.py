"""Rate limits that survive a cache outage, without storing client addresses.

A `Limit` is a scope, a number and a window. Counters live in the cache (Redis in production,
shared by every web process). The client is identified by `client_key()`: a SHA-256 of (daily
random salt + client address); the salt lives only in the cache and changes every day, so
neither the address nor a linkable hash is ever written to the database or a log.

The client address is the proxy-aware one of core/client_ip.py (the same rule as the login
lockout): a forged X-Forwarded-For cannot evade a limit.

**When the cache is down** (issue 10, finding 6) a limit never turns into an error page, and
never into a lost report:

* `fallback="database"` (the meldpunt's limits): counters move to `core.RateLimitCounter`, a
  fixed-window counter per (scope, key, window start). The key is then an HMAC of the address
  with a key derived from SECRET_KEY and the day (the random salt is in the dead cache);
  rows are deleted as soon as their window has passed (every write purges), so they live at
  most one window, and only during the outage.
* `fallback="open"` (API throttles): the request is let through.

Either way an ERROR `ratelimit.cache_unavailable` is logged (the alert), at most once per
`CIRCUIT_SECONDS`; for that long the cache is not tried again, so a dead Redis costs no
connection attempt per request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from redis.exceptions import RedisError

from stagekans.core.client_ip import client_address

logger = logging.getLogger("stagekans.ratelimit")

SALT_TTL = 2 * 24 * 60 * 60
CIRCUIT_SECONDS = 30
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)

Fallback = Literal["database", "open"]


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window_seconds: int
    fallback: Fallback = "database"

    @property
    def minutes(self) -> int:
        return max(1, self.window_seconds // 60)


# --- is the cache there? ------------------------------------------------------------------------

_cache_down_until = 0.0


def _cache_usable() -> bool:
    return time.monotonic() >= _cache_down_until


def _cache_failed(error: BaseException, what: str) -> None:
    global _cache_down_until
    alert = _cache_usable()
    _cache_down_until = time.monotonic() + CIRCUIT_SECONDS
    if alert:
        logger.error(
            "ratelimit.cache_unavailable: %s failed (%s); rate limits fall back for %ss",
            what,
            type(error).__name__,
            CIRCUIT_SECONDS,
        )


def reset_circuit() -> None:
    """Try the cache again at the next call (tests; an operator after a repair)."""
    global _cache_down_until
    _cache_down_until = 0.0


# --- who is the client? -------------------------------------------------------------------------


def _daily_salt(today: dt.date | None = None) -> str | None:
    key = f"meldpunt:salt:{(today or dt.date.today()).isoformat()}"
    if not _cache_usable():
        return None
    try:
        # One round trip on all but the day's first request; add() only when it is missing.
        salt = cache.get(key)
        if salt is None:
            cache.add(key, secrets.token_hex(32), SALT_TTL)
            salt = cache.get(key)
        if salt is None:  # evicted between add and get: take a fresh one for this request
            salt = secrets.token_hex(32)
            cache.set(key, salt, SALT_TTL)
    except CACHE_ERRORS as error:
        _cache_failed(error, "salt")
        return None
    return str(salt)


def _outage_key(address: str, today: dt.date) -> str:
    day_key = hmac.new(
        settings.SECRET_KEY.encode(), f"ratelimit|{today.isoformat()}".encode(), hashlib.sha256
    ).digest()
    return "o" + hmac.new(day_key, address.encode(), hashlib.sha256).hexdigest()[:39]


def client_key(request: HttpRequest) -> str:
    """The client's key; computed once per request (several limits may ask for it)."""
    known = getattr(request, "_stagekans_client_key", None)
    if known is not None:
        return str(known)
    address = client_address(request)
    salt = _daily_salt()
    if salt is None:
        key = _outage_key(address, dt.date.today())
    else:
        key = hashlib.sha256(f"{salt}|{address}".encode()).hexdigest()[:40]
    with contextlib.suppress(AttributeError):  # an object without attributes: no memo
        request._stagekans_client_key = key  # type: ignore[attr-defined]
    return key


# --- counting -----------------------------------------------------------------------------------


def _counter_key(scope: str, key: str) -> str:
    return f"meldpunt:rl:{scope}:{key}"


def _window_start(limit: Limit, now: dt.datetime) -> dt.datetime:
    seconds = int(now.timestamp()) // limit.window_seconds * limit.window_seconds
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _db_count(limit: Limit, key: str) -> int:
    from stagekans.core.models import RateLimitCounter

    start = _window_start(limit, timezone.now())
    found = (
        RateLimitCounter.objects.filter(scope=limit.scope, key=key, window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return int(found or 0)


def _db_add(limit: Limit, key: str, amount: int) -> int:
    from stagekans.core.models import RateLimitCounter

    now = timezone.now()
    start = _window_start(limit, now)
    with transaction.atomic():
        RateLimitCounter.objects.filter(expires_at__lte=now).delete()
        row, _created = RateLimitCounter.objects.get_or_create(
            scope=limit.scope,
            key=key,
            window_start=start,
            defaults={"count": 0, "expires_at": start + dt.timedelta(seconds=limit.window_seconds)},
        )
        if amount < 0:
            RateLimitCounter.objects.filter(pk=row.pk, count__gt=0).update(count=F("count") - 1)
        else:
            RateLimitCounter.objects.filter(pk=row.pk).update(count=F("count") + amount)
        return int(RateLimitCounter.objects.values_list("count", flat=True).get(pk=row.pk))


def count(limit: Limit, key: str) -> int:
    """How many hits `key` has in the current window of `limit`."""
    if _cache_usable():
        try:
            return int(cache.get(_counter_key(limit.scope, key), 0))
        except CACHE_ERRORS as error:
            _cache_failed(error, "count")
    if limit.fallback == "open":
        return 0
    return _db_count(limit, key)


def increment(limit: Limit, key: str) -> int:
    """Count one hit and return the number of hits in the window, this one included."""
    if _cache_usable():
        counter = _counter_key(limit.scope, key)
        try:
            add_and_incr = getattr(cache, "add_and_incr", None)
            if add_and_incr is not None:  # Redis: both in one round trip
                return int(add_and_incr(counter, limit.window_seconds))
            cache.add(counter, 0, limit.window_seconds)
            try:
                return int(cache.incr(counter))
            except ValueError:  # expired between add and incr
                cache.set(counter, 1, limit.window_seconds)
                return 1
        except CACHE_ERRORS as error:
            _cache_failed(error, "increment")
    if limit.fallback == "open":
        return 0
    return _db_add(limit, key, 1)


def exceeded(limit: Limit, key: str) -> bool:
    """Count one hit; True if it goes over the limit."""
    return increment(limit, key) > limit.limit


def decrement(limit: Limit, key: str) -> None:
    """Take back one counted hit (a right receipt code does not count against the limit)."""
    if _cache_usable():
        counter = _counter_key(limit.scope, key)
        try:
            try:
                if int(cache.decr(counter)) < 0:
                    cache.delete(counter)
            except ValueError:  # the window expired meanwhile: nothing to take back
                pass
            return
        except CACHE_ERRORS as error:
            _cache_failed(error, "decrement")
    if limit.fallback == "database":
        _db_add(limit, key, -1)


def reset(limit: Limit, key: str) -> None:
    try:
        cache.delete(_counter_key(limit.scope, key))
    except CACHE_ERRORS as error:
        _cache_failed(error, "reset")


def describe(limit: Limit) -> dict[str, Any]:
    return {"scope": limit.scope, "limit": limit.limit, "window_seconds": limit.window_seconds}
