from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.core.forms import StyledFormMixin
from stagekans.keuzedelen.services.agreements import AgreementTerms
from stagekans.keuzedelen.workflow import AttendanceStatus, Examiner, RefusalReason, Result

WEEKDAY_CHOICES = [
    (1, _("maandag")),
    (2, _("dinsdag")),
    (4, _("woensdag")),
    (8, _("donderdag")),
    (16, _("vrijdag")),
]


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Weekday checkboxes stored as one bitmask."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=WEEKDAY_CHOICES, coerce=int, **kwargs)

    def clean(self, value: Any) -> int:
        days = super().clean(value)
        mask = 0
        for day in days:
            mask |= int(day)
        return mask


class RequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Waarom wil je dit keuzedeel volgen?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GroupRequestForm(forms.Form):
    students: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Studenten"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één student.")},
    )
    motivation = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, students: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("approve", _("Goedkeuren")), ("refuse", _("Weigeren"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies goedkeuren of weigeren.")},
    )
    reason = forms.ChoiceField(
        label=_("Reden bij weigeren"),
        choices=[("", "—")] + [(c.value, c.label) for c in RefusalReason],
        required=False,
    )
    note = forms.CharField(
        label=_("Toelichting (de student en de andere school lezen mee)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not data.get("reason"):
            self.add_error("reason", _("Kies de reden van de weigering."))
        return data


class AttendanceDateForm(forms.Form):
    lesson_date = forms.DateField(
        label=_("Lesdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Kies een lesdatum."),
            "invalid": _("Geef een geldige datum."),
        },
    )


ATTENDANCE_CHOICES = [(c.value, c.label) for c in AttendanceStatus]


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Resultaat"),
        choices=[(c.value, c.label) for c in Result],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies behaald of niet behaald.")},
    )
    grade = forms.CharField(label=_("Cijfer of beoordeling"), required=False, max_length=20)


class TimetableForm(forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Opleiding"), queryset=None
    )
    cohort = forms.IntegerField(label=_("Cohort"), min_value=2000, max_value=2100)
    lesson_days = WeekdaysField(label=_("Lesdagen op school"), required=False)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Opleiding"), queryset=None
    )
    cohort = forms.IntegerField(label=_("Cohort"), min_value=2000, max_value=2100)
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Geef een geldige datum.")},
    )
    title = forms.CharField(label=_("Activiteit"), max_length=200)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


# -- management: agreements and offerings -----------------------------------------------------
SHARED_DAY_CHOICES = [(0, _("geen gezamenlijke lesdag")), *WEEKDAY_CHOICES]
TEXTAREA = {"rows": 3}


class _SchoolChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.place})"


class _HostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.place})"


class AgreementTermsForm(StyledFormMixin, forms.Form):
    """The terms of one version; the partners sign exactly this text."""

    partners = _SchoolChoiceField(
        label=_("Partners (instellingen die tekenen)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kies minstens twee instellingen, waaronder uw eigen school en de gastinstelling."
        ),
        error_messages={"required": _("Partners: kies minstens twee instellingen.")},
    )
    examiner = forms.ChoiceField(
        label=_("Wie examineert"), choices=Examiner.choices, widget=forms.RadioSelect
    )
    finance_per_student = forms.DecimalField(
        label=_("Vergoeding per student (euro)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
    )
    finance_terms = forms.CharField(
        label=_("Financiële afspraken"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    insurance = forms.CharField(
        label=_("Verzekering"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Bij wie is de student verzekerd tijdens de lesdag en de reis?"),
    )
    responsibility = forms.CharField(
        label=_("Verantwoordelijkheid en zorgplicht"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    progress_reporting = forms.CharField(
        label=_("Voortgangsrapportage"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Hoe en wanneer hoort de eigen school hoe de student ervoor staat?"),
    )
    attendance_reporting = forms.CharField(
        label=_("Aanwezigheidsregistratie"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    shared_day = forms.TypedChoiceField(
        label=_("Gezamenlijke lesdag"),
        choices=SHARED_DAY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "De dag die alle partneropleidingen vrijhouden voor het keuzedeel. Plant een "
            "partner die dag iets anders voor deze studenten, dan krijgt die een waarschuwing."
        ),
    )
    absence_threshold_percent = forms.IntegerField(
        label=_("Verzuimgrens (%)"),
        min_value=1,
        max_value=100,
        help_text=_(
            "Komt het verzuim van een student hierboven, dan krijgt de eigen school één signaal."
        ),
    )

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = schools  # type: ignore[attr-defined]

    def terms(self) -> AgreementTerms:
        data = self.cleaned_data
        return AgreementTerms(
            examiner=Examiner(data["examiner"]),
            finance_per_student=data["finance_per_student"],
            finance_terms=data["finance_terms"],
            insurance=data["insurance"],
            responsibility=data["responsibility"],
            progress_reporting=data["progress_reporting"],
            attendance_reporting=data["attendance_reporting"],
            shared_day=data["shared_day"],
            absence_threshold_percent=data["absence_threshold_percent"],
        )


class AgreementCreateForm(AgreementTermsForm):
    title = forms.CharField(
        label=_("Naam van de overeenkomst"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Voorbereiding pabo — mbo-instellingen rond Groningen."),
    )
    host = _HostChoiceField(
        label=_("Gastinstelling (geeft de lessen)"),
        queryset=None,
    )
    field_order = ["title", "host", "partners"]

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, schools=schools, **kwargs)
        self.fields["host"].queryset = schools  # type: ignore[attr-defined]


class AgreementVersionForm(AgreementTermsForm):
    change_summary = forms.CharField(
        label=_("Wat verandert er en waarom?"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("De partners lezen dit voordat ze de nieuwe versie tekenen."),
    )
    field_order = ["change_summary", "partners"]


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("De partners lezen de reden mee."),
    )


class OfferingForm(StyledFormMixin, forms.Form):
    keuzedeel: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Keuzedeel uit de catalogus"), queryset=None
    )
    location_name = forms.CharField(
        label=_("Locatie"),
        max_length=200,
        help_text=_("Gebouw of campus waar de lessen zijn."),
    )
    place = forms.CharField(label=_("Plaats"), max_length=100)
    weekdays = WeekdaysField(label=_("Lesdag(en)"))
    start_date = forms.DateField(
        label=_("Begindatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("Einddatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    places = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, max_value=500)
    min_niveau = forms.TypedChoiceField(
        label=_("Minimaal niveau van de opleiding"),
        choices=[(n, str(n)) for n in range(1, 5)],
        coerce=int,
    )
    entry_conditions = forms.CharField(
        label=_("Overige toelatingseisen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, keuzedelen: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if keuzedelen is None:
            del self.fields["keuzedeel"]
        else:
            self.fields["keuzedeel"].queryset = keuzedelen  # type: ignore[attr-defined]
