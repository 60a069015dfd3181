"""API rate limits (DRF throttles) on the shared limiter of core/ratelimit.py.

Clients are counted by the same proxy-aware, hashed client key as the meldpunt limits (never a
stored address), logged-in users by account. Rates are `DEFAULT_THROTTLE_RATES` (env var
API_THROTTLE_RATES): `anon` and `user` for every API view, plus a view's `throttle_scope`
(e.g. `stagemarkt-search`). If the cache is down the API fails open with an alert logged
(fallback "open"); the meldpunt's own limits fall back to the database instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from stagekans.core.ratelimit import Limit, client_key, exceeded

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/min' → (120, 60)."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period.strip()[0]]


def _rate(scope: str) -> str | None:
    rates: Any = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    rate = rates.get(scope)
    return str(rate) if rate else None


class _LimiterThrottle(BaseThrottle):
    def __init__(self) -> None:
        self.limit: Limit | None = None

    def scope_for(self, request: Request, view: Any) -> str | None:
        raise NotImplementedError

    def key_for(self, request: Request) -> str:
        user = request.user
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return client_key(request._request)

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = self.scope_for(request, view)
        rate = _rate(scope) if scope else None
        if scope is None or rate is None:
            return True
        number, seconds = parse_rate(rate)
        self.limit = Limit(f"api-{scope}", number, seconds, fallback="open")
        return not exceeded(self.limit, self.key_for(request))

    def wait(self) -> float | None:
        return float(self.limit.window_seconds) if self.limit else None


class AnonThrottle(_LimiterThrottle):
    """Every API request of a visitor who is not logged in (scope `anon`)."""

    def scope_for(self, request: Request, view: Any) -> str | None:
        user = request.user
        return None if user is not None and user.is_authenticated else "anon"


class UserThrottle(_LimiterThrottle):
    """Every API request of a logged-in user (scope `user`)."""

    def scope_for(self, request: Request, view: Any) -> str | None:
        user = request.user
        return "user" if user is not None and user.is_authenticated else None


class ScopedThrottle(_LimiterThrottle):
    """The view's own `throttle_scope` (e.g. the public vacancy search)."""

    def scope_for(self, request: Request, view: Any) -> str | None:
        return getattr(view, "throttle_scope", None)


THROTTLED_DESCRIPTION = (
    "Te veel verzoeken: de snelheidslimiet is bereikt. De header Retry-After geeft het aantal "
    "seconden tot een nieuw verzoek kan."
)


def add_throttle_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents its 429 answer."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["TeVeelVerzoeken"] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "Nederlandse melding met de wachttijd."}
        },
        "required": ["detail"],
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["responses"].setdefault(
                "429",
                {
                    "description": THROTTLED_DESCRIPTION,
                    "headers": {
                        "Retry-After": {
                            "schema": {"type": "integer"},
                            "description": "Seconden tot een nieuw verzoek kan.",
                        }
                    },
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/TeVeelVerzoeken"}
                        }
                    },
                },
            )
    return result
