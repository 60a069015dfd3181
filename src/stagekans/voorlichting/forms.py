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
