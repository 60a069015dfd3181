"""The search's hand-written statement (search_sql) against its definition, the queryset
`selectors._filtered()`: on random data and random criteria both give the same vacancies in
the same order, the same count and the same distances (SQLite here; PostgreSQL when the
suite runs with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagekans.education.models import Leerweg, Sector
from stagekans.register.models import Recognition
from stagekans.register.workflow import RecognitionStatus
from stagekans.stagemarkt import search_sql, selectors
from stagekans.stagemarkt.models import FEATURE_KEYS, Vacancy
from stagekans.stagemarkt.selectors import SearchCriteria
from stagekans.stagemarkt.workflow import VacancyStatus
from stagekans.testing.factories import LocationFactory, RecognitionFactory, VacancyFactory

TODAY = dt.date.today()
# A coarse grid around Utrecht: many vacancies share a spot, so equal distances (ties) occur.
LATS = [51.9, 52.0, 52.05, 52.09, 52.2, 52.5]
LONS = [4.9, 5.0, 5.12, 5.2, 5.5]
FEATURE_MASKS = [int(f) for f in FEATURE_KEYS.values()]


@pytest.fixture
def market(db):
    """Four companies, three qualifications, 120 vacancies in every state, with random
    recognitions (valid, expired, future, ended yesterday, ending tomorrow)."""
    rng = random.Random(20261202)
    locations = [LocationFactory() for _ in range(4)]
    qualifications = []
    for location in locations[:3]:
        qualifications.append(RecognitionFactory(company=location.company).qualification)
    recognitions: dict[tuple[int, int], Recognition] = {}
    for location in locations:
        for qualification in qualifications:
            found = Recognition.objects.filter(
                company=location.company, qualification=qualification
            ).first()
            recognitions[(location.company_id, qualification.pk)] = found or RecognitionFactory(
                company=location.company, qualification=qualification
            )
    published = [
        dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(hours=rng.randrange(6))
        for _ in range(4)
    ]
    for n in range(120):
        location = rng.choice(locations)
        qualification = rng.choice(qualifications)
        vacancy = VacancyFactory(location=location, qualification=qualification, publish=True)
        start = TODAY + dt.timedelta(days=rng.randrange(-60, 90))
        Vacancy.objects.filter(pk=vacancy.pk).update(
            status=rng.choice([VacancyStatus.PUBLISHED] * 4 + [VacancyStatus.DRAFT]),
            latitude=rng.choice(LATS),
            longitude=rng.choice(LONS),
            start_date=start,
            end_date=start + dt.timedelta(days=rng.choice([0, 30, 120])),
            published_at=rng.choice(published) if n % 9 else None,
            niveau=rng.randint(1, 4),
            leerweg=rng.choice(Leerweg.values),
            sector=rng.choice(Sector.values[:3]),
            search_features=sum(m for m in FEATURE_MASKS if rng.random() < 0.4),
        )
    validity = [
        (RecognitionStatus.RECOGNISED, TODAY - dt.timedelta(days=30), None),
        (RecognitionStatus.RECOGNISED, TODAY - dt.timedelta(days=30), TODAY),
        (RecognitionStatus.RECOGNISED, TODAY, TODAY + dt.timedelta(days=1)),
        (RecognitionStatus.RECOGNISED, TODAY + dt.timedelta(days=1), None),
        (RecognitionStatus.EXPIRED, TODAY - dt.timedelta(days=30), None),
    ]
    for recognition in recognitions.values():
        status, valid_from, valid_until = rng.choice([validity[0]] * 6 + validity)
        Recognition.objects.filter(pk=recognition.pk).update(
            status=status, valid_from=valid_from, valid_until=valid_until
        )
    return {"qualifications": [q.pk for q in qualifications]}


def criteria_strategy(qualification_ids: list[int]) -> st.SearchStrategy[SearchCriteria]:
    day = st.integers(-90, 150).map(lambda d: TODAY + dt.timedelta(days=d))
    return st.builds(
        SearchCriteria,
        qualification_ids=st.one_of(
            st.none(),
            st.just(()),
            st.lists(st.sampled_from(qualification_ids), min_size=1, max_size=3, unique=True).map(
                tuple
            ),
        ),
        niveau=st.one_of(st.none(), st.integers(1, 4)),
        leerweg=st.sampled_from(["", *Leerweg.values]),
        point=st.one_of(st.none(), st.tuples(st.sampled_from(LATS), st.sampled_from(LONS))),
        radius_km=st.sampled_from([1.0, 5.0, 12.5, 20.0, 60.0, 200.0]),
        period_start=st.one_of(st.none(), day),
        period_end=st.one_of(st.none(), day),
        sector=st.sampled_from(["", *Sector.values[:4]]),
        features=st.sampled_from([0, *FEATURE_MASKS, FEATURE_MASKS[0] | FEATURE_MASKS[1]]),
        sort=st.sampled_from(["", selectors.SORT_DISTANCE, selectors.SORT_START, "nieuw"]),
    )


@pytest.mark.django_db
def test_statement_equals_queryset_on_random_criteria(market):
    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(criteria=criteria_strategy(market["qualifications"]), limit=st.sampled_from([3, 7, 20]))
    def check(criteria: SearchCriteria, limit: int) -> None:
        expected = list(selectors._filtered(criteria))
        expected_ids = [v.pk for v in expected]
        sizes.append(len(expected_ids))
        for offset in range(0, len(expected_ids) + limit, limit):
            rows = search_sql.page_rows(criteria, offset=offset, limit=limit, day=TODAY)
            assert [r.id for r in rows] == expected_ids[offset : offset + limit]
            assert all(r.total == len(expected_ids) for r in rows)
            for row, vacancy in zip(rows, expected[offset : offset + limit], strict=True):
                squared = getattr(vacancy, "distance_sq", None)
                assert (row.distance_sq is None) == (squared is None)
                if squared is not None:
                    assert row.distance_sq == pytest.approx(squared, rel=1e-9, abs=1e-9)
        for cap in (1, 5, 1000):
            assert search_sql.count_upto(criteria, cap=cap, day=TODAY) == min(
                cap, len(expected_ids)
            )

    sizes: list[int] = []
    check()
    # Not vacuous: many of the random searches find something, some more than a page.
    assert sum(1 for n in sizes if n) > len(sizes) // 4 and max(sizes) > 20


@pytest.mark.django_db
def test_search_page_matches_the_queryset_page_by_page(market):
    criteria = SearchCriteria(point=(52.09, 5.12), radius_km=200.0)
    expected = list(selectors._filtered(criteria).values_list("id", flat=True))
    assert len(expected) > 20, "the data set should give more than one page"
    first = selectors.search_vacancies(criteria)
    second = selectors.search_vacancies(criteria, page=2)
    assert [v.pk for v in first.results + second.results] == expected[:40]
    assert first.count == len(expected) and first.has_next
    assert first.results[0].company.name and first.results[0].qualification.crebo
    # Past the last page: no rows, and the count still says how many there are.
    beyond = selectors.search_vacancies(criteria, page=10)
    assert beyond.results == [] and beyond.count == len(expected)


@pytest.mark.django_db
def test_search_is_two_queries_whatever_the_number_of_matches(market, django_assert_num_queries):
    criteria = SearchCriteria(point=(52.09, 5.12), radius_km=200.0)
    with django_assert_num_queries(2):
        page = selectors.search_vacancies(criteria)
        assert [v.company.name for v in page.results]
        assert [v.qualification.title for v in page.results]
