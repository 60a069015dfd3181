from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Location, Trainer
from stagekans.core.forms import StyledFormMixin
from stagekans.education.models import SchoolStaff
from stagekans.placements.models import Score
from stagekans.placements.services.agreements import AgreementTerms
from stagekans.placements.workflow import ContactKind

_DATE = {"type": "date"}

WEEKDAYS = [
    ("1", _("maandag")),
    ("2", _("dinsdag")),
    ("4", _("woensdag")),
    ("8", _("donderdag")),
    ("16", _("vrijdag")),
    ("32", _("zaterdag")),
    ("64", _("zondag")),
]


def weekday_labels(mask: int) -> list[str]:
    return [str(label) for value, label in WEEKDAYS if mask & int(value)]


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"), **kwargs
    )


class _Staff(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.user.get_full_name() or obj.user.username


class _Trainer(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.user.get_full_name() or obj.user.username


class _Location(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.name or obj.company.name
        return f"{name}, {obj.street} {obj.house_number}, {obj.place}"


class CompanyLookupForm(StyledFormMixin, forms.Form):
    kvk = forms.CharField(
        label=_("KvK-nummer van het leerbedrijf"),
        max_length=8,
        min_length=8,
        help_text=_("Acht cijfers. U vindt het in het register erkende leerbedrijven."),
    )


class PlaceStudentForm(StyledFormMixin, forms.Form):
    student_number = forms.CharField(label=_("Studentnummer"), max_length=20)
    location = _Location(label=_("Vestiging"), queryset=Location.objects.none())
    trainer = _Trainer(label=_("Praktijkopleider"), queryset=Trainer.objects.none(), required=False)
    supervisor = _Staff(
        label=_("Bpv-begeleider"), queryset=SchoolStaff.objects.none(), required=False
    )
    start_date = _date_field(_("Begindatum"))
    end_date = _date_field(_("Einddatum"))

    def __init__(self, *args: Any, company: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["location"]).queryset = (
            Location.objects.filter(company=company).select_related("company").order_by("id")
        )
        cast(forms.ModelChoiceField, self.fields["trainer"]).queryset = (
            Trainer.objects.filter(company=company).select_related("user").order_by("id")
        )
        cast(forms.ModelChoiceField, self.fields["supervisor"]).queryset = (
            SchoolStaff.objects.filter(school=school).select_related("user").order_by("id")
        )


class SupervisorForm(StyledFormMixin, forms.Form):
    supervisor = _Staff(
        label=_("Bpv-begeleider"), queryset=SchoolStaff.objects.none(), required=False
    )

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["supervisor"]).queryset = (
            SchoolStaff.objects.filter(school=school).select_related("user").order_by("id")
        )


class AgreementForm(StyledFormMixin, forms.Form):
    start_date = _date_field(_("Begindatum"))
    end_date = _date_field(_("Einddatum"))
    hours = forms.IntegerField(label=_("Aantal uren praktijk"), min_value=1, max_value=5000)
    weekdays = forms.MultipleChoiceField(
        label=_("Stagedagen"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    work_processes = forms.CharField(
        label=_("Werkprocessen die de student oefent"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    assessment = forms.CharField(
        label=_("Zo wordt beoordeeld"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    contact_every_weeks = forms.IntegerField(
        label=_("Contact met school elke … weken"),
        min_value=1,
        max_value=26,
        help_text=_("Schoolvakanties tellen niet mee."),
    )
    min_site_visits = forms.IntegerField(
        label=_("Minimaal aantal bezoeken op locatie"), min_value=0, max_value=20, initial=1
    )
    keuzedeel = forms.CharField(label=_("Keuzedeel"), max_length=200, required=False)
    change_summary = forms.CharField(
        label=_("Wat is gewijzigd (bpv-blad)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, new_version: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new_version:
            del self.fields["change_summary"]
        else:
            self.fields["change_summary"].required = True

    def terms(self) -> AgreementTerms:
        data = self.cleaned_data
        return AgreementTerms(
            start_date=data["start_date"],
            end_date=data["end_date"],
            hours=data["hours"],
            work_processes=data["work_processes"],
            assessment=data["assessment"],
            contact_every_weeks=data["contact_every_weeks"],
            min_site_visits=data["min_site_visits"],
            weekdays=sum(int(v) for v in data["weekdays"]),
            keuzedeel=data["keuzedeel"],
        )


class GuardianForm(StyledFormMixin, forms.Form):
    guardian_name = forms.CharField(label=_("Naam ouder of voogd"), max_length=200)
    signed_on = _date_field(_("Datum van de handtekening"))


class ContactForm(StyledFormMixin, forms.Form):
    held_on = _date_field(_("Datum"))
    kind = forms.ChoiceField(
        label=_("Soort contact"), choices=ContactKind.choices, widget=forms.RadioSelect
    )
    with_student = forms.BooleanField(label=_("De student nam deel"), required=False)
    with_trainer = forms.BooleanField(label=_("De praktijkopleider nam deel"), required=False)
    other_participants = forms.CharField(
        label=_("Andere deelnemers"), max_length=300, required=False
    )
    notes = forms.CharField(
        label=_("Verslag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )


class ContactRequestForm(StyledFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Waarover wilt u contact?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class EvaluationForm(StyledFormMixin, forms.Form):
    learning = forms.TypedChoiceField(
        label=_("Wat de student heeft geleerd"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    supervision = forms.TypedChoiceField(
        label=_("De begeleiding op de werkplek"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    school_contact = forms.TypedChoiceField(
        label=_("Het contact met school"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Zou u dit leerbedrijf aanraden aan andere studenten?"),
        choices=[("1", _("ja")), ("0", _("nee"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
