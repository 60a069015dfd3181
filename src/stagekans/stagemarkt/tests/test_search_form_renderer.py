"""The search form renders its widgets with Django's Jinja2 form renderer (faster); the HTML is
the same as with the template-language renderer every other form uses — for an empty form, a
filled one and one with errors, in Dutch and English (compared as HTML, not as text)."""

from __future__ import annotations

import pytest
from django.forms.renderers import DjangoTemplates, Jinja2
from django.test import Client
from django.test.html import parse_html
from django.utils import translation

from stagekans.stagemarkt.forms import VacancySearchForm

CASES = [
    None,
    {"q": "25655", "waar": "Utrecht", "straal": "20", "kenmerken": ["begeleiding", "parttime"]},
    {
        "q": "25655",
        "waar": '3511 "AB" <x>',
        "straal": "900",
        "niveau": "7",
        "leerweg": "BBL",
        "sector": "zorg",
        "van": "2027-02-30",
        "tot": "gisteren",
        "sortering": "start",
        "page": "3",
    },
]


def _widgets(form: VacancySearchForm) -> list[object]:
    """Each widget and sub-widget as a parsed DOM (as assertHTMLEqual compares): the two
    renderers differ only in blank lines between options and in how they write an escaped
    quote (&quot; or &#34;)."""
    out: list[object] = []
    for name in form.fields:
        bound = form[name]
        out.append(parse_html(str(bound)))
        out.extend(parse_html(str(choice.tag())) for choice in bound.subwidgets)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_jinja2_widgets_equal_the_template_language_ones(data, language):
    assert isinstance(VacancySearchForm().renderer, Jinja2)
    with translation.override(language):
        fast = VacancySearchForm(data)
        reference = VacancySearchForm(data, renderer=DjangoTemplates())
        if data is not None:
            assert fast.is_valid() == reference.is_valid()
        assert _widgets(fast) == _widgets(reference)


@pytest.mark.django_db
def test_the_search_page_shows_the_rendered_filters(client: Client):
    page = client.get("/stagemarkt/", {"q": "25655", "waar": "Utrecht", "kenmerken": "parttime"})
    html = page.content.decode()
    assert 'name="kenmerken" value="parttime"' in html and "checked" in html
    assert 'name="waar"' in html and 'value="Utrecht"' in html
