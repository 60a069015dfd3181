from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import SizeClass
from stagekans.core.forms import StyledFormMixin
from stagekans.core.identifiers import validate_kvk, validate_postcode
from stagekans.education.models import Sector


class CompanyForm(StyledFormMixin, forms.Form):
    kvk_number = forms.CharField(
        label=_("KvK-nummer"),
        max_length=12,
        validators=[validate_kvk],
        help_text=_("8 cijfers, zoals op het uittreksel van de KvK."),
    )
    name = forms.CharField(label=_("Naam"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    size_class = forms.ChoiceField(label=_("Grootteklasse"), choices=SizeClass.choices)
    sbi_code = forms.CharField(label=_("SBI-code"), max_length=10, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class LocationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam vestiging"), max_length=200, required=False)
    street = forms.CharField(label=_("Straat"), max_length=200)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=20)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        validators=[validate_postcode],
        help_text=_("Bijvoorbeeld 3511 AB."),
    )
    place = forms.CharField(label=_("Plaats"), max_length=100)
