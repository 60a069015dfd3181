"""The national placements seed, tried small: consistent with the rules the services keep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone

from stagekans.education.models import SchoolStaff
from stagekans.placements.due import next_contact_due
from stagekans.placements.models import Agreement, ContactMoment, Placement
from stagekans.placements.schoolholidays import region_of_province
from stagekans.placements.services.overdue import alert_overdue_contacts
from stagekans.placements.workflow import AgreementStatus, PlacementStatus
from stagekans.register.selectors import is_validly_recognised

pytestmark = pytest.mark.django_db


def test_small_national_seed_has_consistent_placements() -> None:
    call_command(
        "seed_national",
        companies=200,
        vacancies=20,
        students=300,
        schools=2,
        reports=0,
        placements=120,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    placements = Placement.objects.select_related("school", "company")
    assert 60 <= placements.count() <= 120
    assert not placements.exclude(school=F("student__school")).exists()
    assert not placements.exclude(qualification=F("student__programme__qualification")).exists()
    for p in placements[:20]:
        assert is_validly_recognised(p.company, p.qualification_id, on=p.start_date)
    active = placements.filter(status=PlacementStatus.ACTIVE)
    assert active.count() == Agreement.objects.filter(status=AgreementStatus.ACTIVE).count()
    assert not active.filter(next_contact_due__isnull=True).exists()
    today = timezone.localdate()
    for p in active[:30]:
        agreement = p.agreements.get()
        last = p.contacts.order_by("-held_on").values_list("held_on", flat=True).first()
        assert p.next_contact_due == next_contact_due(
            last_contact=last or agreement.start_date,
            every_weeks=agreement.contact_every_weeks,
            region=region_of_province(p.school.province),
            end_date=agreement.end_date,
        )
    assert ContactMoment.objects.filter(held_on__gte=today).count() == 0
    assert SchoolStaff.objects.filter(function="bpv-begeleider").exists()

    run = alert_overdue_contacts(today=today + dt.timedelta(days=1))
    assert run.alerted == active.filter(next_contact_due__lt=today + dt.timedelta(days=1)).count()

    staff = SchoolStaff.objects.filter(function="bpv-begeleider").select_related("user").first()
    assert staff is not None
    client = Client()
    client.force_login(staff.user)
    for url in ("/stages/mijn-stagiairs/", "/stages/naleving/", "/stages/"):
        assert client.get(url).status_code == 200, url
