"""Login with a second factor, password change and reset (Django's own views, Dutch templates)."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn import views as webauthn_views

from stagekans.accounts import security_keys, services, two_factor
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
        {
            "form": form,
            "next": target,
            "has_totp": two_factor.confirmed_totp_device(user) is not None,
            "has_security_key": two_factor.has_security_key(user),
            "webauthn_config": _webauthn_config(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request, reverse("portal:home"))
    if two_factor.has_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': target})}")
    if two_factor.confirmed_totp_device(user) is not None:
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
            "webauthn_config": _webauthn_config(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's own page: password, authenticator app, security keys and recovery codes."""
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
            "has_totp": two_factor.confirmed_totp_device(user) is not None,
            "second_factor_required": two_factor.requires_second_factor(user),
            "security_keys": security_keys.security_keys(user),
            "webauthn_config": _webauthn_config(request),
        },
    )


@login_required
@require_POST
def security_key_registered(request: HttpRequest) -> HttpResponse:
    """Where the page goes once the browser script has registered a key: recovery codes if
    this is the user's first second factor, otherwise back with a confirmation."""
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request, reverse("accounts:security"))
    if not two_factor.has_second_factor(user):
        return redirect("accounts:security")
    codes = security_keys.issue_first_recovery_codes(acting_user=user)
    if codes is not None:
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": target})
    messages.success(request, _("Uw beveiligingssleutel is toegevoegd."))
    return redirect(target)


@login_required
@require_POST
def security_key_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        security_keys.remove_security_key(acting_user=user, key_id=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De beveiligingssleutel is verwijderd."))
    return redirect("accounts:security")


def _webauthn_config(request: HttpRequest) -> dict[str, Any]:
    """Data for django-otp-webauthn's browser scripts (read from a JSON script element: data,
    not code, so the CSP without inline script holds)."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginRegistrationUrl": reverse("accounts:security_key_register_begin"),
        "completeRegistrationUrl": reverse("accounts:security_key_register_complete"),
        "beginAuthenticationUrl": reverse("accounts:security_key_verify_begin"),
        "completeAuthenticationUrl": reverse("accounts:security_key_verify_complete"),
    }


# The JSON endpoints of the library's scripts. Its begin views are used as they are (they
# require a logged-in user, and for registration a verified one if any factor exists); the
# complete views go through our audited actions.


class CompleteSecurityKeyRegistrationView(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        device = security_keys.register_security_key(
            acting_user=self.get_user(),
            request=self.request,
            state=self.get_state(),
            data=self.request.data,
        )
        return JsonResponse({"id": device.pk})


class CompleteSecurityKeyVerificationView(webauthn_views.CompleteCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if self.get_user() is None:  # a key is a second step only, never a login of its own
            raise webauthn_errors.NotAuthenticated()

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        device = security_keys.verify_security_key(
            acting_user=self.get_user(),
            request=self.request,
            state=self.get_state(),
            data=self.request.data,
        )
        return JsonResponse({"id": device.pk, "redirect_url": self.get_success_url()})


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
