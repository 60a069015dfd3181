from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stagekans.cases.models import DecisionOutcome, HearingRequest, Measure, Party
from stagekans.cases.services import HEARING_WORKING_DAYS, MAX_ATTACHMENTS
from stagekans.companies.models import Company
from stagekans.core.forms import StyledFormMixin
from stagekans.core.identifiers import validate_kvk
from stagekans.education.models import School
from stagekans.meldpunt.attachments import clean_attachment


def _revalidate(form: forms.Form) -> None:
    """StyledFormMixin validates while the form is built; after querysets changed, again."""
    form._errors = None  # type: ignore[attr-defined]
    for name, field in form.fields.items():
        widget = field.widget
        widget.attrs.pop("aria-invalid", None)
        widget.attrs.pop("aria-describedby", None)
        auto_id = form[name].auto_id
        described = [f"{auto_id}_help"] if field.help_text else []
        if form.is_bound and name in form.errors:
            described.append(f"{auto_id}_error")
            widget.attrs["aria-invalid"] = "true"
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


class OpenCaseForm(StyledFormMixin, forms.Form):
    kvk_number = forms.CharField(
        label=_("KvK-nummer leerbedrijf"), max_length=12, validators=[validate_kvk]
    )
    summary = forms.CharField(
        label=_("Samenvatting van het vermoeden"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Het leerbedrijf en de school lezen deze samenvatting; noem geen melder."),
    )

    def clean_kvk_number(self) -> Company:
        kvk = self.cleaned_data["kvk_number"].replace(" ", "")
        company = Company.objects.filter(kvk_number=kvk).first()
        if company is None:
            raise forms.ValidationError(
                _("KvK-nummer: er is geen leerbedrijf met dit nummer in het register.")
            )
        return company


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class HearingForm(StyledFormMixin, forms.Form):
    prefix = "hearing"

    party = forms.ChoiceField(label=_("Partij"), choices=Party.choices)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Alleen bij de partij school."),
    )
    reporter = forms.ChoiceField(label=_("Melder"), choices=(), required=False)
    questions = forms.CharField(
        label=_("Vragen aan de partij"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    working_days = forms.IntegerField(
        label=_("Termijn in werkdagen"), initial=HEARING_WORKING_DAYS, min_value=1, max_value=60
    )

    def __init__(self, *args: Any, schools: Any, reporters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["reporter"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(r.pk), r.report_reference) for r in reporters
        ]
        if not reporters:
            self.fields["party"].choices = [  # type: ignore[attr-defined]
                c for c in Party.choices if c[0] != Party.STUDENT
            ]
        _revalidate(self)


class HearingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.party_label} — {obj.deadline:%d-%m-%Y}"


class ExtendForm(StyledFormMixin, forms.Form):
    prefix = "extend"

    hearing = HearingChoiceField(label=_("Verzoek"), queryset=HearingRequest.objects.none())
    extra_working_days = forms.IntegerField(
        label=_("Extra werkdagen"), min_value=1, max_value=60, initial=5
    )
    reason = forms.CharField(
        label=_("Reden van de verlenging"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, hearings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = hearings  # type: ignore[attr-defined]
        _revalidate(self)


class ResponseForm(StyledFormMixin, forms.Form):
    statement = forms.CharField(
        label=_("Uw reactie"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000
    )
    attachments = MultipleFileField(
        label=_("Bijlagen"),
        required=False,
        help_text=_(
            "Hoogstens %(n)d bestanden van elk hoogstens 5 MB: PDF, PNG of JPEG. Van foto's halen "
            "we locatie- en cameragegevens af."
        )
        % {"n": MAX_ATTACHMENTS},
    )

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Bijlagen: stuur hoogstens %(n)d bestanden mee.") % {"n": MAX_ATTACHMENTS}
            )
        return [clean_attachment(upload) for upload in uploads]


class StudentResponseForm(ResponseForm):
    """SBB records the student's side (e.g. from an interview)."""

    prefix = "student"
    field_order = ["hearing", "statement", "attachments"]

    hearing = HearingChoiceField(label=_("Verzoek"), queryset=HearingRequest.objects.none())

    def __init__(self, *args: Any, hearings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = hearings  # type: ignore[attr-defined]
        _revalidate(self)
        self.fields["statement"].label = _("Wat de student vertelde")


class DecisionForm(StyledFormMixin, forms.Form):
    prefix = "decision"

    outcome = forms.ChoiceField(label=_("Besluit"), choices=DecisionOutcome.choices)
    reasons = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("Het leerbedrijf krijgt deze motivering in de besluitbrief."),
    )
    measure = forms.ChoiceField(label=_("Maatregel"), choices=Measure.choices)
    improvement_terms = forms.CharField(
        label=_("Verbeterafspraak"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_on = forms.DateField(
        label=_("Controle verbeterafspraak op"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ObjectionForm(StyledFormMixin, forms.Form):
    prefix = "objection"

    received_on = forms.DateField(
        label=_("Bezwaar ontvangen op"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grounds = forms.CharField(
        label=_("Gronden van het bezwaar"), widget=forms.Textarea(attrs={"rows": 4})
    )


class CompanyObjectionForm(StyledFormMixin, forms.Form):
    """The learning company's own objection in its portal; received today."""

    prefix = "bezwaar"

    grounds = forms.CharField(
        label=_("Gronden van het bezwaar"),
        help_text=_("Leg uit waarom u het niet eens bent met het besluit (ten minste 10 tekens)."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )


def investigators() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(groups__permissions__codename="investigate_case")
        .distinct()
        .order_by("last_name", "username")
    )


class InvestigatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ReopenForm(StyledFormMixin, forms.Form):
    prefix = "reopen"

    assignee = InvestigatorChoiceField(
        label=_("Nieuwe beoordelaar"), queryset=get_user_model().objects.none()
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, assignees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only investigators of the case's team (cases.selectors.team_investigators).
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            assignees if assignees is not None else investigators()
        )
        _revalidate(self)


class AssignForm(StyledFormMixin, forms.Form):
    prefix = "assign"

    assignee = InvestigatorChoiceField(
        label=_("Onderzoeker"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, assignees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only investigators of the case's team (cases.selectors.team_investigators).
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            assignees if assignees is not None else investigators()
        )
        _revalidate(self)


class MessageForm(StyledFormMixin, forms.Form):
    prefix = "message"

    party = forms.ChoiceField(label=_("Aan"), choices=Party.choices)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Onderwerp"), max_length=150)
    body = forms.CharField(label=_("Bericht"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        _revalidate(self)


class RevocationProposalForm(StyledFormMixin, forms.Form):
    """The first SBB adviser proposes the revocation a decision asked for."""

    reason = forms.CharField(
        label=_("Redenen voor de intrekking"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_(
            "Overgenomen uit de motivering van het besluit; pas aan waar nodig. Het leerbedrijf "
            "krijgt deze redenen per e-mail als de intrekking ingaat."
        ),
    )
