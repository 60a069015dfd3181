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


class ContactForm(StyledFormMixin, forms.Form):
    """How students reach the company; the company chooses what is shown with its vacancies."""

    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("E-mailadres voor studenten"), required=False)
    publish_contact_email = forms.BooleanField(
        label=_("Toon dit e-mailadres bij onze vacatures"), required=False
    )
    contact_phone = forms.CharField(
        label=_("Telefoonnummer voor studenten"), max_length=20, required=False
    )
    publish_contact_phone = forms.BooleanField(
        label=_("Toon dit telefoonnummer bij onze vacatures"), required=False
    )
    how_to_apply = forms.CharField(
        label=_("Zo solliciteer je"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat een student moet sturen of doen, bv. 'Stuur een korte motivatie'."),
    )
