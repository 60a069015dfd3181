"""The national seed's applications keep the services' rules; tried small (the benchmark loads
1.5 million)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse

from stagekans.applications.models import Application, ApplicationStatusChange
from stagekans.applications.workflow import OPEN
from stagekans.education.models import SchoolStaff

pytestmark = pytest.mark.django_db


def test_small_national_seed_has_consistent_applications_with_history() -> None:
    call_command(
        "seed_national",
        companies=200,
        vacancies=400,
        students=300,
        schools=3,
        reports=0,
        applications=900,
        stdout=StringIO(),
    )
    apps = Application.objects.all()
    assert 700 <= apps.count() <= 900
    assert not apps.exclude(vacancy__qualification=F("student__programme__qualification")).exists()
    assert not apps.exclude(company=F("vacancy__company")).exists()
    assert not apps.exclude(school=F("student__school")).exists()
    assert not apps.filter(status="rejected", rejection_reason="").exists()
    assert not apps.filter(status="closed", close_reason="").exists()
    assert not apps.filter(~Q(status__in=["sent", "withdrawn"]), seen_at__isnull=True).exists()
    duplicates = (
        apps.filter(status__in=list(OPEN))
        .values("student", "vacancy")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    assert set(apps.values_list("status", flat=True)) >= {"sent", "seen", "invited", "rejected"}
    # every application's history ends in its status
    for application in apps.order_by("?")[:50]:
        last = ApplicationStatusChange.objects.filter(application=application).order_by("at").last()
        assert last is not None and last.status == application.status
    staff = SchoolStaff.objects.select_related("user").first()
    client = Client()
    client.force_login(staff.user)
    response = client.get(reverse("applications:school_overview"))
    assert response.status_code == 200
    assert 'data-testid="application-row"' in response.content.decode()
