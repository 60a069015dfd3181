"""The demo fills the application screens of the demo student, trainer and coordinator."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from stagekans.accounts.models import User
from stagekans.applications.models import Application
from stagekans.applications.workflow import ApplicationStatus

pytestmark = pytest.mark.django_db


def test_demo_applications_fill_every_role_screen(client: Client) -> None:
    call_command(
        "seed_demo",
        "--seed",
        "2021",
        "--schools",
        "2",
        "--students",
        "80",
        "--companies",
        "40",
        "--history-reports",
        "0",
        stdout=StringIO(),
    )
    mine = Application.objects.filter(student__user__username="student")
    assert mine.filter(status=ApplicationStatus.OFFERED).exists()
    assert mine.filter(recommended_by__user__username="stagecoordinator").exists()
    company = Application.objects.filter(company__trainers__user__username="praktijkopleider")
    statuses = set(company.values_list("status", flat=True))
    assert {"sent", "seen", "invited", "offered", "accepted", "closed"} <= statuses
    assert Application.objects.filter(placement__isnull=False).exists()
    for username, url in [
        ("student", reverse("applications:my_applications")),
        ("praktijkopleider", reverse("applications:company_inbox")),
        ("stagecoordinator", reverse("applications:school_overview")),
    ]:
        client.force_login(User.objects.get(username=username))
        html = client.get(url).content.decode()
        assert html.count('data-testid="application') >= 3, username
