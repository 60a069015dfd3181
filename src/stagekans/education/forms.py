from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.core.forms import StyledFormMixin
from stagekans.core.identifiers import validate_postcode
from stagekans.education.models import Programme


class StudentForm(StyledFormMixin, forms.Form):
    given_name = forms.CharField(label=_("Roepnaam"), max_length=100)
    family_name = forms.CharField(label=_("Achternaam"), max_length=150)
    student_number = forms.CharField(label=_("Studentnummer"), max_length=20)
    programme = forms.ModelChoiceField(label=_("Opleiding"), queryset=Programme.objects.none())
    cohort = forms.IntegerField(
        label=_("Cohort"),
        min_value=2000,
        max_value=2100,
        help_text=_("Het jaar waarin de student begon, bv. 2025."),
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    postcode = forms.CharField(
        label=_("Postcode woonadres"),
        max_length=7,
        validators=[validate_postcode],
        help_text=_("Alleen voor de reisafstand; bv. 3511 AB."),
    )
    place = forms.CharField(label=_("Woonplaats"), max_length=100)
    email = forms.EmailField(
        label=_("E-mailadres student"),
        required=False,
        max_length=254,
        help_text=_(
            "Optioneel. De student krijgt hierop een uitnodiging om een account aan te maken "
            "(de link werkt één keer, 14 dagen lang)."
        ),
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean_date_of_birth(self) -> dt.date:
        value: dt.date = self.cleaned_data["date_of_birth"]
        if value > dt.date.today():
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        return value


class AcceptInvitationForm(StyledFormMixin, forms.Form):
    """The invited student chooses a password (checked by the password validators in the
    service)."""

    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens; niet te veel lijkend op je naam of e-mailadres."),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", _("Herhaal het wachtwoord: de twee wachtwoorden verschillen.")
            )
        return data


class InviteStudentForm(StyledFormMixin, forms.Form):
    """A stagecoördinator (re)sends a student the invitation to create their login."""

    email = forms.EmailField(
        label=_("E-mailadres student"),
        max_length=254,
        help_text=_("Een eerdere uitnodiging werkt daarna niet meer."),
    )
