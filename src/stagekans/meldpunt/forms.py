"""Forms of the meldpunt. They only convert input; the rules live in meldpunt.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.core.forms import StyledFormMixin
from stagekans.education.models import Student
from stagekans.geo.places import Province
from stagekans.meldpunt.models import FollowUp, Ground, Phase, ReporterRole


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def _revalidate(form: forms.Form) -> None:
    """StyledFormMixin validates while the form is built; after choices changed, do it again."""
    form._errors = None  # type: ignore[attr-defined]
    for name, field in form.fields.items():
        widget = field.widget
        widget.attrs.pop("aria-invalid", None)
        auto_id = form[name].auto_id
        described = [f"{auto_id}_help"] if field.help_text else []
        if form.is_bound and name in form.errors:
            described.append(f"{auto_id}_error")
            widget.attrs["aria-invalid"] = "true"
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
        else:
            widget.attrs.pop("aria-describedby", None)


class ReportForm(StyledFormMixin, forms.Form):
    reporter_role = forms.ChoiceField(
        label=_("Wie meldt?"), widget=forms.RadioSelect, required=False
    )
    on_behalf_of: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Namens welke student meld je?"),
        queryset=Student.objects.none(),
        required=False,
    )
    what_happened = forms.CharField(
        label=_("Wat is er gebeurd?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "Vertel in je eigen woorden wat er gebeurde, wie erbij waren en wat er werd gezegd."
        ),
    )
    occurred_on = forms.DateField(
        label=_("Wanneer gebeurde het?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        help_text=_("Weet je de precieze dag niet meer? Kies ongeveer de datum."),
        error_messages={
            "invalid": _("Wanneer: vul een geldige datum in, bijvoorbeeld 2026-03-14.")
        },
    )
    phase = forms.ChoiceField(
        label=_("Wanneer in je stage?"),
        choices=Phase.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    grounds = forms.MultipleChoiceField(
        label=_("Waarom denk je dat je anders werd behandeld?"),
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Je mag meer dan één reden kiezen."),
    )
    company_search = forms.CharField(
        label=_("Zoek het bedrijf in het register"),
        required=False,
        max_length=100,
        help_text=_("Typ (een deel van) de naam en kies 'Zoek bedrijf'."),
    )
    company = forms.ChoiceField(
        label=_("Gevonden bedrijven"), widget=forms.RadioSelect, required=False
    )
    company_name = forms.CharField(
        label=_("Of: naam van het bedrijf"),
        required=False,
        help_text=_("Staat het bedrijf niet in het register? Vul dan hier de naam in."),
    )
    vacancy_description = forms.CharField(
        label=_("Vacature"),
        required=False,
        max_length=300,
        help_text=_("Titel, nummer of link van de vacature, als het om een vacature ging."),
    )
    province = forms.ChoiceField(
        label=_("In welke provincie?"),
        choices=[("", _("Weet ik niet / kies later")), *Province.choices],
        required=False,
    )
    follow_up = forms.ChoiceField(
        label=_("Wat wil je dat er gebeurt?"),
        choices=FollowUp.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_share_identity_with_sbb = forms.BooleanField(
        label=_(
            "Ja, het meldpunt mag mijn naam en contactgegevens aan SBB geven voor een onderzoek."
        ),
        required=False,
        help_text=_(
            "Zonder deze toestemming krijgt SBB alleen een samenvatting zonder je gegevens."
        ),
    )
    consent_share_identity_with_school = forms.BooleanField(
        label=_("Ja, het meldpunt mag mijn school vertellen dat ik dit meldde."),
        required=False,
        help_text=_("Dit is een aparte toestemming. Je kunt de ene geven en de andere niet."),
    )
    contact_name = forms.CharField(label=_("Je naam"), required=False)
    contact_email = forms.CharField(
        label=_("Je e-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Dan sturen we een bevestiging en een seintje als er een bericht is."),
    )
    contact_phone = forms.CharField(
        label=_("Je telefoonnummer"), required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    attachments = MultipleFileField(
        label=_("Bijlagen"),
        required=False,
        help_text=_(
            "Hoogstens 3 bestanden van elk hoogstens 5 MB: PDF, PNG of JPEG. Van foto's halen we "
            "locatie- en cameragegevens af; een PDF bewaren we zoals hij is."
        ),
    )

    def __init__(
        self, *args: Any, user: Any, students: Any = None, companies: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        staff = user.is_authenticated and user.has_perm("meldpunt.file_report_on_behalf")
        if staff:
            self._choice("reporter_role").choices = [
                (ReporterRole.SCHOOL_STAFF, ReporterRole.SCHOOL_STAFF.label),
                (ReporterRole.WITNESS, ReporterRole.WITNESS.label),
            ]
            cast(forms.ModelChoiceField, self.fields["on_behalf_of"]).queryset = students
        else:
            self._choice("reporter_role").choices = [
                (ReporterRole.STUDENT, ReporterRole.STUDENT.label),
                (ReporterRole.WITNESS, ReporterRole.WITNESS.label),
            ]
            del self.fields["on_behalf_of"]
        if user.is_authenticated:
            # A logged-in reporter is reached through the account.
            for name in ("contact_name", "contact_email"):
                del self.fields[name]
        self._choice("company").choices = [(str(c.pk), f"{c.name}") for c in companies] + [
            ("", _("Het bedrijf staat er niet bij"))
        ]
        if not companies:
            del self.fields["company"]
        _revalidate(self)

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


class FollowForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Ontvangstcode"),
        max_length=40,
        error_messages={
            "required": _("Ontvangstcode: vul de code in die je kreeg na je melding."),
            "max_length": _("Ontvangstcode: de code heeft 22 cijfers; controleer wat je invulde."),
        },
        help_text=_(
            "De code van 22 cijfers die je kreeg na je melding, bijvoorbeeld "
            "123456-1234-5678-9012-3456."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class MessageForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Bericht"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Bericht: schrijf een bericht.")},
    )


class TriageForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Toelichting (intern)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReferForm(StyledFormMixin, forms.Form):
    organisation = forms.ChoiceField(
        label=_("Doorverwijzen naar"),
        error_messages={"required": _("Doorverwijzen naar: kies de organisatie.")},
    )
    contact_details = forms.CharField(
        label=_("Contactgegevens voor de melder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Naam, telefoonnummer, e-mail of website waar de melder terecht kan."),
        error_messages={
            "required": _("Contactgegevens: vul in hoe de melder de organisatie bereikt.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from stagekans.meldpunt.services import SupportOrganisation

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            ("", _("Kies een organisatie")),
            (str(SupportOrganisation.SCHOOL_CONFIDANT), SupportOrganisation.SCHOOL_CONFIDANT),
            (
                str(SupportOrganisation.ANTI_DISCRIMINATION_SERVICE),
                SupportOrganisation.ANTI_DISCRIMINATION_SERVICE,
            ),
        ]


class ForwardForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Geanonimiseerde samenvatting voor SBB"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Zonder naam of contactgegevens van de melder, tenzij die toestemming gaf."),
        error_messages={"required": _("Samenvatting: vul een geanonimiseerde samenvatting in.")},
    )
