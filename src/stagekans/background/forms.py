from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.background.models import VALUES, Attribute

QUESTIONS = {
    Attribute.HERKOMST: _("Wat is je herkomst?"),
    Attribute.DISABILITY: _("Heb je een beperking of chronische ziekte?"),
    Attribute.GENDER: _("Wat is je gender?"),
}
HELP = {
    Attribute.HERKOMST: _(
        "Zoals het CBS het sinds 2022 indeelt: het land waar je zelf bent geboren, of als je in "
        "Nederland bent geboren, het geboorteland van je ouders (eerst je moeder)."
    ),
    Attribute.DISABILITY: _("Alleen ja of nee; we vragen niet welke."),
    Attribute.GENDER: _("Zoals jij jezelf ziet."),
}


class StatementForm(forms.Form):
    """One attribute with its own consent box: consent is never bundled."""

    value = forms.ChoiceField(widget=forms.RadioSelect, error_messages={"required": ""})
    consent = forms.BooleanField(
        required=True,
        label=_(
            "Ik geef toestemming dat Stagekans dit gegeven bewaart en alleen gebruikt voor "
            "cijfers over gelijke kansen, altijd opgeteld en nooit per persoon."
        ),
        error_messages={
            "required": _("Zonder je uitdrukkelijke toestemming slaan we dit gegeven niet op.")
        },
    )

    def __init__(self, *args: object, attribute: Attribute, **kwargs: object) -> None:
        super().__init__(*args, prefix=str(attribute), **kwargs)  # type: ignore[arg-type, misc]
        self.attribute = attribute
        field = self.fields["value"]
        field.label = QUESTIONS[attribute]
        field.help_text = HELP[attribute]
        field.choices = VALUES[attribute].choices  # type: ignore[attr-defined]
        field.error_messages["required"] = _("Kies een antwoord of laat dit deel leeg.")
