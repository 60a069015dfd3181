from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from stagekans.accounts.models import User
from stagekans.accounts.roles import ROLES
from stagekans.core.forms import StyledFormMixin
from stagekans.notifications.services import enqueue_mail


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres"),
        widget=forms.TextInput(
            attrs={"class": "utrecht-textbox", "autocomplete": "username", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "utrecht-textbox", "autocomplete": "current-password"}
        ),
    )
    error_messages = {
        "invalid_login": _("Onjuiste gebruikersnaam of wachtwoord. Let op hoofdletters."),
        "inactive": _("Dit account is niet actief."),
    }


class SecondFactorForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Verificatiecode"),
        max_length=16,
        help_text=_(
            "De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes (bijv. abcde-fghjk)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class SetupSecondFactorForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code uit de app"),
        max_length=8,
        help_text=_("Vul de 6 cijfers in die de app nu toont."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _role_choices() -> list[tuple[str, str]]:
    return [
        (role.value, f"{d.group_name} — {_('vier ogen')}" if d.sensitive else d.group_name)
        for role, d in ROLES.items()
    ]


class RoleChangeForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Gebruiker"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text=_("U kunt uw eigen rol niet wijzigen."),
    )
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=_role_choices)
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht voor een gevoelige rol: waarom heeft deze persoon de rol nodig?"),
    )


class RoleDecisionForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Toelichting bij uw besluit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij afwijzen."),
    )


class OutboxPasswordResetForm(StyledFormMixin, PasswordResetForm):
    """Django's reset form, but the mail goes through the outbox (never sent inside a request)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        with transaction.atomic():
            enqueue_mail(to=to_email, subject=subject, body=body)
