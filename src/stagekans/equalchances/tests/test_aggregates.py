"""SBB sees the self-scan and training only as suppressed sector and regional aggregates:
property tests of every new published table, SQL aggregation with a constant query count, and
no per-company figure outside the company."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stagekans.accounts.roles import Role
from stagekans.core.suppression import suppress_jointly
from stagekans.core.tests.test_suppression import determinable_hidden_entries
from stagekans.education.models import Sector
from stagekans.equalchances import selectors
from stagekans.equalchances.models import RecruitmentStep
from stagekans.testing import factories as f
from stagekans.testing.equalchances import fill_scan

STEPS = RecruitmentStep.values
SECTORS = [("a", "Sector A"), ("b", "Sector B"), ("c", "Sector C"), ("", "onbekend")]
PROVINCES = [("p", "Provincie P"), ("q", "Provincie Q"), ("", "onbekend")]

company = st.fixed_dictionaries(
    {
        "sector": st.integers(0, len(SECTORS) - 1),
        "province": st.integers(0, len(PROVINCES) - 1),
        # 0..2 = level, 3 = not asked (an older version without that step)
        "steps": st.lists(st.integers(0, 3), min_size=len(STEPS), max_size=len(STEPS)),
        "total": st.integers(0, 2),
        "followed": st.lists(st.booleans(), min_size=2, max_size=2),
    }
)


def _scan_tables(companies, key, groups):
    tables = {s: np.zeros((4, len(groups)), dtype=np.int64) for s in [*STEPS, selectors.TOTAL]}
    for c in companies:
        for step, level in zip(STEPS, c["steps"], strict=True):
            tables[step][level, c[key]] += 1
        tables[selectors.TOTAL][c["total"], c[key]] += 1
    return tables


def _published_scan_values(aggregates):
    values = []
    for row in aggregates.rows:
        values += [row.companies, row.total.count, *[c.count for c in row.steps]]
    values += [aggregates.national_companies, *aggregates.national_in_order.values()]
    return [v for v in values if v is not None]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(companies=st.lists(company, max_size=60), k=st.integers(3, 10))
def test_scan_aggregates_publish_no_small_cell(companies, k):
    by_sector = _scan_tables(companies, "sector", SECTORS)
    by_province = _scan_tables(companies, "province", PROVINCES)
    aggregates = selectors.assemble_scan_aggregates("sector", SECTORS, by_sector, by_province, k)
    # Primary: nothing published lies between 1 and k-1.
    assert all(v == 0 or v >= k for v in _published_scan_values(aggregates))
    # Published figures are the true counts.
    in_order = selectors.SCAN_ROWS.index("in_order")
    for row in aggregates.rows:
        column = [key for key, _l in SECTORS].index(row.key)
        if row.companies is not None:
            assert row.companies == by_sector[selectors.TOTAL][:, column].sum()
        for step, cell in zip(STEPS, row.steps, strict=True):
            if cell.count is not None:
                assert cell.count == by_sector[step][in_order, column]
    # Secondary: no hidden entry follows from the published ones (every table of the family).
    for table in suppress_jointly(list(by_sector.values()), k):
        assert determinable_hidden_entries(table) == []
    # A national figure only where both breakdowns publish it.
    both = suppress_jointly(list(by_province.values()), k)
    if aggregates.national_companies is not None:
        assert both[-1].published_grand_total() == len(companies)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(companies=st.lists(company, max_size=60), k=st.integers(3, 10))
def test_training_coverage_publishes_no_small_cell(companies, k):
    webinars = [SimpleNamespace(pk=1), SimpleNamespace(pk=2)]

    def tables(key, groups):
        out = {str(w.pk): np.zeros((2, len(groups)), dtype=np.int64) for w in webinars}
        for c in companies:
            for w, followed in zip(webinars, c["followed"], strict=True):
                out[str(w.pk)][
                    selectors.FOLLOWED if followed else selectors.NOT_FOLLOWED, c[key]
                ] += 1
        return out

    by_sector, by_province = tables("sector", SECTORS), tables("province", PROVINCES)
    coverage = selectors.assemble_training_coverage(
        "sector", webinars, SECTORS, by_sector, by_province, k
    )
    values = [coverage.national_recognised, *coverage.national_followed]
    for row in coverage.rows:
        values += [row.recognised, *[c.count for c in row.webinars]]
        for cell in row.webinars:
            assert cell.percentage is None or cell.count is not None
    assert all(v == 0 or v >= k for v in values if v is not None)
    for table in suppress_jointly(list(by_sector.values()), k):
        assert determinable_hidden_entries(table) == []


# --- from the database -------------------------------------------------------------------


def _scanned_companies(n, sector, pick, place=("Oudegracht", "3511 AB", "Utrecht")):
    names = []
    for i in range(n):
        company = f.CompanyFactory(sector=sector, name=f"Scanbedrijf {sector} {i}")
        f.LocationFactory(company=company, street=place[0], postcode=place[1], place=place[2])
        fill_scan(user=f.trainer_user(company), pick=pick)
        names.append(company.name)
    return names


def test_scan_aggregates_from_sql(db, django_assert_max_num_queries):
    _scanned_companies(11, Sector.ZORG, pick=2)
    _scanned_companies(2, Sector.ICT, pick=0)
    with django_assert_max_num_queries(4):
        aggregates = selectors.scan_aggregates("sector")
    rows = {row.key: row for row in aggregates.rows}
    assert rows["ict"].companies is None  # 2 companies: suppressed
    # Nobody in ICT is "op orde": a zero is published, but never a percentage of a hidden total.
    assert all(c.count in (None, 0) and c.percentage is None for c in rows["ict"].steps)
    assert all(v == 0 or v >= 10 for v in _published_scan_values(aggregates))
    by_province = selectors.scan_aggregates("province")
    assert [row.label for row in by_province.rows] == ["Utrecht"]
    assert by_province.rows[0].companies == 13


def test_scan_aggregates_query_count_is_constant(db, django_assert_max_num_queries):
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    _scanned_companies(2, Sector.ZORG, pick=1)
    with django_assert_max_num_queries(20) as small:
        client.get("/gelijke-kansen/zelfscan/cijfers/")
    _scanned_companies(15, Sector.HANDEL, pick=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/gelijke-kansen/zelfscan/cijfers/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SBB_ADVISOR])
def test_aggregates_never_name_a_company(db, role):
    names = _scanned_companies(12, Sector.ZORG, pick=2) + _scanned_companies(1, Sector.ICT, pick=0)
    client = Client()
    client.force_login(f.UserFactory(role=role))
    for url in [
        "/gelijke-kansen/zelfscan/cijfers/",
        "/gelijke-kansen/zelfscan/cijfers/?per=provincie",
        "/gelijke-kansen/zelfscan/cijfers/?formaat=csv",
        "/gelijke-kansen/webinars/bereik/",
        "/gelijke-kansen/webinars/bereik/?formaat=csv",
    ]:
        content = client.get(url).content.decode()
        assert not any(name in content for name in names), url
    assert (
        "Zorg, welzijn en sport" in client.get("/gelijke-kansen/zelfscan/cijfers/").content.decode()
    )


def test_a_company_result_is_seen_by_its_own_company_only(db):
    company = f.CompanyFactory()
    trainer = f.trainer_user(company)
    colleague = f.trainer_user(company)
    result = fill_scan(user=trainer, pick=1)
    url = f"/gelijke-kansen/zelfscan/resultaat/{result.pk}/"
    expected = {
        trainer: 200,
        colleague: 200,
        f.trainer_user(f.CompanyFactory()): 404,
        f.UserFactory(role=Role.SBB_ADVISOR): 403,
        f.UserFactory(role=Role.ANALYST): 403,
        f.UserFactory(role=Role.ADMIN): 403,
        f.UserFactory(role=Role.SBB_INVESTIGATOR): 403,
    }
    for user, status in expected.items():
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status, user


def _csv_counts(content: str, count_columns: range) -> list[int]:
    """Every count in a downloaded CSV (numbers only; 'afgeschermd' is hidden)."""
    rows = [line.split(";") for line in content.strip().splitlines()[1:]]
    return [int(row[i]) for row in rows for i in count_columns if row[i].isdigit()]


@pytest.mark.parametrize("per", ["sector", "provincie"])
def test_csv_downloads_publish_no_small_cell(db, per):
    """The CSV files are tables too: nothing from 1 to k-1 in any count column."""
    _scanned_companies(12, Sector.ZORG, pick=2)
    _scanned_companies(3, Sector.ICT, pick=0, place=("Markt", "5611 AA", "Eindhoven"))
    from stagekans.equalchances.models import Webinar
    from stagekans.equalchances.tests.test_training import _recognised_companies

    webinar = Webinar.objects.first()
    _recognised_companies(12, Sector.ZORG, trained=11, webinar=webinar)
    _recognised_companies(3, Sector.ICT, trained=1, webinar=webinar)
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    scan = client.get(f"/gelijke-kansen/zelfscan/cijfers/?per={per}&formaat=csv")
    content = scan.content.decode()
    header = content.splitlines()[0].split(";")
    counts = _csv_counts(content, range(1, len(header)))
    assert counts and all(v == 0 or v >= 10 for v in counts)
    assert "afgeschermd" in content or per == "provincie"
    coverage = client.get(f"/gelijke-kansen/webinars/bereik/?per={per}&formaat=csv")
    content = coverage.content.decode()
    # Columns: webinar; group; recognised; followed; percentage (not a count).
    counts = _csv_counts(content, range(2, 4))
    assert counts and all(v == 0 or v >= 10 for v in counts)
    assert "afgeschermd" in content


def test_national_figures_come_from_a_snapshot_equal_to_the_live_count(
    db, settings, django_assert_max_num_queries
):
    """At national volume the pages read counts taken in the background (core/snapshots.py):
    the same published figures as a live count, served until they age, and the page says when
    they were counted."""
    _scanned_companies(11, Sector.ZORG, pick=2)
    live = selectors.scan_aggregates("sector")
    live_training = selectors.training_coverage("province")
    assert live.computed_at is not None

    settings.STAGEKANS_SNAPSHOT_MAX_AGE = 300
    first = selectors.scan_aggregates("sector")
    assert (first.rows, first.national_companies) == (live.rows, live.national_companies)
    first_training = selectors.training_coverage("province")
    assert first_training.rows == live_training.rows
    _scanned_companies(12, Sector.HANDEL, pick=2)
    with django_assert_max_num_queries(2):  # two snapshot rows, no GROUP BY over companies
        again = selectors.scan_aggregates("sector")
    assert again.rows == first.rows and again.computed_at == first.computed_at
    assert "handel" not in [row.key for row in again.rows]  # not yet: counted every few minutes

    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    page = client.get("/gelijke-kansen/zelfscan/cijfers/").content.decode()
    assert "Cijfers van" in page
    assert "Cijfers van" in client.get("/gelijke-kansen/webinars/bereik/").content.decode()

    settings.STAGEKANS_SNAPSHOT_MAX_AGE = 0
    assert "handel" in [row.key for row in selectors.scan_aggregates("sector").rows]
