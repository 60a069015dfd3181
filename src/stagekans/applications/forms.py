"""Forms of the application pages; the rules live in applications.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.applications.services import (
    MAX_AVAILABILITY,
    MAX_COMPETENCES,
    MAX_MOTIVATION,
    MAX_REJECTION_TEXT,
)
from stagekans.applications.workflow import ApplicationStatus, RejectionReason
from stagekans.core.forms import StyledFormMixin
from stagekans.education.models import Student
from stagekans.stagemarkt.models import Vacancy
from stagekans.stagemarkt.workflow import VacancyStatus


class ApplyForm(StyledFormMixin, forms.Form):
    motivation = forms.CharField(
        label=_("Motivatie"),
        max_length=MAX_MOTIVATION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Waarom deze stage? Schrijf geen naam, e-mailadres of telefoonnummer: het "
            "leerbedrijf leest je sollicitatie eerst zonder je naam."
        ),
    )
    competences = forms.CharField(
        label=_("Competenties en ervaring"),
        max_length=MAX_COMPETENCES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat kun je al? Bijvoorbeeld vakken, bijbaan, vrijwilligerswerk."),
    )
    availability = forms.CharField(
        label=_("Beschikbaarheid"),
        max_length=MAX_AVAILABILITY,
        required=False,
        help_text=_("Bijvoorbeeld: vanaf september, maandag tot en met donderdag."),
    )
    cv = forms.FileField(
        label=_("Cv (pdf, hoogstens 5 MB)"),
        required=False,
        help_text=_("Het leerbedrijf kan je cv pas openen als het je uitnodigt."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van afwijzing"),
        choices=[("", _("Kies een reden")), *RejectionReason.choices],
        help_text=_(
            "Voor analyse door SBB en de school; de student ziet deze reden niet, alleen dat u "
            "niet verder gaat."
        ),
    )
    text = forms.CharField(
        label=_("Toelichting"),
        max_length=MAX_REJECTION_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle")), *ApplicationStatus.choices],
        required=False,
    )


class RecommendForm(StyledFormMixin, forms.Form):
    student = forms.ModelChoiceField(label=_("Student"), queryset=Student.objects.none())
    vacancy = forms.IntegerField(
        label=_("Vacaturenummer"),
        min_value=1,
        help_text=_("Het nummer van de vacature op de Stagemarkt (in het adres: /vacatures/123/)."),
    )
    recommendation = forms.CharField(
        label=_("Aanbeveling"),
        max_length=MAX_MOTIVATION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Waarom past deze student bij dit leerbedrijf? Zonder naam of contactgegevens van "
            "de student: het leerbedrijf leest de aanbeveling eerst geanonimiseerd."
        ),
    )
    competences = forms.CharField(
        label=_("Competenties en ervaring"),
        max_length=MAX_COMPETENCES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    availability = forms.CharField(
        label=_("Beschikbaarheid"), max_length=MAX_AVAILABILITY, required=False
    )

    def __init__(self, *args: Any, students: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]
        self.fields["student"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.family_name}, {s.given_name} ({s.student_number})"
        )

    def clean_vacancy(self) -> Vacancy:
        pk = self.cleaned_data["vacancy"]
        vacancy = (
            Vacancy.objects.filter(pk=pk, status=VacancyStatus.PUBLISHED)
            .select_related("company", "qualification")
            .first()
        )
        if vacancy is None:
            raise forms.ValidationError(
                _("Vacaturenummer: er is geen gepubliceerde vacature met dit nummer.")
            )
        return vacancy
