from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.studyadvice.models import AdviceKind
from stagekans.studyadvice.rules import school_year_of


def school_year_choices() -> list[tuple[int, str]]:
    current = school_year_of(dt.date.today())
    return [(y, f"{y}-{y + 1}") for y in range(current + 1, current - 8, -1)]


class MarkYearForm(forms.Form):
    school_year = forms.TypedChoiceField(label=_("Schooljaar"), coerce=int, choices=())
    all_schools = forms.BooleanField(
        label=_("Geldt voor alle scholen (landelijk besluit)"), required=False
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef de reden waarom dit schooljaar niet-bindend is.")},
    )
    document = forms.FileField(
        label=_("Besluit (pdf)"),
        required=False,
        help_text=_(
            "Het document waarop de markering berust, bijvoorbeeld een Kamerbrief of een besluit "
            "van het college van bestuur."
        ),
    )
    document_reference = forms.CharField(
        label=_("Of: verwijzing naar het besluit"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: Kamerbrief 31 524, nr. 495, of besluit CvB 2026/14."),
    )

    def __init__(self, *args: Any, platform: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = school_year_choices()  # type: ignore[attr-defined]
        if not platform:
            del self.fields["all_schools"]


class AdviceForm(forms.Form):
    student: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Student"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Advies"), choices=AdviceKind.choices, widget=forms.RadioSelect
    )
    binding = forms.BooleanField(
        label=_("Bindend (alleen bij een negatief advies)"), required=False
    )
    advice_date = forms.DateField(
        label=_("Datum advies"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Geef een geldige datum.")},
    )
    reasoning = forms.CharField(
        label=_("Onderbouwing"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_moment = forms.DateField(
        label=_("Volgend moment (bij uitgesteld advies)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Geef een geldige datum.")},
    )

    def __init__(self, *args: Any, students: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]
