import pytest
from django.test import Client

from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def test_qualification_search_by_crebo_and_title():
    f.QualificationFactory(crebo="25655", title="Verpleegkundige")
    f.QualificationFactory(crebo="25178", title="Kok")
    client = Client()
    assert [r["crebo"] for r in client.get("/api/v1/kwalificaties/?q=2565").json()["results"]] == [
        "25655"
    ]
    assert [r["title"] for r in client.get("/api/v1/kwalificaties/?q=kok").json()["results"]] == [
        "Kok"
    ]


@pytest.mark.parametrize("q", ["a\x00b", "x" * 101])
def test_bad_search_term_is_a_dutch_400(q):
    response = Client().get("/api/v1/kwalificaties/", {"q": q})
    assert response.status_code == 400
    assert "Zoekterm" in response.json()["q"][0]


def test_bad_page_is_404_as_documented():
    assert Client().get("/api/v1/kwalificaties/?page=0").status_code == 404
