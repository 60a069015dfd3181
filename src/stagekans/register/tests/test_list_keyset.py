"""The staff register list pages by keyset: every row once, in order, forwards and backwards,
with the same number of queries on a deep page as on the first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stagekans.accounts.roles import Role
from stagekans.core.keyset import keyset_page
from stagekans.register import selectors
from stagekans.register.models import Recognition
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def _data(n: int) -> None:
    names = ["Bakker B.V.", "Aa & Zn", "Bakker B.V.", "Zorg Oost"]  # duplicate names on purpose
    for i in range(n):
        company = f.CompanyFactory(name=names[i % len(names)])
        f.RecognitionFactory(company=company)
        if i % 2:
            f.RecognitionFactory(company=company, granted=False)


def _page(params: dict[str, str]):
    query = QueryDict(mutable=True)
    query.update(params)
    return keyset_page(
        Recognition.objects.select_related("company", "qualification"),
        ordering=selectors.RECOGNITION_LIST_ORDER,
        params=query,
        per_page=4,
    )


def test_walking_forwards_and_backwards_visits_every_row_in_order():
    _data(9)
    expected = list(
        Recognition.objects.order_by(*selectors.RECOGNITION_LIST_ORDER).values_list("pk", flat=True)
    )
    seen, page, params = [], _page({}), {}
    numbers = []
    while True:
        seen += [r.pk for r in page]
        numbers.append(page.number)
        if not page.has_next:
            break
        params = QueryDict(page.next_query).dict()
        page = _page(params)
    assert seen == expected
    assert numbers == list(range(1, page.num_pages + 1))
    back: list[int] = []
    while True:
        back = [r.pk for r in page] + back
        if not page.has_previous:
            break
        page = _page(QueryDict(page.previous_query).dict())
    assert back == expected
    assert page.number == 1


def test_a_bad_token_shows_the_first_page():
    _data(3)
    page = _page({"after": "not-a-token", "page": "7"})
    assert page.number == 1 and not page.has_previous


def test_deep_page_costs_the_same_queries_as_the_first(django_assert_num_queries):
    _data(40)  # 60 recognitions: three pages of 25
    client = Client()
    client.force_login(f.UserFactory(role=Role.SBB_ADVISOR))
    first = client.get("/erkenningen/")
    assert first.status_code == 200
    page = first.context["page_obj"]
    for _ in range(1):
        page = client.get(f"/erkenningen/?{page.next_query}").context["page_obj"]
    import django.db

    with CaptureQueriesContext(django.db.connection) as at_first:
        client.get("/erkenningen/")
    with CaptureQueriesContext(connection) as deep:
        response = client.get(f"/erkenningen/?{page.next_query}")
    assert response.status_code == 200 and response.context["page_obj"].number == 3
    assert len(response.context["page_obj"].object_list) == 10
    assert len(deep.captured_queries) == len(at_first.captured_queries)
