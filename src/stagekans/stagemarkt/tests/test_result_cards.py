"""The result cards built in Python (`{% result_cards %}`) against the template they replace:
the same markup and texts, escaped alike, in Dutch and English."""

# ruff: noqa: E501 (the reference template is kept verbatim, long lines included)
from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from stagekans.stagemarkt import selectors, services
from stagekans.stagemarkt.selectors import SearchCriteria
from stagekans.stagemarkt.templatetags.stagemarkt_results import result_cards
from stagekans.testing.factories import LocationFactory, RecognitionFactory, VacancyFactory

# The card markup as the search page's template had it before the cards moved to Python.
REFERENCE = Template(
    """{% load i18n %}{% for v in page.results %}
  <li class="utrecht-card sk-result">
    <div class="utrecht-card__content">
      <h3 class="utrecht-card__heading utrecht-heading-3"><a class="utrecht-link" href="{% url 'stagemarkt:vacancy_detail' v.pk %}">{{ v.title }}</a></h3>
      <div class="utrecht-card__body">
        <p class="utrecht-paragraph"><a class="utrecht-link" href="{% url 'stagemarkt:company_detail' v.company.pk %}">{{ v.company.name }}</a> · {{ v.place }}</p>
        <dl class="sk-result-facts">
          {% if v.distance_km is not None %}<div><dt>{% translate "Afstand" %}</dt><dd>{% blocktranslate with km=v.distance_km|floatformat:1 %}{{ km }} km{% endblocktranslate %}</dd></div>{% endif %}
          <div><dt>{% translate "Periode" %}</dt><dd>{{ v.start_date|date:"j F Y" }} – {{ v.end_date|date:"j F Y" }}</dd></div>
          <div><dt>{% translate "Opleiding" %}</dt><dd>{{ v.qualification.title }} ({{ v.qualification.crebo }}), {% translate "niveau" %} {{ v.niveau }}, {{ v.leerweg }}</dd></div>
        </dl>
        {% with features=v.all_features %}{% if features %}<ul class="sk-badges" aria-label="{% translate 'Kenmerken' %}">{% for f in features %}<li class="utrecht-data-badge">{{ f.label }}</li>{% endfor %}</ul>{% endif %}{% endwith %}
      </div>
    </div>
  </li>{% endfor %}
"""
)


def _normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.fixture
def results(db):
    location = LocationFactory(postcode="3511 AB", place="Utrecht")
    qualification = RecognitionFactory(company=location.company).qualification
    VacancyFactory(
        location=location,
        qualification=qualification,
        features=1 | 4,
        publish=True,
        title='Zorg & <welzijn> "stage"',
    )
    VacancyFactory(location=location, qualification=qualification, publish=True, title="Kantoor")
    services.update_company_profile(
        acting_user=None, company=location.company, features=0, inclusivity_text=""
    )
    return qualification


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("with_point", [True, False])
def test_cards_equal_the_template_they_replace(results, language, with_point):
    criteria = SearchCriteria(
        qualification_ids=(results.pk,),
        point=(52.09, 5.12) if with_point else None,
        radius_km=20.0,
    )
    page = selectors.search_vacancies(criteria)
    assert len(page.results) == 2
    with translation.override(language):
        expected = REFERENCE.render(Context({"page": page}))
        actual = result_cards(page.results)
    assert _normalise(actual) == _normalise(expected)
    assert "&lt;welzijn&gt;" in actual and "<welzijn>" not in actual
    assert ("km</dd>" in actual) is with_point


def test_no_results_no_cards(db):
    assert result_cards([]) == ""
