from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.keuzedelen.workflow import AttendanceStatus, RefusalReason, Result

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
