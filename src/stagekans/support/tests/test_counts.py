"""SBB sees per company how many school signals exist: counts only, small cells suppressed."""

from __future__ import annotations

import pytest
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.support import selectors
from stagekans.testing import factories as f
from stagekans.testing.support import school_signal

K = 3


@pytest.fixture
def world(db, settings):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = K
    school = f.SchoolFactory()
    staff = f.school_staff_user(school)
    few, many, none = f.CompanyFactory(), f.CompanyFactory(), f.CompanyFactory()
    school_signal(staff=staff, company=few)
    for _ in range(K + 2):
        school_signal(staff=staff, company=many)
    return {
        "few": few,
        "many": many,
        "none": none,
        "staff": staff,
        "advisor": f.UserFactory(role=Role.SBB_ADVISOR),
    }


def test_company_page_shows_a_suppressed_count(world):
    client = Client()
    client.force_login(world["advisor"])
    few = client.get(f"/bedrijven/{world['few'].pk}/").content.decode()
    assert f"Minder dan {K}" in few
    none = client.get(f"/bedrijven/{world['none'].pk}/").content.decode()
    assert "0 signalen van scholen" in none
    # The company page shows exactly what the table of all companies publishes: here the
    # one small company forces its neighbour's count to be hidden too (complementary cells).
    published = selectors.signal_count_table(world["advisor"]).row_total_for(world["many"].pk)
    many = client.get(f"/bedrijven/{world['many'].pk}/").content.decode()
    if published is None:
        assert f"Minder dan {K}" in many
    else:
        assert f"{published} signalen van scholen" in many


def test_company_page_shows_a_large_count(db, settings):
    settings.MELDPUNT_SUPPRESSION_THRESHOLD = K
    staff = f.school_staff_user(f.SchoolFactory())
    companies = [f.CompanyFactory(), f.CompanyFactory()]
    for company in companies:
        for _ in range(K + 1):
            school_signal(staff=staff, company=company)
    client = Client()
    client.force_login(f.UserFactory(role=Role.SBB_ADVISOR))
    page = client.get(f"/bedrijven/{companies[0].pk}/").content.decode()
    assert f"{K + 1} signalen van scholen" in page


def test_counts_table_hides_small_cells_and_their_complements(world):
    table = selectors.signal_count_table(world["advisor"])
    assert table.row_total_for(world["few"].pk) is None
    assert all(not (1 <= v < K) for v in table.published_values())
    # With the grand total (K+3) published, the other company's count (K+2) would reveal the
    # small one by subtraction, so it is hidden as a complement.
    assert table.grand_total == K + 3
    assert table.row_total_for(world["many"].pk) is None


def test_counts_page_lists_counts_never_signals(world):
    client = Client()
    client.force_login(world["advisor"])
    page = client.get("/steun/signalen/per-bedrijf/").content.decode()
    assert world["many"].name in page and "afgeschermd" in page
    assert "hoofddoek" not in page  # the signal text never leaves the school


def test_only_sbb_sees_counts(world):
    for role in (Role.MELDPUNT, Role.ANALYST, Role.EXPERT_TEAM):
        user = f.UserFactory(role=role)
        assert selectors.signal_count_table(user).row_keys == []
    client = Client()
    client.force_login(world["staff"])
    assert client.get("/steun/signalen/per-bedrijf/").status_code == 403


def test_counts_take_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(3):
        school_signal(staff=world["staff"], company=f.CompanyFactory())
    client = Client()
    client.force_login(world["advisor"])
    with django_assert_max_num_queries(12):
        assert client.get("/steun/signalen/per-bedrijf/").status_code == 200
