"""Forms of the support app. They only convert input; the rules live in support.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company
from stagekans.core.forms import StyledFormMixin
from stagekans.core.identifiers import normalise_kvk
from stagekans.education.models import Student
from stagekans.meldpunt.models import FollowUp, Ground, Phase
from stagekans.support.models import (
    ConsentGivenBy,
    ConsentMethod,
    SignalOutcome,
    SupportOrganisation,
    SupportTopic,
    Urgency,
)


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.given_name} {obj.family_name} ({obj.student_number})"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        region = f" ({obj.region})" if obj.region else ""
        return f"{obj.name} — {obj.get_kind_display()}{region}"


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, help_text: Any = "", *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE_WIDGET,
        required=required,
        help_text=help_text,
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-03-14.")},
    )


class ConversationFields(forms.Form):
    conversation = forms.CharField(
        label=_("Gesprek met het bedrijf"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Met wie sprak je, wat zei de school en wat zei het bedrijf?"),
    )
    conversation_on = _date(_("Datum van het gesprek"))
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=SignalOutcome.choices, required=True)


class SignalForm(StyledFormMixin, ConversationFields):
    kvk_number = forms.CharField(
        label=_("KvK-nummer van het leerbedrijf"),
        max_length=20,
        required=True,
        help_text=_("8 cijfers; het staat bij het bedrijf in het register."),
    )
    student = StudentChoiceField(
        label=_("Student"),
        queryset=Student.objects.none(),
        required=False,
        help_text=_("Alleen jouw school ziet dit. De naam gaat nooit mee zonder toestemming."),
    )
    observed = forms.CharField(
        label=_("Wat is er gezien of gehoord?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=True,
        help_text=_(
            "Beschrijf de feiten: wat gebeurde er, wat werd er gezegd? "
            "Noem de student niet bij naam."
        ),
    )
    observed_on = _date(_("Wanneer gebeurde het?"), _("Ongeveer is goed."), required=True)
    phase = forms.ChoiceField(
        label=_("Wanneer in de stage?"),
        choices=Phase.choices,
        widget=forms.RadioSelect,
        required=True,
    )
    grounds = forms.MultipleChoiceField(
        label=_("Welke discriminatiegrond speelt mogelijk?"),
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
    )
    field_order = [
        "kvk_number",
        "student",
        "observed",
        "observed_on",
        "phase",
        "grounds",
        "conversation",
        "conversation_on",
        "outcome",
    ]

    def __init__(self, *args: Any, students: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["student"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = students if students is not None else Student.objects.none()

    def clean_kvk_number(self) -> Company | None:
        value = normalise_kvk(self.cleaned_data.get("kvk_number") or "")
        if not value:
            return None
        company = Company.objects.filter(kvk_number=value).first()
        if company is None:
            raise forms.ValidationError(
                _("KvK-nummer: er staat geen leerbedrijf met KvK-nummer %(kvk)s in het register.")
                % {"kvk": value}
            )
        return company


class ConversationForm(StyledFormMixin, ConversationFields):
    pass


class SignalReportForm(StyledFormMixin, forms.Form):
    consent_given = forms.BooleanField(
        label=_("De student geeft toestemming om dit signaal te melden bij het meldpunt"),
        required=False,
    )
    given_by = forms.ChoiceField(
        label=_("Wie gaf toestemming?"),
        choices=ConsentGivenBy.choices,
        widget=forms.RadioSelect,
        required=True,
    )
    method = forms.ChoiceField(
        label=_("Hoe is de toestemming gegeven?"), choices=ConsentMethod.choices, required=True
    )
    given_on = _date(_("Wanneer is de toestemming gegeven?"), required=True)
    share_identity = forms.BooleanField(
        label=_("De student wil met naam melden (het meldpunt ziet wie het is)"),
        required=False,
        help_text=_("Zonder dit vinkje meldt de school anoniem namens de student."),
    )
    share_identity_with_sbb = forms.BooleanField(
        label=_("De naam mag ook naar SBB als het meldpunt een onderzoek vraagt"),
        required=False,
    )
    follow_up = forms.ChoiceField(
        label=_("Wat wil de student dat er gebeurt?"),
        choices=FollowUp.choices,
        widget=forms.RadioSelect,
        required=True,
    )


class SupportRequestForm(StyledFormMixin, forms.Form):
    topic = forms.ChoiceField(
        label=_("Waar gaat je vraag over?"),
        choices=[("", _("Kies een onderwerp")), *SupportTopic.choices],
        required=True,
    )
    urgency = forms.ChoiceField(
        label=_("Hoe snel heb je hulp nodig?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        required=True,
    )
    description = forms.CharField(
        label=_("Beschrijf je vraag"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=True,
        help_text=_("Noem geen namen van studenten; het team vraagt ernaar als het nodig is."),
    )


class EntryForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 5}), required=True
    )


class ReferralForm(StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Doorverwijzen naar"),
        queryset=SupportOrganisation.objects.none(),
        required=True,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Organisatie: kies een organisatie uit de lijst."),
            "required": _("Organisatie: kies een organisatie uit de verwijsgids."),
        },
    )
    note = forms.CharField(
        label=_("Interne toelichting (niet voor de melder)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            organisations if organisations is not None else SupportOrganisation.objects.none()
        )


class DirectoryImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        required=True,
        help_text=_("UTF-8, komma-gescheiden, met kopregel; zie de uitleg hieronder."),
    )
