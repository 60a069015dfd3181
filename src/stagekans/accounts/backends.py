from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from stagekans.accounts.models import User


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
