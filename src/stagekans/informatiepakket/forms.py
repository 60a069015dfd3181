from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.core.forms import StyledFormMixin
from stagekans.informatiepakket.models import HandoutKind


class PublishForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hand-out"), choices=HandoutKind.choices)
    title_nl = forms.CharField(label=_("Titel (Nederlands)"), max_length=200)
    body_nl = forms.CharField(
        label=_("Tekst (Nederlands)"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Alinea's scheiden met een lege regel; '## ' voor een kop, '- ' voor een opsomming."
        ),
    )
    title_en = forms.CharField(label=_("Titel (Engels)"), max_length=200)
    body_en = forms.CharField(
        label=_("Tekst (Engels)"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 12})
    )
