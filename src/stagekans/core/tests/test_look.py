"""Shared presentation layer: project form messages, the chart and map components, the footer
statements, in-app help and the absence of inline script."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from stagekans.core.forms import StyledFormMixin

pytestmark = pytest.mark.django_db


class ExampleForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Naam", max_length=3)
    count = forms.IntegerField(label="Aantal", min_value=2)
    choice = forms.ChoiceField(label="Keuze", choices=[("a", "A")])
    email = forms.EmailField(label="E-mailadres", required=False)
    own = forms.CharField(label="Eigen", error_messages={"required": "Eigen: eigen tekst."})


def test_generic_django_messages_are_replaced_by_project_messages():
    with translation.override("nl"):
        errors = ExampleForm({}).errors
        assert errors["name"] == ["Naam: vul dit in."]
        assert errors["count"] == ["Aantal: vul dit in."]
        assert errors["choice"] == ["Keuze: maak een keuze."]
        assert errors["own"] == ["Eigen: eigen tekst."]  # a form's own message stays
        data = {"name": "abcd", "count": "x", "choice": "z", "email": "q", "own": "x"}
        errors = ExampleForm(data).errors
        assert errors["name"] == ["Naam: gebruik hoogstens 3 tekens (nu 4)."]
        assert errors["count"] == ["Aantal: vul een heel getal in, zonder punten of letters."]
        assert errors["choice"] == ["Keuze: kies een van de mogelijkheden."]
        assert errors["email"] == ["E-mailadres: vul een e-mailadres in, zoals naam@voorbeeld.nl."]
        assert ExampleForm({**data, "count": "1"}).errors["count"] == [
            "Aantal: vul een getal in van minstens 2."
        ]


def _render(source: str, **context) -> str:
    return Template("{% load sk_visuals %}" + source).render(Context(context))


def test_bar_chart_has_an_accessible_svg_and_its_data_table():
    rows = [{"label": "Zorg", "value": 40}, {"label": "Techniek", "value": None}]
    html = _render(
        '{% bar_chart rows caption="Meldingen per sector" label_heading="Sector" '
        'value_label="Meldingen" %}',
        rows=rows,
    )
    assert re.search(
        r'<svg class="sk-chart__svg" role="img" aria-labelledby="grafiek-\d+-titel"', html
    )
    assert html.count('class="sk-chart__bar"') == 1  # no bar for a suppressed value
    assert '<th scope="row">Techniek</th><td>afgeschermd</td>' in html
    assert '<th scope="row">Zorg</th><td>40</td>' in html


def test_nl_map_plots_points_inside_the_netherlands_with_a_text_alternative():
    utrecht = SimpleNamespace(latitude=52.09, longitude=5.12, title="Stage in Utrecht")
    groningen = SimpleNamespace(latitude=53.22, longitude=6.57, title="Stage in Groningen")
    html = _render(
        '{% nl_map points origin=origin description="Kaart van Nederland met 2 stages" %}',
        points=[utrecht, groningen],
        origin=(52.09, 5.12),
    )
    assert "<title id=" in html and "Kaart van Nederland met 2 stages" in html
    dots = re.findall(r'class="sk-map__point" cx="([\d.]+)" cy="([\d.]+)"', html)
    assert len(dots) == 2
    (ux, uy), (gx, gy) = ((float(x), float(y)) for x, y in dots)
    assert gx > ux and gy < uy  # Groningen lies north-east of Utrecht
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', html).groups())
    assert all(0 < float(v) < width for v in (ux, gx)) and all(0 < v < height for v in (uy, gy))
    assert "http" not in html  # nothing loaded from elsewhere


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/privacy/", "Zo gebruik je je rechten"),
        ("/toegankelijkheid/", "Toegankelijkheidsverklaring"),
        ("/hulp/register-importeren/", "recognition_status"),
    ],
)
def test_statements_and_help_are_pages_linked_from_the_footer(url, text):
    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert text in body
    footer = body[body.index("<footer") :]
    assert 'href="/privacy/"' in footer and 'href="/toegankelijkheid/"' in footer


def test_unknown_help_topic_is_404():
    assert Client().get("/hulp/bestaat-niet/").status_code == 404


def test_pages_carry_no_inline_script_or_style_attribute():
    for url in ("/", "/stagemarkt/", "/meldpunt/", "/privacy/", "/account/inloggen/"):
        body = Client().get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert not re.search(r"\son[a-z]+=\"", body), url
        assert ' style="' not in body, url
