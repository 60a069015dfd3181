"""The demo has a published round with results and a round in progress for the demo
coordinator's school, preferences of the demo student and reviews waiting for the demo trainer;
every round page of those roles renders with content."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from stagekans.accounts.models import User
from stagekans.placements.models import Placement
from stagekans.rounds import selectors
from stagekans.rounds.models import MatchingRound, Participant
from stagekans.rounds.workflow import RoundStatus

pytestmark = pytest.mark.django_db


def test_demo_rounds(client):
    call_command(
        "seed_demo", "--seed", "5", "--schools", "2", "--students", "60", "--companies", "40",
        stdout=StringIO(),
    )  # fmt: skip
    coordinator = User.objects.get(username="stagecoordinator")
    school = coordinator.school_staff.school
    statuses = set(MatchingRound.objects.filter(school=school).values_list("status", flat=True))
    assert {RoundStatus.PUBLISHED, RoundStatus.OPEN} <= statuses
    published = MatchingRound.objects.get(school=school, status=RoundStatus.PUBLISHED)
    assert published.current_run.summary["report"]["n_placed"] > 0
    assert Placement.objects.filter(source="round").exists()
    open_round = MatchingRound.objects.get(school=school, status=RoundStatus.OPEN)
    student = User.objects.get(username="student")
    mine = Participant.objects.get(round=open_round, student__user=student)
    assert mine.preferences.exists() and mine.support_needs
    trainer = User.objects.get(username="praktijkopleider")
    assert selectors.pending_reviews(trainer.trainer.company) > 0

    client.force_login(coordinator)
    for name in ("detail", "participants", "proposal", "results"):
        assert client.get(reverse(f"rounds:{name}", kwargs={"pk": published.pk})).status_code == 200
    assert client.get(reverse("rounds:detail", kwargs={"pk": open_round.pk})).status_code == 200
    client.force_login(student)
    page = client.get(reverse("rounds:my_round", kwargs={"pk": open_round.pk}))
    assert page.status_code == 200 and "Voorkeuren opslaan" in page.content.decode()
    client.force_login(trainer)
    page = client.get(reverse("rounds:company_round", kwargs={"pk": open_round.pk}))
    assert page.status_code == 200 and "Oordeel opslaan" in page.content.decode()
