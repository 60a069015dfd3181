"""A round taken through every step, for the page tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from stagekans.rounds.models import Assignment, MatchingRound, Participant, Place
from stagekans.rounds.services import participation, running, setup
from stagekans.rounds.workflow import RunKind
from stagekans.testing import rounds as r


@dataclass
class Staged:
    w: r.RoundWorld
    round: MatchingRound
    places: list[Place]
    participants: list[Participant]


def stage(w: r.RoundWorld, capture: Any, until: str) -> Staged:
    """Take a round to `until`: open, review, proposal or published."""
    round_ = r.make_round(w)
    places = r.add_places(w, round_, capacity=1)
    setup.open_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    people = [Participant.objects.get(round=round_, student=s) for s in w.students]
    for i, (user, participant) in enumerate(zip(w.student_users, people, strict=True)):
        participation.save_profile(
            acting_user=user,
            participant=participant,
            competences="Zorgvuldig, twee jaar vrijwilligerswerk in de zorg.",
            motivation="Ik wil leren in de wijkverpleging.",
            availability="ma-do",
            support_needs="Ik heb dyslexie; schriftelijke instructies helpen." if i == 0 else "",
            support_features=1 if i == 0 else 0,
        )
        order = places if i % 2 == 0 else list(reversed(places))
        participation.save_preferences(
            acting_user=user, participant=participant, place_ids=[p.pk for p in order]
        )
    if until == "open":
        return Staged(w, round_, places, people)
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    if until == "review":
        return Staged(w, round_, places, people)
    with capture(execute=True):
        running.start_run(acting_user=w.coordinator, round_=round_, kind=RunKind.REAL)
    round_.refresh_from_db()
    if until == "proposal":
        return Staged(w, round_, places, people)
    running.publish_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    return Staged(w, round_, places, people)


@pytest.fixture
def staged(db, django_capture_on_commit_callbacks):
    def make(until: str, students: int = 3, companies: int = 2) -> Staged:
        return stage(
            r.world(students=students, companies=companies),
            django_capture_on_commit_callbacks,
            until,
        )

    return make


def placed_assignments(s: Staged) -> list[Assignment]:
    return list(
        Assignment.objects.filter(run_id=s.round.current_run_id, place__isnull=False).order_by("id")
    )
