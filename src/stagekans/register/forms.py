from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company
from stagekans.core.forms import StyledFormMixin
from stagekans.core.identifiers import validate_crebo, validate_kvk
from stagekans.education.models import Qualification
from stagekans.register.workflow import CONDITION_FIELDS, RECOGNITION_CONDITIONS


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


def _condition_field(name: str) -> forms.BooleanField:
    return forms.BooleanField(label=dict(RECOGNITION_CONDITIONS)[name], required=False)


class ConditionsForm(StyledFormMixin, forms.Form):
    """Grant or reassess: the five conditions of recognition, each explicitly assessed."""

    prefix = "grant"

    reason = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    notes = forms.CharField(
        label=_("Toelichting bij de voorwaarden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )

    suitable_work = _condition_field("suitable_work")
    competent_trainer = _condition_field("competent_trainer")
    school_cooperation = _condition_field("school_cooperation")
    safe_environment = _condition_field("safe_environment")
    publication_consent = _condition_field("publication_consent")

    def conditions(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in CONDITION_FIELDS}


class RevocationRequestForm(StyledFormMixin, forms.Form):
    prefix = "revoke"
    decision_reference = forms.CharField(
        label=_("Kenmerk besluit"),
        max_length=100,
        help_text=_("Het kenmerk van het gedocumenteerde besluit, bijvoorbeeld SBB-2026-0123."),
    )
    reason = forms.CharField(
        label=_("Redenen van de intrekking"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Deze redenen gaan mee in de brief aan het leerbedrijf."),
    )


class RevocationRejectForm(StyledFormMixin, forms.Form):
    prefix = "reject"
    reject_reason = forms.CharField(
        label=_("Reden van afwijzing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


DEFAULT_RADIUS_KM = 20
RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (50, "50 km"), (100, "100 km")]


class RegisterSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Kwalificatie of crebocode"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld 'Verzorgende' of 25491."),
    )
    plaats = forms.CharField(
        label=_("Plaats of postcode"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld Utrecht of 3511 AB."),
    )
    straal = forms.TypedChoiceField(
        label=_("Straal"), choices=RADIUS_CHOICES, coerce=int, required=False, empty_value=None
    )

    def clean_straal(self) -> int:
        return self.cleaned_data["straal"] or DEFAULT_RADIUS_KM

    def clean_q(self) -> str:
        value = self.cleaned_data["q"].strip()
        if value.isdigit() and len(value) != 5:
            raise forms.ValidationError(
                _("Kwalificatie of crebocode: een crebocode bestaat uit precies 5 cijfers.")
            )
        return value


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_("UTF-8, met de kolommen uit de uitleg hieronder."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 100 * 1024 * 1024:
            raise forms.ValidationError(_("CSV-bestand: het bestand is groter dan 100 MB."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("CSV-bestand: het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).")
            ) from error
