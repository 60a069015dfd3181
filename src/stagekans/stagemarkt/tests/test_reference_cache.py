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


def _unused_pc4() -> str:
    """A PC4 code that is not in the (real, complete) table the migrations load."""
    known = set(PostcodeArea.objects.values_list("pc4", flat=True))
    return next(code for code in map(str, range(1000, 10000)) if code not in known)


def test_lookups_hit_the_database_once_then_memory(cache_on, django_assert_num_queries):
    nurse = f.QualificationFactory(crebo="25655", title="Verpleegkundige")
    utrecht = PostcodeArea.objects.get(pc4="3511")
    expected = (utrecht.latitude, utrecht.longitude)
    unused = _unused_pc4()
    with django_assert_num_queries(2):
        assert qualification_ids_matching("25655") == (nurse.pk,)
        assert point_for("3511 AB") == expected
    with django_assert_num_queries(0):
        assert qualification_ids_matching("verpleeg") == (nurse.pk,)
        assert qualification_ids_matching("VERPLEEGKUNDIGE") == (nurse.pk,)
        assert qualification_ids_matching("99999") == ()
        assert point_for("3511") == expected
        assert point_for(f"{unused} ZZ") is None


def test_a_saved_qualification_or_area_is_seen_at_once(cache_on):
    unused = _unused_pc4()
    assert qualification_ids_matching("25651") == ()
    assert point_for(unused) is None
    q = f.QualificationFactory(crebo="25651", title="Apothekersassistent")
    PostcodeArea.objects.create(
        pc4=unused, place="Nieuwdorp", province="NH", latitude=52.37, longitude=4.9
    )
    assert qualification_ids_matching("25651") == (q.pk,)
    assert point_for(f"{unused} AB") == (52.37, 4.9)
    q.delete()
    assert qualification_ids_matching("25651") == ()


def test_without_the_cache_every_lookup_reads_the_database(django_assert_num_queries):
    f.QualificationFactory(crebo="25655", title="Verpleegkundige")
    with django_assert_num_queries(2):
        qualification_ids_matching("25655")
        qualification_ids_matching("25655")
