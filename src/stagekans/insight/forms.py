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
