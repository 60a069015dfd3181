"""The meldpunt's rate limits (ADR 0300). The machinery — proxy-aware client key without stored
addresses, cache counters with a database fallback when the cache is down — is in
core/ratelimit.py.

* **Intake** (finding 7): only *accepted* reports count against the per-client limit, so a
  class behind one school NAT is not locked out by typing mistakes; every submission, accepted
  or not, counts against a much larger attempts limit that only protects the server (images are
  decoded). Logged-in reporters have their own per-account limit.
* **Receipt codes** (finding 4): failed code checks are limited per client and for all clients
  together; there is **no per-report-number limit**, which anyone who knows a number could use
  to lock its reporter out, and which buys nothing against a 16-digit (53-bit) secret.
* **Reporter messages**: per client (code follow-up) or per account.
"""

from __future__ import annotations

from stagekans.core.ratelimit import (
    Limit,
    client_address,
    client_key,
    count,
    decrement,
    exceeded,
    increment,
    reset,
)

INTAKE_ACCEPTED = Limit("intake-accepted", 30, 60 * 60)
INTAKE_ATTEMPTS = Limit("intake-attempts", 120, 60 * 60)
INTAKE_ACCOUNT = Limit("intake-account", 20, 60 * 60)
CODE_PER_CLIENT = Limit("code", 10, 15 * 60)
CODE_GLOBAL = Limit("code-global", 600, 15 * 60)
MESSAGES = Limit("reporter-message", 30, 60 * 60)

__all__ = [
    "CODE_GLOBAL",
    "CODE_PER_CLIENT",
    "INTAKE_ACCEPTED",
    "INTAKE_ACCOUNT",
    "INTAKE_ATTEMPTS",
    "MESSAGES",
    "Limit",
    "client_address",
    "client_key",
    "count",
    "decrement",
    "exceeded",
    "increment",
    "reset",
]
