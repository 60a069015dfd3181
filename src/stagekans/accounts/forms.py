from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
