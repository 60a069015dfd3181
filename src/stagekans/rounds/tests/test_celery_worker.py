"""Matching rounds with real parts: PostgreSQL, Redis as the broker and a `celery worker`
process (not eager mode) that reads and writes the same test database.

Runs when DATABASE_URL points at PostgreSQL and REDIS_URL is set (`make test` then includes
it); otherwise every test here is skipped with that reason.

* the whole round: open, prefer, review, trial run, run, publish, accept/decline, close,
  follow-up round, run, placements created;
* kill -9 of the worker in the middle of a run: nothing half-written, the stale-run detector
  marks the round "mislukt — opnieuw uitvoeren", and running again with the same seed gives the
  same matching as the engine computes in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from stagekans.matching.engine import match
from stagekans.placements.models import Placement
from stagekans.rounds import engine_io
from stagekans.rounds.models import Assignment, MatchingRound, MatchRun, Participant, Review
from stagekans.rounds.services import closing, participation, running, setup
from stagekans.rounds.workflow import Response, RoundStatus, RunKind, RunState
from stagekans.testing import rounds as r

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[4]
TIMEOUT = 90


def _broker_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL (a real Redis broker) and DATABASE_URL pointing at PostgreSQL")
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL: the worker shares the test DB")
    return url


@pytest.fixture
def broker() -> Iterator[str]:
    """This process sends tasks to Redis (not eager) for the test, and back after."""
    import redis

    from stagekans.celery import app

    url = _broker_url()
    redis.Redis.from_url(url).flushdb()
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    _reset_pools(app)
    yield url
    _reset_pools(app)
    app.conf.update(saved)


def _reset_pools(app: Any) -> None:
    """Forget connections and producers, so the next test connects to its broker afresh."""
    from kombu import pools

    pools.reset()  # closes and forgets the process-wide producer pools keyed by connection
    app._pool = None
    app.amqp._producer_pool = None


class Workers:
    def __init__(self, broker_url: str) -> None:
        db = connection.settings_dict
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "stagekans.settings.test",
            "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "LOG_LEVEL": "INFO",
        }
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        log = Path(tempfile.mkstemp(prefix=f"celery-rounds-{name}-", suffix=".log")[1])
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "stagekans", "worker",
                "--pool=solo", "-Q", "celery", "-n", f"rounds-{name}-{os.getpid()}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=REPO_ROOT,
            env={**self.env, **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.procs.append((proc, log))
        return proc

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for _p, log in self.procs)

    def stop_all(self) -> None:
        for proc, _log in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        connection.close()


@pytest.fixture
def workers(broker: str) -> Iterator[Workers]:
    pool = Workers(broker)
    yield pool
    pool.stop_all()


def _wait(predicate: Any, what: str, workers: Workers, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{workers.logs()}")


def _status(round_: MatchingRound) -> str:
    return MatchingRound.objects.values_list("status", flat=True).get(pk=round_.pk)


def _run_on_worker(
    w: r.RoundWorld, round_: MatchingRound, kind: RunKind, workers: Workers
) -> MatchRun:
    run = running.start_run(acting_user=w.coordinator, round_=round_, kind=kind)
    _wait(
        lambda: MatchRun.objects.get(pk=run.pk).state in {RunState.DONE, RunState.FAILED},
        f"the {kind} run on the worker",
        workers,
    )
    run.refresh_from_db()
    assert run.state == RunState.DONE, (run.error, workers.logs())
    round_.refresh_from_db()
    return run


def _prefer(w: r.RoundWorld, round_: MatchingRound, places: list[Any]) -> None:
    for i, participant in enumerate(
        Participant.objects.filter(round=round_).select_related("student__user").order_by("id")
    ):
        order = places[i % len(places) :] + places[: i % len(places)]
        participation.save_preferences(
            acting_user=participant.student.user,
            participant=participant,
            place_ids=[p.pk for p in order],
        )


def test_full_round_with_a_real_worker(workers: Workers) -> None:
    w = r.world(students=6, companies=3)
    round_ = r.make_round(w)
    places = r.add_places(w, round_, capacity=1)
    workers.start("w1")
    setup.open_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    _prefer(w, round_, places)
    refused = Participant.objects.filter(round=round_).order_by("id").first()
    assert refused is not None
    participation.review_candidate(
        acting_user=w.trainers[0],
        place=places[0],
        participant=refused,
        acceptable=False,
        reason="availability",
    )
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()

    trial = _run_on_worker(w, round_, RunKind.TRIAL, workers)
    assert _status(round_) == RoundStatus.REVIEW
    real = _run_on_worker(w, round_, RunKind.REAL, workers)
    assert _status(round_) == RoundStatus.PROPOSAL
    assert real.output_fingerprint == trial.output_fingerprint
    assert real.summary["report"]["n_placed"] == 3
    assert real.summary["certificate"]["valid"]
    assert Assignment.objects.filter(run=real).count() == 6
    assert not Assignment.objects.filter(run=real, participant=refused, place=places[0]).exists()

    running.publish_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    accept, decline, silent = Assignment.objects.filter(run=real, place__isnull=False).order_by(
        "id"
    )
    trainer_of = {c.pk: t for c, t in zip(w.companies, w.trainers, strict=True)}
    participation.respond_as_student(
        acting_user=accept.participant.student.user, assignment=accept, accept=True
    )
    participation.respond_as_company(
        acting_user=trainer_of[accept.place.company_id], assignment=accept, accept=True
    )
    participation.respond_as_student(
        acting_user=decline.participant.student.user, assignment=decline, accept=False
    )
    participation.respond_as_company(
        acting_user=trainer_of[silent.place.company_id],
        assignment=silent,
        accept=False,
        reason="language",
    )
    assert Placement.objects.filter(source="round").count() == 1
    closing.close_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    assert Assignment.objects.get(pk=silent.pk).student_response == Response.EXPIRED

    follow = closing.create_follow_up_round(
        acting_user=w.coordinator, round_=round_, name="Vervolgronde", **r.timetable()
    )
    assert Participant.objects.filter(round=follow).count() == 5
    follow_places = list(follow.places.order_by("id"))
    assert sum(p.capacity for p in follow_places) == 2
    setup.open_round(acting_user=w.coordinator, round_=follow)
    follow.refresh_from_db()
    _prefer(w, follow, follow_places)
    setup.close_preferences(acting_user=w.coordinator, round_=follow)
    follow.refresh_from_db()
    follow_run = _run_on_worker(w, follow, RunKind.REAL, workers)
    assert follow_run.summary["report"]["n_placed"] == 2
    running.publish_round(acting_user=w.coordinator, round_=follow)
    follow.refresh_from_db()
    for assignment in Assignment.objects.filter(run=follow_run, place__isnull=False):
        participation.respond_as_student(
            acting_user=assignment.participant.student.user, assignment=assignment, accept=True
        )
        participation.respond_as_company(
            acting_user=trainer_of[assignment.place.company_id],
            assignment=assignment,
            accept=True,
        )
    assert Placement.objects.filter(source="round").count() == 3
    placed_students = set(Placement.objects.values_list("student_id", flat=True))
    assert len(placed_students) == 3
    assert Review.objects.filter(acceptable=False).count() == 1


def test_killed_worker_leaves_a_failed_round_and_the_same_seed_gives_the_same_matching(
    workers: Workers,
) -> None:
    w = r.world(students=8, companies=3)
    round_ = r.make_round(w)
    places = r.add_places(w, round_, capacity=2)
    setup.open_round(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()
    _prefer(w, round_, places)
    setup.close_preferences(acting_user=w.coordinator, round_=round_)
    round_.refresh_from_db()

    # A worker that pauses between the phases of a run, so it can be killed in the middle.
    doomed = workers.start("doomed", ROUNDS_RUN_PAUSE_SECONDS="6")
    run = running.start_run(acting_user=w.coordinator, round_=round_, kind=RunKind.REAL)
    _wait(
        lambda: MatchRun.objects.get(pk=run.pk).phase == "matched",
        "the run to have matched (result in memory, not yet written)",
        workers,
    )
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)

    run.refresh_from_db()
    assert run.state == RunState.RUNNING  # nobody is left to say otherwise …
    assert not Assignment.objects.filter(run__round=round_).exists()  # … and nothing was written
    assert _status(round_) == RoundStatus.RUNNING
    # The beat's stale-run detector (every minute in production) notices the silent run.
    assert running.fail_stale_runs(stale_after_seconds=0) == 1
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FAILED
    assert round_.get_status_display() == "mislukt — opnieuw uitvoeren"
    run.refresh_from_db()
    assert run.state == RunState.FAILED and run.job is not None
    assert run.job.state == "failed"
    assert not Assignment.objects.filter(run__round=round_).exists()

    # Running again on a fresh worker: the same seed gives the same matching.
    workers.start("survivor")
    again = _run_on_worker(w, round_, RunKind.REAL, workers)
    assert round_.status == RoundStatus.PROPOSAL
    loaded = engine_io.load_instance(round_)
    expected = match(loaded.instance, engine_io.config_for(round_))
    assert again.output_fingerprint == expected.output_fingerprint()
    stored = dict(Assignment.objects.filter(run=again).values_list("participant_id", "place_id"))
    computed = {
        int(pk): (int(loaded.place_ids[p]) if p >= 0 else None)
        for pk, p in zip(loaded.participant_ids, expected.assignment, strict=True)
    }
    assert stored == computed
    assert sum(1 for v in stored.values() if v is not None) == 6
    # And once more, from the proposal: still the same.
    third = _run_on_worker(w, round_, RunKind.REAL, workers)
    assert third.output_fingerprint == again.output_fingerprint
