"""The public register: anonymous search by crebo/qualification and place/postcode + radius."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.register import services
from stagekans.register.workflow import ALL_CONDITIONS_MET
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _company_at(place: str, postcode: str, qualification, *, consent: bool = True):
    location = f.LocationFactory(place=place, postcode=postcode)
    recognition = services.request_recognition(
        acting_user=None, company=location.company, qualification=qualification, reason="a"
    )
    if consent:
        services.grant_recognition(
            acting_user=None, recognition=recognition, reason="v", conditions=ALL_CONDITIONS_MET
        )
    return location.company


@pytest.fixture
def world():
    zorg = f.QualificationFactory(title="Verzorgende IG", crebo="25491")
    ict = f.QualificationFactory(title="Software developer", crebo="25604")
    utrecht = _company_at("Utrecht", "3511 AB", zorg)
    amersfoort = _company_at("Amersfoort", "3811 AA", zorg)
    groningen = _company_at("Groningen", "9711 AA", zorg)
    software = _company_at("Utrecht", "3512 AA", ict)
    requested_only = _company_at("Utrecht", "3513 AA", zorg, consent=False)
    return {
        "zorg": zorg,
        "utrecht": utrecht,
        "amersfoort": amersfoort,
        "groningen": groningen,
        "software": software,
        "requested_only": requested_only,
    }


def _names(response):
    return [c.name for c in response.context["page_obj"].object_list]


def test_search_by_crebo_and_radius_sorted_by_distance(world):
    response = Client().get("/register/", {"q": "25491", "plaats": "Utrecht", "straal": 50})
    assert response.status_code == 200
    assert _names(response) == [world["utrecht"].name, world["amersfoort"].name]
    distances = [c.distance for c in response.context["page_obj"].object_list]
    assert distances[0] < 2 and 15 < distances[1] < 25
    assert "Verzorgende IG (25491)" in response.content.decode()


def test_search_by_postcode_and_title(world):
    response = Client().get("/register/", {"q": "verzorgende", "plaats": "9711", "straal": 10})
    assert _names(response) == [world["groningen"].name]


def test_search_without_place_lists_all_recognised(world):
    response = Client().get("/register/", {"q": "25604"})
    assert _names(response) == [world["software"].name]
    everyone = _names(Client().get("/register/", {"q": ""}))
    assert world["requested_only"].name not in everyone
    assert len(everyone) == 4


def test_not_consented_or_revoked_is_not_public(world, officers):
    officer1, officer2 = officers
    recognition = world["amersfoort"].recognitions.get()
    services.approve_revocation(
        acting_user=officer2,
        revocation=services.request_revocation(
            acting_user=officer1, recognition=recognition, reason="r", decision_reference="k"
        ),
    )
    response = Client().get("/register/", {"q": "25491", "plaats": "Utrecht", "straal": 100})
    assert world["amersfoort"].name not in _names(response)
    assert Client().get(f"/register/bedrijven/{world['amersfoort'].pk}/").status_code == 404
    assert Client().get(f"/register/bedrijven/{world['requested_only'].pk}/").status_code == 404


def test_invalid_filters_get_dutch_messages(world):
    unknown = Client().get("/register/", {"plaats": "Atlantis"})
    assert unknown.status_code == 400
    assert "is niet bekend" in unknown.content.decode()
    bad_crebo = Client().get("/register/", {"q": "123"})
    assert bad_crebo.status_code == 400
    assert "precies 5 cijfers" in bad_crebo.content.decode()
    no_qualification = Client().get("/register/", {"q": "Astronaut"})
    assert no_qualification.status_code == 400
    assert "geen kwalificatie gevonden" in no_qualification.content.decode()
    bad_radius = Client().get("/register/", {"straal": "7"})
    assert bad_radius.status_code == 400


def test_empty_result_and_first_visit(world):
    first = Client().get("/register/")
    assert first.status_code == 200 and "page_obj" not in first.context
    empty = Client().get("/register/", {"q": "25604", "plaats": "Groningen", "straal": 5})
    assert empty.status_code == 200
    assert "Geen erkende leerbedrijven gevonden" in empty.content.decode()


def test_company_page_lists_valid_public_recognitions(world):
    company = world["utrecht"]
    other = f.QualificationFactory(title="Helpende Zorg en Welzijn")
    services.request_recognition(acting_user=None, company=company, qualification=other, reason="a")
    response = Client().get(f"/register/bedrijven/{company.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Verzorgende IG" in body
    assert "Helpende Zorg en Welzijn" not in body  # only requested, not valid
    assert "3511 AB" in body


def test_pagination(world):
    zorg = world["zorg"]
    for _ in range(21):
        _company_at("Utrecht", "3511 AB", zorg)
    page1 = Client().get("/register/", {"q": "25491", "plaats": "Utrecht", "straal": 5})
    assert len(page1.context["page_obj"].object_list) == 20
    page2 = Client().get("/register/", {"q": "25491", "plaats": "Utrecht", "straal": 5, "page": 2})
    # 21 new + the world's Utrecht company; not the one that is only requested
    assert page2.context["page_obj"].paginator.count == 22
    assert len(page2.context["page_obj"].object_list) == 2
