"""Session rules for logged-in users: the second factor for staff, and the idle timeout.

Both run after django-otp's OTPMiddleware (which sets `request.user.is_verified()`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from stagekans.accounts.two_factor import (
    has_second_factor,
    idle_limit_seconds,
    requires_second_factor,
)

LAST_SEEN_SESSION_KEY = "stagekans_last_seen"
# Write the last-seen time at most this often (a session write per request would be wasteful).
LAST_SEEN_RESOLUTION_SECONDS = 60

# Paths a logged-in member of staff may reach before the second step: the login and logout,
# the second-step pages themselves (with the security-key endpoints: django-otp-webauthn refuses
# a registration from an unverified session of a user who has any factor), static files and
# the language switch.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/favicon")


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:otp_verify"),
        reverse("accounts:otp_setup"),
        reverse("accounts:security_key_register_begin"),
        reverse("accounts:security_key_register_complete"),
        reverse("accounts:security_key_verify_begin"),
        reverse("accounts:security_key_verify_complete"),
        reverse("accounts:security_key_js_catalog"),
        *_OPEN_PREFIXES,
    )


class SecondFactorRequiredMiddleware:
    """Staff without a verified second factor reach nothing but the set-up and verify pages;
    the API answers 403 to them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and requires_second_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(_open_paths())
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _(
                            "Tweede stap vereist: log in met uw authenticator-app of "
                            "beveiligingssleutel."
                        )
                    },
                    status=403,
                )
            target = "accounts:otp_verify" if has_second_factor(user) else "accounts:otp_setup"
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(f"{reverse(target)}?{query}" if query else reverse(target))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """End a session after a period without requests: 30 minutes for staff, 2 hours for
    students (roles data). Enforced on the server; the cookie age is only the outer bound."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - int(last_seen) > idle_limit_seconds(user):
                logout(request)
                messages.info(
                    request,
                    _("U was te lang niet actief en bent uitgelogd. Log opnieuw in."),
                )
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Sessie verlopen.")}, status=403)
                login_url = reverse("accounts:login")
                if request.method == "GET":
                    login_url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(login_url)
            if last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)
