"""Login with a second factor, password change and reset (Django's own views, Dutch templates)."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from stagekans.accounts import services, two_factor
from stagekans.accounts.forms import (
    LoginForm,
    OutboxPasswordResetForm,
    SecondFactorForm,
    SetupSecondFactorForm,
)
from stagekans.accounts.models import User


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        target = super().get_success_url()
        user: User = self.request.user  # type: ignore[assignment]
        if two_factor.requires_second_factor(user):
            step = (
                "accounts:otp_verify"
                if two_factor.has_second_factor(user)
                else "accounts:otp_setup"
            )
            return f"{reverse(step)}?{urlencode({'next': target})}"
        return target


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request, reverse("portal:home"))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(target)
    if not two_factor.has_second_factor(user):
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': target})}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify_second_factor(
            acting_user=user, request=request, token=form.cleaned_data["token"]
        ):
            return redirect(target)
        form.add_error(
            "token",
            _(
                "Verificatiecode: deze code klopt niet of is al gebruikt. Wacht op de volgende "
                "code in uw app en probeer het opnieuw."
            ),
        )
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": target},
        status=400 if form.errors else 200,
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request, reverse("portal:home"))
    if two_factor.has_second_factor(user):
        if not user.is_verified():  # type: ignore[attr-defined]
            return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': target})}")
        messages.info(request, _("Uw authenticator-app is al ingesteld."))
        return redirect("accounts:security")
    device = two_factor.unconfirmed_totp_device(user)
    form = SetupSecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_totp_device(
            acting_user=user, request=request, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": target})
        form.add_error("token", _("Code uit de app: deze code klopt niet. Probeer de volgende."))
    qr = segno.make(device.config_url, error="m")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": target,
            "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff", title=_("QR-code")),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's own page: password, authenticator app and recovery codes."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST" and "recovery" in request.POST:
        if not two_factor.has_second_factor(user):
            return redirect("accounts:otp_setup")
        codes = two_factor.regenerate_recovery_codes(acting_user=user)
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": codes, "next": reverse("portal:home")},
        )
    return render(
        request,
        "accounts/security.html",
        {
            "has_second_factor": two_factor.has_second_factor(user),
            "second_factor_required": two_factor.requires_second_factor(user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: User = self.request.user  # type: ignore[assignment]
        services.record_password_changed(acting_user=user, user=user, via_reset=False)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    email_template_name = "accounts/mail/password_reset.txt"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.record_password_changed(acting_user=None, user=form.user, via_reset=True)
        return response


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    target = _safe_next(request, reverse("admin:index"))
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
