from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Trainer
from stagekans.core.forms import StyledFormMixin
from stagekans.equalchances.models import (
    SOURCE_URL_MAX_LENGTH,
    RecruitmentStep,
    ScanQuestion,
    Webinar,
)
from stagekans.equalchances.services import MAX_OPTION_POINTS, OptionInput, PolicyAnswers


def question_field_name(question: ScanQuestion) -> str:
    return f"vraag_{question.pk}"


class SelfScanForm(StyledFormMixin, forms.Form):
    """One radio group per question of the version, in the order of the questions."""

    def __init__(self, *args: Any, questions: list[ScanQuestion], **kwargs: Any) -> None:
        self.questions = questions
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question_field_name(question)] = forms.TypedChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=[(o.pk, o.label) for o in question.options.all()],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "sk-radios"}),
                error_messages={"required": _("Kies een antwoord bij: %s") % question.text},
            )
            if question.help_text:
                field = self[question_field_name(question)]
                self.fields[field.name].widget.attrs["aria-describedby"] = f"{field.auto_id}_help"

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[question_field_name(q)] for q in self.questions}

    def steps(self) -> list[tuple[str, list[Any]]]:
        """The bound fields grouped per recruitment step, for the page's sections."""
        labels = dict(RecruitmentStep.choices)
        grouped: dict[str, list[Any]] = {}
        for question in self.questions:
            grouped.setdefault(question.step, []).append(self[question_field_name(question)])
        return [
            (str(labels[step]), grouped[step]) for step in RecruitmentStep.values if step in grouped
        ]


class PolicyForm(StyledFormMixin, forms.Form):
    covers_interns = forms.BooleanField(
        label=_("Ons beleid voor gelijke kansen bij werving geldt ook voor stagiairs"),
        required=False,
    )
    criteria_in_advance = forms.BooleanField(
        label=_("We leggen de eisen vast voordat de werving begint"), required=False
    )
    anonymised_selection = forms.BooleanField(
        label=_("De eerste selectie is anoniem (zonder naam, foto of leeftijd)"), required=False
    )
    structured_interviews = forms.BooleanField(
        label=_("In gesprekken stellen we iedere kandidaat dezelfde vragen"), required=False
    )
    multiple_assessors = forms.BooleanField(
        label=_("Meer dan één persoon beoordeelt iedere kandidaat"), required=False
    )
    written_refusal_reasons = forms.BooleanField(
        label=_("Iedere afgewezen kandidaat krijgt een reden op papier"), required=False
    )
    complaint_route = forms.CharField(
        label=_("Klachtroute"),
        help_text=_("Waar kan een kandidaat terecht met een klacht over de werving?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    responsible = forms.CharField(
        label=_("Verantwoordelijk voor het beleid"),
        help_text=_("Een functie, bijvoorbeeld 'hoofd HR' of 'praktijkopleider'."),
        max_length=200,
    )
    notes = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    document = forms.FileField(
        label=_("Beleidsdocument (pdf, ten hoogste 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_document = forms.BooleanField(
        label=_("Het vorige document niet meer meesturen"), required=False
    )

    def __init__(self, *args: Any, has_document: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_document:
            del self.fields["remove_document"]

    def answers(self) -> PolicyAnswers:
        data = self.cleaned_data
        return {
            "covers_interns": data["covers_interns"],
            "criteria_in_advance": data["criteria_in_advance"],
            "anonymised_selection": data["anonymised_selection"],
            "structured_interviews": data["structured_interviews"],
            "multiple_assessors": data["multiple_assessors"],
            "written_refusal_reasons": data["written_refusal_reasons"],
            "complaint_route": data["complaint_route"],
            "responsible": data["responsible"],
            "notes": data["notes"],
        }


class AttendanceForm(StyledFormMixin, forms.Form):
    """A praktijkopleider records a webinar they followed."""

    webinar = forms.ModelChoiceField(
        label=_("Webinar"), queryset=Webinar.objects.filter(active=True), empty_label=None
    )
    attended_on = forms.DateField(
        label=_("Gevolgd op"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RegisterAttendanceForm(AttendanceForm):
    """SBB registers a praktijkopleider from the attendance list of a webinar (by e-mail)."""

    email = forms.EmailField(
        label=_("E-mailadres van de praktijkopleider"),
        help_text=_("Het e-mailadres waarmee de praktijkopleider in Stagekans inlogt."),
    )

    field_order = ["email", "webinar", "attended_on"]

    def clean_email(self) -> Trainer:
        email = self.cleaned_data["email"].strip()
        trainer = Trainer.objects.filter(user__email__iexact=email, user__is_active=True).first()
        if trainer is None:
            raise forms.ValidationError(
                _("Er is geen praktijkopleider met dit e-mailadres in Stagekans.")
            )
        return trainer


class WebinarForm(StyledFormMixin, forms.Form):
    """SBB keeps a webinar up to date. The link is checked (https only) by the service."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    source_url = forms.CharField(
        label=_("Link naar de bron"),
        help_text=_(
            "De pagina van het webinar zelf (aanmelden, opname of uitleg), beginnend met "
            "https://. Praktijkopleiders en SBB zien deze link bij elk gevolgd webinar."
        ),
        max_length=SOURCE_URL_MAX_LENGTH,
        widget=forms.URLInput(),
    )
    active = forms.BooleanField(
        label=_("Wordt nog aangeboden"),
        help_text=_("Een webinar dat niet meer wordt aangeboden, kan niet meer worden gekozen."),
        required=False,
    )


class VersionIntroForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    intro = forms.CharField(
        label=_("Inleiding"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class QuestionForm(StyledFormMixin, forms.Form):
    """A question of a draft with its answer options (as many as it has now)."""

    step = forms.ChoiceField(label=_("Stap"), choices=RecruitmentStep.choices)
    text = forms.CharField(label=_("Vraag"), max_length=300)
    help_text = forms.CharField(label=_("Uitleg bij de vraag"), max_length=300, required=False)

    def __init__(self, *args: Any, option_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_count = option_count
        for i in range(1, option_count + 1):
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("Antwoord %(i)s") % {"i": i}, max_length=200
            )
            self.fields[f"points_{i}"] = forms.IntegerField(
                label=_("Punten bij antwoord %(i)s") % {"i": i},
                min_value=0,
                max_value=MAX_OPTION_POINTS,
            )
            self.fields[f"advice_{i}"] = forms.CharField(
                label=_("Advies bij antwoord %(i)s") % {"i": i},
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            )
        # StyledFormMixin styled the fields present at its __init__; style the new ones too.
        for name in self.fields:
            widget = self.fields[name].widget
            if "class" not in widget.attrs:
                widget.attrs["class"] = (
                    "utrecht-textarea utrecht-textarea--html-textarea"
                    if isinstance(widget, forms.Textarea)
                    else "utrecht-textbox utrecht-textbox--html-input"
                )

    def options(self) -> list[OptionInput]:
        return [
            {
                "label": self.cleaned_data[f"label_{i}"],
                "points": self.cleaned_data[f"points_{i}"],
                "advice": self.cleaned_data[f"advice_{i}"],
            }
            for i in range(1, self.option_count + 1)
        ]
