"""The round services end to end in one process (eager Celery): open, prefer, review, trial,
run, change, publish, respond, close, follow-up; and the rules each step enforces."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stagekans.audit.models import AuditLog
from stagekans.placements.models import Placement
from stagekans.rounds import selectors
from stagekans.rounds.models import Assignment, MatchingRound, MatchRun, Participant
from stagekans.rounds.services import closing, participation, running, setup
from stagekans.rounds.workflow import Response, RoundStatus, RunKind, RunState
from stagekans.testing import rounds as r

pytestmark = pytest.mark.django_db


def _run(w, round_, kind, capture):
    with capture(execute=True):
        run = running.start_run(acting_user=w.coordinator, round_=round_, kind=kind)
    run.refresh_from_db()
    round_.refresh_from_db()
    return run


def _open_and_prefer(w, capacity=1):
    round_ = r.make_round(w)
    places = r.add_places(w, round_, capacity=capacity)
    assert setup.open_round(acting_user=w.coordinator, round_=round_) == len(w.students)
    round_.refresh_from_db()
    for i, user in enumerate(w.student_users):
        participant = Participant.objects.get(round=round_, student=w.students[i])
        order = [p.pk for p in (places if i % 2 == 0 else list(reversed(places)))]
        participation.save_preferences(acting_user=user, participant=participant, place_ids=order)
    return round_, places


def test_full_round_in_process(django_capture_on_commit_callbacks):
    w = r.world(students=4, companies=2)
    round_, places = _open_and_prefer(w)
    # Company 0 refuses one candidate with a reason; the others are acceptable by default.
    refused = Participant.objects.get(round=round_, student=w.students[3])
    participation.review_candidate(
        acting_user=w.trainers[0],
        place=places[0],
        participant=refused,
        acceptable=False,
        reason="competences",
    )
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW

    trial = _run(w, round_, RunKind.TRIAL, django_capture_on_commit_callbacks)
    assert trial.state == RunState.DONE
    assert round_.status == RoundStatus.REVIEW  # a trial run goes back to review
    real = _run(w, round_, RunKind.REAL, django_capture_on_commit_callbacks)
    assert real.state == RunState.DONE and round_.status == RoundStatus.PROPOSAL
    assert real.output_fingerprint == trial.output_fingerprint  # same seed, same input
    assert round_.current_run_id == real.pk
    summary = real.summary
    assert summary["report"]["n_students"] == 4
    assert summary["report"]["n_placed"] == 2
    assert summary["certificate"]["valid"] and summary["certificate"]["blocking_pairs"] == 0
    # The refused candidate is never placed at company 0.
    assert not Assignment.objects.filter(run=real, participant=refused, place=places[0]).exists()

    # A manual change: move a placed student out; the certificate is recomputed (blocking pair).
    moved = Assignment.objects.filter(run=real, place__isnull=False).first()
    with pytest.raises(ValidationError):
        running.change_assignment(
            acting_user=w.coordinator, assignment=moved, place=None, reason="  "
        )
    evaluation = running.change_assignment(
        acting_user=w.coordinator, assignment=moved, place=None, reason="Gesprek met student"
    )
    assert evaluation["report"]["n_placed"] == 1
    assert evaluation["certificate"]["blocking_pairs"] >= 1
    moved.refresh_from_db()
    assert moved.manual and moved.changes.get().reason == "Gesprek met student"
    # ... and back, which restores a stable matching.
    evaluation = running.change_assignment(
        acting_user=w.coordinator,
        assignment=moved,
        place=moved.changes.get().old_place,
        reason="Toch terug",
    )
    assert evaluation["certificate"]["blocking_pairs"] == 0

    running.publish_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    placed = list(Assignment.objects.filter(run=real, place__isnull=False).order_by("id"))
    accept, decline = placed
    student_user = lambda a: a.participant.student.user  # noqa: E731
    trainer_of = lambda a: w.trainers[w.companies.index(a.place.company)]  # noqa: E731
    participation.respond_as_student(
        acting_user=student_user(accept), assignment=accept, accept=True
    )
    assert not Placement.objects.exists()
    with pytest.raises(ValidationError):  # a company refusal needs a reason
        participation.respond_as_company(
            acting_user=trainer_of(accept), assignment=accept, accept=False
        )
    participation.respond_as_company(acting_user=trainer_of(accept), assignment=accept, accept=True)
    accept.refresh_from_db()
    placement = Placement.objects.get()
    assert accept.placement == placement and placement.source == "round"
    assert placement.start_date == round_.period_start
    participation.respond_as_student(
        acting_user=student_user(decline), assignment=decline, accept=False
    )

    assert closing.close_round(acting_user=w.coordinator, round_=round_) == 1  # company pending
    round_.refresh_from_db()
    follow = closing.create_follow_up_round(
        acting_user=w.coordinator,
        round_=round_,
        name="Vervolgronde",
        **r.timetable(),
    )
    assert follow.parent == round_ and follow.status == RoundStatus.DRAFT
    carried = set(Participant.objects.filter(round=follow).values_list("student_id", flat=True))
    assert carried == {s.pk for s in w.students} - {accept.participant.student_id}
    capacity = {p.company_id: p.capacity for p in follow.places.all()}
    assert capacity == {decline.place.company_id: 1}  # the accepted seat is gone

    stats = selectors.round_statistics(MatchingRound.objects.filter(school=w.school))
    assert stats["placed_first_try"] == 1 and stats["participants_first_round"] == 4
    assert stats["refusals_by_reason"]["competences"] == 1
    assert stats["mean_rank"] is not None
    events = set(AuditLog.objects.values_list("event_type", flat=True))
    assert {"round.run_finished", "round.assignment_changed", "round.published"} <= events


def test_students_and_companies_only_act_on_their_own(django_capture_on_commit_callbacks):
    w = r.world(students=2, companies=2)
    round_, places = _open_and_prefer(w)
    other = Participant.objects.get(round=round_, student=w.students[1])
    with pytest.raises(PermissionDenied):
        participation.save_preferences(
            acting_user=w.student_users[0], participant=other, place_ids=[places[0].pk]
        )
    with pytest.raises(PermissionDenied):
        participation.review_candidate(
            acting_user=w.trainers[1], place=places[0], participant=other, acceptable=True
        )
    with pytest.raises(PermissionDenied):
        running.start_run(acting_user=w.trainers[0], round_=round_, kind=RunKind.REAL)


def test_preference_rules():
    w = r.world(students=1, companies=3)
    round_ = r.make_round(w, max_choices=2)
    places = r.add_places(w, round_)
    setup.open_round(acting_user=w.coordinator, round_=round_)
    participant = Participant.objects.get(round=round_)
    user = w.student_users[0]
    with pytest.raises(ValidationError, match="hoogstens 2"):
        participation.save_preferences(
            acting_user=user, participant=participant, place_ids=[p.pk for p in places]
        )
    with pytest.raises(ValidationError, match="twee keer"):
        participation.save_preferences(
            acting_user=user, participant=participant, place_ids=[places[0].pk, places[0].pk]
        )
    participation.save_preferences(
        acting_user=user, participant=participant, place_ids=[places[1].pk]
    )
    assert selectors.ranked_place_ids(participant) == [places[1].pk]
    # Support needs are stored; a text with the student's own name is refused.
    student = participant.student
    with pytest.raises(ValidationError) as error:
        participation.save_profile(
            acting_user=user,
            participant=participant,
            competences=f"Ik ben {student.given_name} {student.family_name}",
            motivation="",
            availability="",
            support_needs="",
            support_features=0,
        )
    assert "competences" in error.value.message_dict


def test_settings_are_validated_in_dutch():
    w = r.world(students=1, companies=1)
    today = dt.date.today()
    with pytest.raises(ValidationError) as error:
        r.make_round(
            w,
            name=" ",
            period_end=today,
            proposing_side="companies",
            strategy="school_places",
            max_choices=0,
            review_deadline=today,
            acceptance_deadline=today + dt.timedelta(days=400),
        )
    messages = error.value.message_dict
    assert set(messages) >= {
        "name",
        "period_end",
        "proposing_side",
        "max_choices",
        "review_deadline",
        "acceptance_deadline",
    }
    assert MatchingRound.objects.count() == 0


def test_network_place_needs_valid_recognition():
    from stagekans.testing import factories as f

    w = r.world(students=1, companies=1)
    round_ = r.make_round(w)
    unrecognised = f.LocationFactory()
    with pytest.raises(ValidationError, match="niet erkend"):
        setup.add_network_place(
            acting_user=w.coordinator,
            round_=round_,
            location=unrecognised,
            qualification=w.qualification,
            capacity=2,
        )


def test_a_revocation_removes_the_company_places_at_once():
    from stagekans.register.models import Recognition
    from stagekans.rounds.services.closing import remove_places_of_revoked

    w = r.world(students=2, companies=2)
    round_, places = _open_and_prefer(w)
    recognition = Recognition.objects.get(company=w.companies[0], qualification=w.qualification)
    assert remove_places_of_revoked(recognition=recognition, acting_user=None) == 1
    places[0].refresh_from_db()
    assert not places[0].active
    participant = Participant.objects.get(round=round_, student=w.students[0])
    eligible = [row.place.pk for row in selectors.eligible_places(participant)]
    assert eligible == [places[1].pk]


def test_failed_run_and_stale_detector(django_capture_on_commit_callbacks):
    w = r.world(students=2, companies=1)
    round_, _places = _open_and_prefer(w)
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    # Started but never executed (as if the worker died after claiming it).
    run = running.start_run(acting_user=w.coordinator, round_=round_, kind=RunKind.REAL)
    MatchRun.objects.filter(pk=run.pk).update(
        state=RunState.RUNNING, heartbeat_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert running.fail_stale_runs() == 1
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FAILED
    assert round_.get_status_display() == "mislukt — opnieuw uitvoeren"
    assert not Assignment.objects.filter(run=run).exists()
    again = _run(w, round_, RunKind.REAL, django_capture_on_commit_callbacks)
    assert again.state == RunState.DONE and round_.status == RoundStatus.PROPOSAL


def test_responses_are_refused_after_the_deadline(django_capture_on_commit_callbacks):
    w = r.world(students=1, companies=1)
    round_, _places = _open_and_prefer(w)
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    _run(w, round_, RunKind.REAL, django_capture_on_commit_callbacks)
    running.publish_round(acting_user=w.coordinator, round_=round_)
    MatchingRound.objects.filter(pk=round_.pk).update(
        acceptance_deadline=dt.date.today() - dt.timedelta(days=1)
    )
    assignment = Assignment.objects.get(run__round=round_)
    with pytest.raises(ValidationError, match="verstreken"):
        participation.respond_as_student(
            acting_user=w.student_users[0], assignment=assignment, accept=True
        )
    assert Assignment.objects.get(pk=assignment.pk).student_response == Response.PENDING


def test_a_revocation_through_the_register_removes_places_and_withdraws_proposals(
    django_capture_on_commit_callbacks,
):
    from stagekans.accounts.roles import Role
    from stagekans.register import services as register_services
    from stagekans.register.models import Recognition
    from stagekans.testing import factories as f

    w = r.world(students=2, companies=2)
    round_, places = _open_and_prefer(w)
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    _run(w, round_, RunKind.REAL, django_capture_on_commit_callbacks)
    running.publish_round(acting_user=w.coordinator, round_=round_)
    recognition = Recognition.objects.get(company=w.companies[0], qualification=w.qualification)
    revocation = register_services.request_revocation(
        acting_user=f.UserFactory(role=Role.SBB_ADVISOR),
        recognition=recognition,
        reason="Vastgestelde discriminatie bij de selectie.",
        decision_reference="SBB-2026-1200",
    )
    register_services.approve_revocation(
        acting_user=f.UserFactory(role=Role.SBB_ADVISOR), revocation=revocation
    )
    places[0].refresh_from_db()
    assert not places[0].active and places[0].removed_reason
    withdrawn = Assignment.objects.get(run=round_.current_run, place=places[0])
    assert withdrawn.student_response == Response.WITHDRAWN
    with pytest.raises(ValidationError):
        participation.respond_as_student(
            acting_user=withdrawn.participant.student.user, assignment=withdrawn, accept=True
        )


def test_a_coordinator_may_rank_on_behalf_of_a_student_of_their_school_only():
    w = r.world(students=1, companies=2)
    round_ = r.make_round(w)
    places = r.add_places(w, round_)
    setup.open_round(acting_user=w.coordinator, round_=round_)
    participant = Participant.objects.get(round=round_)
    participation.save_preferences(
        acting_user=w.coordinator, participant=participant, place_ids=[places[1].pk]
    )
    assert selectors.ranked_place_ids(participant) == [places[1].pk]
    other = r.world(students=1, companies=1)
    with pytest.raises(PermissionDenied):
        participation.save_preferences(
            acting_user=other.coordinator, participant=participant, place_ids=[places[0].pk]
        )
