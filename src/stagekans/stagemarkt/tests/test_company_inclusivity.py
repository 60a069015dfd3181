"""Issue 9, defect 11: the company page shows the inclusivity features its vacancies list; it
never says "geen inclusiviteitskenmerken" while one of its vacancies has one."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.stagemarkt import services
from stagekans.stagemarkt.models import Feature
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db
NONE = "geen inclusiviteitskenmerken"


def test_a_feature_of_one_vacancy_shows_on_the_company_page():
    vacancy = f.VacancyFactory(publish=True, features=Feature.PRIKKELARME_WERKPLEK)
    html = Client().get(f"/stagemarkt/bedrijven/{vacancy.company.pk}/").content.decode()
    assert NONE not in html
    assert "Prikkelarme werkplek" in html
    assert "Bij een of meer stageplaatsen" in html
    assert (
        "Prikkelarme werkplek"
        in Client().get(f"/stagemarkt/vacatures/{vacancy.pk}/").content.decode()
    )


def test_company_wide_features_are_listed_once_as_company_wide():
    vacancy = f.VacancyFactory(publish=True, features=Feature.BEGELEIDING_OP_MAAT)
    services.update_company_profile(
        acting_user=None,
        company=vacancy.company,
        features=Feature.BEGELEIDING_OP_MAAT | Feature.FYSIEKE_TOEGANKELIJKHEID,
        inclusivity_text="Wij passen de werkplek aan.",
    )
    html = Client().get(f"/stagemarkt/bedrijven/{vacancy.company.pk}/").content.decode()
    assert "Bij alle stageplaatsen" in html
    assert "Bij een of meer stageplaatsen" not in html
    assert html.count("Begeleiding op maat") == 1


def test_no_features_anywhere_says_so():
    vacancy = f.VacancyFactory(publish=True)
    html = Client().get(f"/stagemarkt/bedrijven/{vacancy.company.pk}/").content.decode()
    assert NONE in html
