"""The national seed step writes consistent equal-chances rows in bulk, and the SBB pages keep
their query count on it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.test import Client

from stagekans.accounts.roles import Role
from stagekans.equalchances import selectors
from stagekans.equalchances.models import ScanAnswer, ScanResult, ScanStepScore, WebinarAttendance
from stagekans.testing import factories as f

pytestmark = pytest.mark.django_db


def test_national_seed_step(django_assert_max_num_queries):
    call_command(
        "seed_national",
        "--companies",
        "400",
        "--vacancies",
        "50",
        "--students",
        "100",
        "--schools",
        "2",
        "--reports",
        "20",
        stdout=StringIO(),
    )
    results = ScanResult.objects.all()
    assert results.count() > 20
    # One newest result per company, every question answered, step scores add up.
    assert not results.values("company").annotate(n=Count("pk")).filter(n__gt=1).exists()
    version = selectors.current_version()
    assert ScanAnswer.objects.count() == results.count() * version.questions.count()
    for result in results[:20]:
        sums = ScanStepScore.objects.filter(result=result).aggregate(
            s=Sum("score"), m=Sum("maximum")
        )
        assert (sums["s"], sums["m"]) == (result.score, result.maximum)
    assert WebinarAttendance.objects.exists()
    client = Client()
    client.force_login(f.UserFactory(role=Role.ANALYST))
    with django_assert_max_num_queries(20):
        assert client.get("/gelijke-kansen/zelfscan/cijfers/?per=provincie").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/gelijke-kansen/webinars/bereik/?per=provincie").status_code == 200
