"""Forms of the round pages. They only shape input; the rules live in rounds.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stagekans.applications.workflow import RejectionReason
from stagekans.core.forms import StyledFormMixin
from stagekans.education.models import Programme
from stagekans.rounds.models import MAX_SEED
from stagekans.rounds.workflow import ProposingSide, Strategy, TieBreaking
from stagekans.stagemarkt.models import Feature


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class TimetableForm(StyledFormMixin, forms.Form):
    preference_deadline = _date(_("Voorkeuren opgeven tot en met"))
    review_deadline = _date(_("Beoordeling door leerbedrijven tot en met"))
    publication_date = _date(_("Publicatie op"))
    acceptance_deadline = _date(_("Accepteren of weigeren tot en met"))


class RoundForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam van de ronde"), max_length=200)
    programmes = forms.ModelMultipleChoiceField(
        label=_("Opleidingen (cohort)"),
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    cohort = forms.IntegerField(
        label=_("Cohort"), required=False, min_value=2000, max_value=2100,
        help_text=_("Leeg: studenten van alle cohorten van de gekozen opleidingen."),
    )  # fmt: skip
    period_start = _date(_("Stage vanaf"))
    period_end = _date(_("Stage tot en met"))
    strategy = forms.ChoiceField(
        label=_("Strategie"),
        choices=Strategy.choices,
        widget=forms.RadioSelect,
        help_text=_("Wordt per ronde vastgelegd, zodat de pilot de strategieën kan vergelijken."),
    )
    proposing_side = forms.ChoiceField(
        label=_("Voorstellende kant"),
        choices=ProposingSide.choices,
        widget=forms.RadioSelect,
        initial=ProposingSide.STUDENTS,
        help_text=_(
            "Alleen bij centrale matching; studenten voorstellen is voor hen het veiligst."
        ),
    )
    tie_breaking = forms.ChoiceField(
        label=_("Loting bij gelijke stand"),
        choices=TieBreaking.choices,
        widget=forms.RadioSelect,
        initial=TieBreaking.SINGLE,
    )
    seed = forms.IntegerField(
        label=_("Lotingszaad"), required=False, min_value=0, max_value=MAX_SEED,
        help_text=_("Leeg: Stagekans trekt een zaad en legt het vast. Hetzelfde zaad geeft "
                    "dezelfde uitkomst."),
    )  # fmt: skip
    max_distance_km = forms.IntegerField(
        label=_("Maximale reisafstand (km)"), min_value=1, max_value=300, initial=30
    )
    max_choices = forms.IntegerField(
        label=_("Maximaal aantal keuzes per student"), min_value=1, max_value=20, initial=5
    )
    priority_classes = forms.IntegerField(
        label=_("Aantal voorrangsklassen"), min_value=0, max_value=3, initial=0,
        help_text=_("0: geen voorrang. Klasse 1 gaat voor 2, 2 voor 3, en alle klassen gaan "
                    "voor studenten zonder klasse."),
    )  # fmt: skip
    favour_support_needs = forms.BooleanField(
        label=_("Ondersteuningsbehoefte laten meewegen"),
        required=False,
        help_text=_(
            "Een student met een ondersteuningsbehoefte krijgt voorrang bij plaatsen met de "
            "passende inclusiviteitskenmerken."
        ),
    )
    preference_deadline = _date(_("Voorkeuren opgeven tot en met"))
    review_deadline = _date(_("Beoordeling door leerbedrijven tot en met"))
    publication_date = _date(_("Publicatie op"))
    acceptance_deadline = _date(_("Accepteren of weigeren tot en met"))

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programmes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Programme.objects.filter(school=school).select_related("qualification")


class NetworkPlaceForm(StyledFormMixin, forms.Form):
    location = forms.ChoiceField(label=_("Vestiging van een erkend leerbedrijf"))
    capacity = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, max_value=500)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)

    def __init__(self, *args: Any, locations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["location"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Kies een vestiging")), *locations]


class ProfileForm(StyledFormMixin, forms.Form):
    competences = forms.CharField(
        label=_("Competenties en ervaring"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leerbedrijven lezen dit zonder je naam. Noem geen naam of contactgegevens."),
    )  # fmt: skip
    motivation = forms.CharField(
        label=_("Motivatie"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    availability = forms.CharField(label=_("Beschikbaarheid"), required=False, max_length=200)
    support_needs = forms.CharField(
        label=_("Ondersteuningsbehoefte (alleen je stagecoördinator ziet dit)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    support_features = forms.TypedMultipleChoiceField(
        label=_("Wat heb je nodig op de werkplek? (alleen je stagecoördinator ziet dit)"),
        choices=Feature.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ReviewForm(StyledFormMixin, forms.Form):
    acceptable = forms.TypedChoiceField(
        label=_("Oordeel"),
        choices=[("1", _("geschikt")), ("0", _("niet geschikt"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reden bij niet geschikt"),
        choices=[("", _("Kies een reden")), *RejectionReason.choices],
        required=False,
    )
    company_rank = forms.IntegerField(
        label=_("Rangorde (1 = voorkeur)"), required=False, min_value=1, max_value=30000
    )


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van weigeren"),
        choices=[("", _("Kies een reden")), *RejectionReason.choices],
        required=False,
    )


class ChangeAssignmentForm(StyledFormMixin, forms.Form):
    place = forms.ChoiceField(label=_("Nieuwe plaats"), required=False)
    reason = forms.CharField(
        label=_("Reden van de wijziging"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, places: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["place"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Geen plaats (niet geplaatst)")), *places]


class PriorityForm(StyledFormMixin, forms.Form):
    priority_class = forms.IntegerField(label=_("Voorrangsklasse"), min_value=0, max_value=3)
