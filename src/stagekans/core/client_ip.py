"""The client's address behind our own proxies: one rule for every limiter.

The address is REMOTE_ADDR, unless STAGEKANS_TRUSTED_PROXY_COUNT = n > 0: then the application
runs behind n proxies of our own, each appending the address it received the request from to
X-Forwarded-For, and the client is the entry n hops from the right. Entries further left come
from the client and are ignored, so a forged X-Forwarded-For cannot evade a limit. Used by the
meldpunt rate limits and by the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    hops = int(getattr(settings, "STAGEKANS_TRUSTED_PROXY_COUNT", 0))
    if hops <= 0:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    if len(forwarded) < hops:
        # Fewer entries than our proxies write: the request did not come through all of them.
        # Count it under the proxy's address (one shared bucket) rather than trust the client.
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops].strip()))
    except ValueError:
        return remote
