"""The keuzedelen and study-advice demo: both agreements, requests in every state, the host
coordinator login, one marked school year with advice in it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from stagekans.keuzedelen.models import CooperationAgreement, EnrolmentRequest, Offering
from stagekans.keuzedelen.workflow import EnrolmentStatus, Side, VersionStatus
from stagekans.studyadvice.models import NonBindingYear, StudyAdvice

pytestmark = pytest.mark.django_db


def test_demo_keuzedelen_in_every_state() -> None:
    call_command(
        "seed_demo",
        "--seed",
        "5",
        "--schools",
        "2",
        "--students",
        "60",
        "--companies",
        "30",
        stdout=StringIO(),
    )
    agreements = CooperationAgreement.objects.all()
    assert agreements.count() == 2
    groningen = agreements.get(title__startswith="Voorbereiding pabo")
    assert groningen.versions.get(status=VersionStatus.ACTIVE).partners.count() == 5
    regional = agreements.exclude(pk=groningen.pk).get()
    assert set(regional.versions.values_list("status", flat=True)) == {
        VersionStatus.SUPERSEDED,
        VersionStatus.ACTIVE,
        VersionStatus.SIGNING,
    }
    assert regional.host.staff.filter(user__username="gastcoordinator").exists()
    closed = Offering.objects.get(published=False)
    assert closed.agreement == regional and closed.closed_reason
    statuses = set(EnrolmentRequest.objects.values_list("status", flat=True))
    assert statuses == set(EnrolmentStatus.values)
    refused_by = set(
        EnrolmentRequest.objects.filter(status=EnrolmentStatus.REFUSED).values_list(
            "refused_by", flat=True
        )
    )
    assert {Side.CHECKS, Side.HOME, Side.HOST} <= refused_by
    assert EnrolmentRequest.objects.filter(student__user__username="student").exists()
    assert EnrolmentRequest.objects.filter(absence_alerted_at__isnull=False).exists()
    assert NonBindingYear.objects.count() == 1
    assert StudyAdvice.objects.filter(in_marked_year=True, binding=False).count() >= 5
    assert StudyAdvice.objects.filter(student__user__username="student").exists()
