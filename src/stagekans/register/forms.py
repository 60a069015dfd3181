from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company
from stagekans.core.forms import StyledFormMixin
from stagekans.core.identifiers import validate_crebo, validate_kvk
from stagekans.education.models import Qualification


class RecognitionRequestForm(StyledFormMixin, forms.Form):
    kvk_number = forms.CharField(
        label=_("KvK-nummer leerbedrijf"), max_length=12, validators=[validate_kvk]
    )
    crebo = forms.CharField(label=_("Crebocode"), max_length=5, validators=[validate_crebo])
    reason = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean_kvk_number(self) -> Company:
        kvk = self.cleaned_data["kvk_number"].replace(" ", "")
        company = Company.objects.filter(kvk_number=kvk).first()
        if company is None:
            raise forms.ValidationError(
                _("Er is geen leerbedrijf met dit KvK-nummer geregistreerd.")
            )
        return company

    def clean_crebo(self) -> Qualification:
        qualification = Qualification.objects.filter(crebo=self.cleaned_data["crebo"]).first()
        if qualification is None:
            raise forms.ValidationError(_("Er is geen kwalificatie met deze crebocode."))
        return qualification


class DecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
