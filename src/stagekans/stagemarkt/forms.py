from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

from stagekans.companies.models import Company, Location
from stagekans.companies.selectors import locations_of
from stagekans.core.forms import StyledFormMixin
from stagekans.education.models import Leerweg, Qualification, Sector
from stagekans.geo.selectors import point_for
from stagekans.stagemarkt import selectors
from stagekans.stagemarkt.models import FEATURE_KEYS, features_to_mask

FEATURE_CHOICES = [(key, feature.label) for key, feature in FEATURE_KEYS.items()]
MIN_RADIUS, MAX_RADIUS, DEFAULT_RADIUS = 1, 200, 20


# The search form is rendered on every public search page. Its widgets (some forty options and
# attribute lists) render several times faster from Django's own Jinja2 widget templates, which
# give the same HTML as the template-language ones (tests/test_search_form_renderer.py).
SEARCH_FORM_RENDERER = Jinja2()


class VacancySearchForm(StyledFormMixin, forms.Form):
    """The public search filters; the web page and the API both validate with this form."""

    default_renderer = SEARCH_FORM_RENDERER

    q = forms.CharField(
        label=_("Opleiding of crebocode"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld 'Verpleegkundige' of 25655."),
    )
    waar = forms.CharField(
        label=_("Plaats of postcode"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld Utrecht of 3511 AB."),
    )
    straal = forms.IntegerField(
        label=_("Straal in km"),
        required=False,
        widget=forms.NumberInput(
            attrs={"min": MIN_RADIUS, "max": MAX_RADIUS, "placeholder": str(DEFAULT_RADIUS)}
        ),
        error_messages={"invalid": _("Vul de straal in als een heel getal (1 tot en met 200).")},
    )
    niveau = forms.IntegerField(
        label=_("Niveau"),
        required=False,
        widget=forms.Select(choices=[("", _("Alle niveaus")), *[(n, str(n)) for n in range(1, 5)]]),
        error_messages={"invalid": _("Niveau moet 1, 2, 3 of 4 zijn.")},
    )
    leerweg = forms.ChoiceField(
        label=_("Leerweg"), required=False, choices=[("", _("Alle leerwegen")), *Leerweg.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Alle sectoren")), *Sector.choices]
    )
    van = forms.DateField(
        label=_("Beschikbaar vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul de begindatum in als JJJJ-MM-DD.")},
    )
    tot = forms.DateField(
        label=_("Beschikbaar tot"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul de einddatum in als JJJJ-MM-DD.")},
    )
    kenmerken = forms.MultipleChoiceField(
        label=_("Inclusiviteitskenmerken"),
        required=False,
        choices=FEATURE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Onbekend kenmerk '%(value)s'.")},
    )
    sortering = forms.ChoiceField(
        label=_("Sorteren op"),
        required=False,
        choices=[
            ("", _("Standaard (afstand als je een plaats invult, anders nieuwste)")),
            (selectors.SORT_DISTANCE, _("Afstand, dichtstbij eerst")),
            (selectors.SORT_START, _("Startdatum, eerst beginnend")),
            (selectors.SORT_NEWEST, _("Nieuwste eerst")),
        ],
        error_messages={"invalid_choice": _("Sorteren op: kies afstand, startdatum of nieuwste.")},
    )
    # Paging is lenient, as on the register: a page number that is not a positive whole
    # number means the first page (it is not something a visitor typed).
    page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=12)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Set before super().__init__: the styling mixin may already clean a bound form.
        self._qualification_ids: tuple[int, ...] | None = None
        self._point: tuple[float, float] | None = None
        super().__init__(*args, **kwargs)

    def clean_page(self) -> int:
        value = (self.cleaned_data.get("page") or "").strip()
        return int(value) if value.isascii() and value.isdigit() and int(value) >= 1 else 1

    def clean_q(self) -> str:
        text = self.cleaned_data.get("q", "").strip()
        if not text:
            return ""
        ids = selectors.qualification_ids_matching(text)
        if not ids:
            if text.isdigit():
                raise forms.ValidationError(
                    _("Crebocode %(crebo)s is onbekend. Controleer de code."),
                    params={"crebo": text},
                )
            raise forms.ValidationError(
                _("Geen opleiding gevonden met '%(text)s' in de naam."), params={"text": text}
            )
        self._qualification_ids = ids
        return text

    def clean_waar(self) -> str:
        text = self.cleaned_data.get("waar", "").strip()
        if not text:
            return ""
        point = point_for(text)
        if point is None:
            raise forms.ValidationError(
                _(
                    "Plaats of postcode '%(text)s' is niet bekend. Vul een Nederlandse plaats of "
                    "postcode in."
                ),
                params={"text": text},
            )
        self._point = point
        return text

    def clean_straal(self) -> int:
        radius = self.cleaned_data.get("straal")
        if radius is None:
            return DEFAULT_RADIUS
        if not MIN_RADIUS <= radius <= MAX_RADIUS:
            raise forms.ValidationError(
                _("De straal moet tussen %(min)s en %(max)s km liggen."),
                params={"min": MIN_RADIUS, "max": MAX_RADIUS},
            )
        return radius

    def clean_niveau(self) -> int | None:
        niveau = self.cleaned_data.get("niveau")
        if niveau is not None and not 1 <= niveau <= 4:
            raise forms.ValidationError(_("Niveau moet 1, 2, 3 of 4 zijn."))
        return niveau

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data

    def criteria(self) -> selectors.SearchCriteria:
        data = self.cleaned_data
        return selectors.SearchCriteria(
            qualification_ids=self._qualification_ids,
            niveau=data.get("niveau"),
            leerweg=data.get("leerweg", ""),
            point=self._point,
            radius_km=data.get("straal") or DEFAULT_RADIUS,
            period_start=data.get("van"),
            period_end=data.get("tot"),
            sector=data.get("sector", ""),
            features=features_to_mask(data.get("kenmerken", [])),
            sort=data.get("sortering", ""),
        )


class FeaturesField(forms.MultipleChoiceField):
    """The four features as checkboxes, cleaned to the bitmask the models store."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", FEATURE_CHOICES)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return [key for key, feature in FEATURE_KEYS.items() if value & feature]
        return value

    def clean(self, value: Any) -> int:
        return features_to_mask(super().clean(value))


class _VacancyFields(forms.Form):
    location = forms.ModelChoiceField(label=_("Vestiging"), queryset=Location.objects.none())
    qualification = forms.ModelChoiceField(
        label=_("Kwalificatie"),
        queryset=Qualification.objects.none(),
        help_text=_("Alleen kwalificaties waarvoor uw leerbedrijf geldig erkend is."),
    )
    leerweg = forms.ChoiceField(label=_("Leerweg"), choices=Leerweg.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), widget=forms.Textarea, max_length=10000)
    start_date = forms.DateField(
        label=_("Begindatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("Einddatum"), widget=forms.DateInput(attrs={"type": "date"}))
    days_per_week = forms.IntegerField(label=_("Dagen per week"), min_value=1, max_value=5)
    allowance = forms.DecimalField(
        label=_("Stagevergoeding per maand (€)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=0,
    )
    places = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, max_value=500, initial=1)
    features = FeaturesField(
        label=_("Inclusiviteitskenmerken van deze stageplaats"),
        help_text=_("Vrijwillig. Kenmerken van uw leerbedrijf gelden ook voor deze vacature."),
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations_of(company)  # type: ignore[attr-defined]
        self.fields["qualification"].queryset = selectors.recognised_qualifications(  # type: ignore[attr-defined]
            company
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum ligt vóór de begindatum."))
        return data


class VacancyForm(StyledFormMixin, _VacancyFields):
    """StyledFormMixin comes first so that it styles the fields once their querysets are set."""


class CompanyProfileForm(StyledFormMixin, forms.Form):
    features = FeaturesField(label=_("Inclusiviteitskenmerken van uw leerbedrijf"))
    inclusivity_text = forms.CharField(
        label=_("Inclusiviteit in eigen woorden"),
        widget=forms.Textarea,
        max_length=4000,
        required=False,
        help_text=_("Vertel studenten hoe u zorgt dat iedereen welkom is (vrijwillig)."),
    )
