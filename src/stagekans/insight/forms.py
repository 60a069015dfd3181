from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.insight.models import LIKERT, SurveyResponse

HELP = _("1 = helemaal oneens, 5 = helemaal eens")


class SurveyForm(forms.Form):
    q_fair = forms.TypedChoiceField(
        label=SurveyResponse._meta.get_field("q_fair").verbose_name,
        choices=LIKERT,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=HELP,
        error_messages={"required": _("Kies een antwoord van 1 tot 5.")},
    )
    q_fit = forms.TypedChoiceField(
        label=SurveyResponse._meta.get_field("q_fit").verbose_name,
        choices=LIKERT,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=HELP,
        error_messages={"required": _("Kies een antwoord van 1 tot 5.")},
    )
    q_process = forms.TypedChoiceField(
        label=SurveyResponse._meta.get_field("q_process").verbose_name,
        choices=LIKERT,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=HELP,
        error_messages={"required": _("Kies een antwoord van 1 tot 5.")},
    )
    open_answer = forms.CharField(
        label=_("Wat kan er beter? (niet verplicht)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Noem geen namen: de andere partijen zien je antwoorden nooit."),
    )


class ResearchProjectForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    organisation = forms.CharField(label=_("Onderzoeksorganisatie"), max_length=200)
    purpose = forms.CharField(
        label=_("Doel en onderzoeksvraag"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreement_reference = forms.CharField(label=_("Kenmerk gegevensovereenkomst"), max_length=100)
    agreement_signed_on = forms.DateField(
        label=_("Overeenkomst getekend op"), widget=forms.DateInput(attrs={"type": "date"})
    )
    agreement_ends_on = forms.DateField(
        label=_("Overeenkomst loopt tot"), widget=forms.DateInput(attrs={"type": "date"})
    )
    k = forms.IntegerField(
        label=_("k (elke combinatie van kenmerken minstens zo vaak)"),
        min_value=5,
        max_value=50,
        initial=10,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        signed, ends = data.get("agreement_signed_on"), data.get("agreement_ends_on")
        if signed and ends and ends < signed:
            self.add_error(
                "agreement_ends_on", _("De einddatum ligt voor de datum van ondertekening.")
            )
        return data
