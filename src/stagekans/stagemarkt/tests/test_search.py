"""Public search: filters, distance order, visibility, and clear Dutch errors (page and API)."""

import pytest

from stagekans.register.models import Recognition
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt import services
from stagekans.testing.factories import LocationFactory, RecognitionFactory, VacancyFactory

API = "/api/v1/stagemarkt/vacatures/"


@pytest.fixture
def market(db):
    utrecht = LocationFactory(postcode="3511 AB", place="Utrecht")
    company = utrecht.company
    qualification = RecognitionFactory(company=company).qualification
    amersfoort = LocationFactory(company=company, postcode="3811 AA", place="Amersfoort")
    rotterdam = LocationFactory(company=company, postcode="3011 AA", place="Rotterdam")
    near = VacancyFactory(
        location=utrecht, qualification=qualification, features=1, publish=True, title="Dichtbij"
    )
    mid = VacancyFactory(
        location=amersfoort, qualification=qualification, publish=True, title="Amersfoort"
    )
    far = VacancyFactory(
        location=rotterdam, qualification=qualification, features=1, publish=True, title="Ver"
    )
    draft = VacancyFactory(location=utrecht, qualification=qualification, title="Concept")
    return {"q": qualification, "near": near, "mid": mid, "far": far, "draft": draft}


def test_postcode_radius_and_feature_sorted_by_distance(client, market):
    response = client.get(API, {"q": market["q"].crebo, "waar": "3511", "straal": 30})
    assert response.status_code == 200
    data = response.json()
    assert [r["title"] for r in data["results"]] == ["Dichtbij", "Amersfoort"]
    assert data["count"] == 2 and not data["count_capped"]
    assert data["results"][0]["distance_km"] < data["results"][1]["distance_km"] <= 30
    response = client.get(
        API, {"q": market["q"].crebo, "waar": "Utrecht", "straal": 100, "kenmerken": "begeleiding"}
    )
    assert [r["title"] for r in response.json()["results"]] == ["Dichtbij", "Ver"]


def test_company_profile_features_count_for_the_search(client, market):
    services.update_company_profile(
        acting_user=None, company=market["near"].company, features=8, inclusivity_text=""
    )
    response = client.get(API, {"waar": "Utrecht", "straal": 200, "kenmerken": "prikkelarm"})
    assert response.json()["count"] == 3


def test_only_published_of_validly_recognised_companies(client, market):
    titles = {r["title"] for r in client.get(API, {"q": market["q"].title}).json()["results"]}
    assert titles == {"Dichtbij", "Amersfoort", "Ver"}
    Recognition.objects.filter(qualification=market["q"]).update(status=RecognitionStatus.EXPIRED)
    assert client.get(API, {"q": market["q"].crebo}).json()["count"] == 0
    assert client.get(f"{API}{market['near'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"q": "99999"}, "q", "Crebocode 99999 is onbekend"),
        ({"waar": "Atlantis"}, "waar", "is niet bekend"),
        ({"waar": "Utrecht", "straal": 0}, "straal", "tussen 1 en 200 km"),
        ({"waar": "Utrecht", "straal": 201}, "straal", "tussen 1 en 200 km"),
        ({"niveau": 5}, "niveau", "Niveau moet 1, 2, 3 of 4 zijn"),
        ({"van": "2027-03-01", "tot": "2027-02-01"}, "tot", "vóór de begindatum"),
        ({"kenmerken": "zwembad"}, "kenmerken", "Onbekend kenmerk"),
    ],
)
def test_invalid_filters_give_dutch_field_errors(client, db, params, field, text):
    response = client.get(API, params)
    assert response.status_code == 400
    assert text in " ".join(response.json()[field])
    page = client.get("/stagemarkt/", params)
    assert page.status_code == 400
    assert text in page.content.decode()


def test_search_page_without_js_and_empty_state(client, market):
    page = client.get("/stagemarkt/")
    assert page.status_code == 200 and "Vul een opleiding" in page.content.decode()
    page = client.get("/stagemarkt/", {"q": market["q"].crebo, "waar": "Utrecht", "straal": 5})
    html = page.content.decode()
    assert "Dichtbij" in html and "Rotterdam" not in html
    page = client.get("/stagemarkt/", {"q": market["q"].crebo, "van": "2040-01-01"})
    assert "Geen stageplaatsen gevonden" in page.content.decode()
    partial = client.get("/stagemarkt/", {"straal": 999}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_vacancy_and_company_pages(client, market):
    vacancy = market["near"]
    services.update_company_profile(
        acting_user=None,
        company=vacancy.company,
        features=2,
        inclusivity_text="Iedereen is welkom.",
    )
    html = client.get(f"/stagemarkt/vacatures/{vacancy.pk}/").content.decode()
    assert vacancy.title in html and "Iedereen is welkom." in html
    assert client.get(f"/stagemarkt/vacatures/{market['draft'].pk}/").status_code == 404
    html = client.get(f"/stagemarkt/bedrijven/{vacancy.company.pk}/").content.decode()
    assert "Fysieke toegankelijkheid" in html and "Concept" not in html and "Ver" in html
    api = client.get(f"/api/v1/stagemarkt/bedrijven/{vacancy.company.pk}/").json()
    assert api["features"] == ["toegankelijk"] and len(api["vacancies"]) == 3


@pytest.mark.parametrize("page", ["-1", "0", "abc", "1e5", "²"])
def test_a_malformed_page_number_shows_the_first_page(market, page):
    from django.test import Client

    assert Client().get("/stagemarkt/", {"waar": "Utrecht", "page": page}).status_code == 200
    api = Client().get("/api/v1/stagemarkt/vacatures/", {"waar": "Utrecht", "page": page})
    assert api.status_code == 200
    assert api.json()["page"] == 1


def test_sorting_by_distance_start_date_and_newest(client, market):
    import datetime as dt

    from stagekans.stagemarkt.models import Vacancy

    today = dt.date.today()
    starts = {"near": 60, "mid": 10, "far": 30}
    for key, days in starts.items():
        Vacancy.objects.filter(pk=market[key].pk).update(start_date=today + dt.timedelta(days))
    base = {"q": market["q"].crebo, "waar": "3511", "straal": 100}
    titles = lambda params: [r["title"] for r in client.get(API, params).json()["results"]]  # noqa: E731
    assert titles(base) == ["Dichtbij", "Amersfoort", "Ver"]  # with a place: nearest first
    assert titles({**base, "sortering": "afstand"}) == ["Dichtbij", "Amersfoort", "Ver"]
    assert titles({**base, "sortering": "start"}) == ["Amersfoort", "Ver", "Dichtbij"]
    newest = sorted((market[k] for k in starts), key=lambda v: (v.published_at, v.pk), reverse=True)
    assert titles({**base, "sortering": "nieuw"}) == [v.title for v in newest]
    response = client.get(API, {**base, "sortering": "alfabet"})
    assert response.status_code == 400
    assert response.json()["sortering"] == ["Sorteren op: kies afstand, startdatum of nieuwste."]
    # the page shows the same order as cards, with distance and period
    page = client.get("/stagemarkt/", {**base, "sortering": "start"}).content.decode()
    assert page.index("Amersfoort</a>") < page.index("Ver</a>") < page.index("Dichtbij</a>")
    assert 'class="utrecht-card sk-result"' in page and " km</dd>" in page
