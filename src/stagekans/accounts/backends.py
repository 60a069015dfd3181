from __future__ import annotations

import ipaddress
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from stagekans.accounts.models import User
from stagekans.core.client_ip import client_address


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username and "@" in username:
            match = User.objects.filter(email__iexact=username).first()
            if match is not None:
                username = match.username
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The name django-axes counts failures under: an e-mail address counts for its account,
    so switching between username and e-mail does not double the attempts."""
    raw = (credentials or {}).get("username") or request.POST.get("username")
    if not raw:
        return None
    if "@" in raw:
        match = User.objects.filter(email__iexact=raw).values_list("username", flat=True).first()
        if match:
            return str(match)
    return str(raw)


def lockout_client_ip(request: HttpRequest) -> str | None:
    """The client address for django-axes (the meldpunt rule, core.client_ip), or None when
    there is no valid one (a unix-socket request, a test client's force_login): axes stores it
    in an inet column, which refuses anything but an address."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
