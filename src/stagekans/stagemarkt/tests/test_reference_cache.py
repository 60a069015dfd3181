"""The public search keeps qualifications and PC4 areas in memory
(STAGEKANS_REFERENCE_CACHE_SECONDS): no query for them per search, and a change made in this
process is seen at once."""

from __future__ import annotations

import pytest

from stagekans.geo.models import PostcodeArea
from stagekans.geo.selectors import point_for
from stagekans.stagemarkt.selectors import qualification_ids_matching
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.STAGEKANS_REFERENCE_CACHE_SECONDS = 300
    from stagekans.geo import selectors as geo_selectors
    from stagekans.stagemarkt import selectors as stagemarkt_selectors

    stagemarkt_selectors._QUALIFICATIONS.clear()
    geo_selectors._PC4_POINTS.clear()
    yield
    stagemarkt_selectors._QUALIFICATIONS.clear()
    geo_selectors._PC4_POINTS.clear()


def test_lookups_hit_the_database_once_then_memory(cache_on, django_assert_num_queries):
    nurse = f.QualificationFactory(crebo="25655", title="Verpleegkundige")
    PostcodeArea.objects.create(
        pc4="3511", place="Utrecht", province="UT", latitude=52.09, longitude=5.12
    )
    with django_assert_num_queries(2):
        assert qualification_ids_matching("25655") == (nurse.pk,)
        assert point_for("3511 AB") == (52.09, 5.12)
    with django_assert_num_queries(0):
        assert qualification_ids_matching("verpleeg") == (nurse.pk,)
        assert qualification_ids_matching("VERPLEEGKUNDIGE") == (nurse.pk,)
        assert qualification_ids_matching("99999") == ()
        assert point_for("3511") == (52.09, 5.12)
        assert point_for("9999 ZZ") is None


def test_a_saved_qualification_or_area_is_seen_at_once(cache_on):
    assert qualification_ids_matching("25651") == ()
    assert point_for("1011") is None
    q = f.QualificationFactory(crebo="25651", title="Apothekersassistent")
    PostcodeArea.objects.create(
        pc4="1011", place="Amsterdam", province="NH", latitude=52.37, longitude=4.9
    )
    assert qualification_ids_matching("25651") == (q.pk,)
    assert point_for("1011 AB") == (52.37, 4.9)
    q.delete()
    assert qualification_ids_matching("25651") == ()


def test_without_the_cache_every_lookup_reads_the_database(django_assert_num_queries):
    f.QualificationFactory(crebo="25655", title="Verpleegkundige")
    with django_assert_num_queries(2):
        qualification_ids_matching("25655")
        qualification_ids_matching("25655")
