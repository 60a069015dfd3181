from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.core.forms import StyledFormMixin
from stagekans.education.models import Programme


class InternshipPeriodForm(StyledFormMixin, forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Opleiding"),
        queryset=Programme.objects.all(),
        error_messages={"required": _("Opleiding: kies een opleiding.")},
    )
    starts_on = forms.DateField(
        label=_("Begindatum stageperiode"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Begindatum: vul de begindatum in."),
            "invalid": _("Begindatum: vul een geldige datum in."),
        },
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["programme"])
        field.queryset = programmes
        # StyledFormMixin validated against every programme; validate again, own school only.
        self._errors = None
        if self.is_bound and "programme" in self.errors:
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"{self['programme'].auto_id}_error"


_MARKUP_HELP = _(
    "Alinea's scheiden met een lege regel; een regel die begint met '## ' wordt een tussenkop, "
    "een regel die begint met '- ' een punt van een opsomming. HTML wordt als gewone tekst "
    "getoond."
)
TITLE_MAX = 200  # InformationText.title_* max_length
BODY_MAX = 20_000


class PublishTextForm(StyledFormMixin, forms.Form):
    """A new version of the information text, Dutch and English (all four required)."""

    title_nl = forms.CharField(
        label=_("Titel (Nederlands)"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Titel (Nederlands): vul de titel in."),
            "max_length": _("Titel (Nederlands): gebruik hoogstens 200 tekens."),
        },
    )
    body_nl = forms.CharField(
        label=_("Tekst (Nederlands)"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_MARKUP_HELP,
        error_messages={
            "required": _("Tekst (Nederlands): vul de tekst in."),
            "max_length": _("Tekst (Nederlands): gebruik hoogstens 20.000 tekens."),
        },
    )
    title_en = forms.CharField(
        label=_("Titel (Engels)"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Titel (Engels): vul de titel in."),
            "max_length": _("Titel (Engels): gebruik hoogstens 200 tekens."),
        },
    )
    body_en = forms.CharField(
        label=_("Tekst (Engels)"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_MARKUP_HELP,
        error_messages={
            "required": _("Tekst (Engels): vul de tekst in."),
            "max_length": _("Tekst (Engels): gebruik hoogstens 20.000 tekens."),
        },
    )
