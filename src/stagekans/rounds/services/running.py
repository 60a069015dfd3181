"""Running the engine for a round (trial or real) as a Celery task, detecting dead runs,
changing single assignments and publishing the proposal.

A run is claimed (state running, a claim token, a heartbeat), reads the round set-based, matches
in memory and writes its whole result in ONE transaction at the end, after checking it still
holds the claim. A worker killed before that commit leaves no assignment; the stale-run detector
(beat, every minute) then marks the run and the round failed ("mislukt — opnieuw uitvoeren").
The same seed on the same input gives the same matching, so running again is safe.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.jobs import services as jobs
from stagekans.jobs.models import BackgroundJob
from stagekans.matching.engine import MatchConfig, Progress, UnplacedReason, match
from stagekans.notifications.services import Mail, enqueue_mails
from stagekans.rounds import engine_io
from stagekans.rounds.models import Assignment, AssignmentChange, MatchingRound, MatchRun, Place
from stagekans.rounds.services.common import locked, move, require_school_staff
from stagekans.rounds.workflow import RUNNABLE, RoundStatus, RunKind, RunState

RUN_JOB = "rounds.run"


def start_run(*, acting_user: Any, round_: MatchingRound, kind: RunKind) -> MatchRun:
    """Queue a trial or real run with the round's recorded seed; the task starts after commit."""
    from stagekans.rounds import tasks

    require_school_staff(acting_user, round_)
    with transaction.atomic():
        round_ = locked(round_)
        if round_.status not in RUNNABLE:
            raise ValidationError(
                _("Matching starten kan niet in de status '%(status)s'.")
                % {"status": round_.get_status_display()}
            )
        config = engine_io.config_for(round_)
        move(acting_user, round_, RoundStatus.RUNNING, kind=kind.value)
        round_.failure_message = ""
        round_.save(update_fields=["failure_message"])
        job = jobs.start(
            acting_user=acting_user,
            kind=RUN_JOB,
            label=(_("Proefronde") if kind == RunKind.TRIAL else _("Matching")) + f": {round_}",
            total=100,
            subject=f"round:{round_.pk}",
        )
        run = MatchRun.objects.create(
            round=round_,
            kind=kind,
            seed=round_.seed,
            algorithm=config.algorithm.value,
            tie_breaking=round_.tie_breaking,
            job=job,
            started_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_RUN_STARTED,
            obj=round_,
            details={"run": run.pk, "kind": kind.value, "seed": round_.seed},
        )
        transaction.on_commit(lambda: tasks.run_matching.delay(run.pk))
    return run


class _LostClaim(Exception):
    pass


def _beat(run: MatchRun, claim: uuid.UUID, phase: str, percent: int) -> None:
    """Heartbeat and progress in a short transaction of their own (visible while running)."""
    with transaction.atomic():
        updated = MatchRun.objects.filter(pk=run.pk, claim=claim, state=RunState.RUNNING).update(
            heartbeat_at=timezone.now(), phase=phase[:40]
        )
        if not updated:
            raise _LostClaim
        if run.job_id:
            job = BackgroundJob.objects.get(pk=run.job_id)
            jobs.advance(job, done=max(0, percent - job.done), cursor={"phase": phase})


def _pause() -> None:
    seconds = float(getattr(settings, "ROUNDS_RUN_PAUSE_SECONDS", 0) or 0)
    if seconds > 0:
        time.sleep(seconds)


def execute_run(*, run_id: int) -> str:
    """The body of the Celery task; idempotent: a run that is not queued is left alone."""
    claim = uuid.uuid4()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.state != RunState.QUEUED:
            return "skipped"
        run.state, run.claim, run.heartbeat_at, run.phase = (
            RunState.RUNNING,
            claim,
            timezone.now(),
            "claimed",
        )
        run.save(update_fields=["state", "claim", "heartbeat_at", "phase"])
    try:
        round_ = MatchingRound.objects.get(pk=run.round_id)
        _beat(run, claim, "load", 5)
        loaded = engine_io.load_instance(round_)
        _beat(run, claim, "loaded", 25)
        _pause()
        config = MatchConfig(
            algorithm=engine_io.config_for(round_).algorithm,
            tie_breaking=engine_io.config_for(round_).tie_breaking,
            seed=run.seed,
        )
        last = [0.0]

        def progress(event: Progress) -> None:
            now = time.monotonic()
            if now - last[0] >= 1.0:
                last[0] = now
                fraction = event.fraction if event.fraction is not None else 0.5
                _beat(run, claim, event.phase, 25 + int(50 * fraction))

        result = match(loaded.instance, config, progress=progress)
        _beat(run, claim, "matched", 75)
        _pause()
        _write_result(run, claim, round_, loaded, result)
    except _LostClaim:
        return "lost claim"
    except Exception as error:
        _fail(run, claim=claim, error=f"{type(error).__name__}: {error}")
        return "failed"
    return "done"


def _copy_assignments(rows: list[tuple[Any, ...]]) -> None:
    table = Assignment._meta.db_table
    columns = (
        "run_id",
        "participant_id",
        "place_id",
        "rank",
        "unplaced_reason",
        "manual",
        "student_response",
        "company_response",
        "company_decline_reason",
    )
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        return
    Assignment.objects.bulk_create(
        [Assignment(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
    )


def _write_result(
    run: MatchRun,
    claim: uuid.UUID,
    round_: MatchingRound,
    loaded: engine_io.Loaded,
    result: Any,
) -> None:
    ranks = result.assigned_rank
    assignment = result.assignment
    reasons = result.unplaced_reason
    place_ids = loaded.place_ids
    rows = []
    for index, participant_id in enumerate(loaded.participant_ids.tolist()):
        placed = int(assignment[index])
        rows.append(
            (
                run.pk,
                participant_id,
                int(place_ids[placed]) if placed >= 0 else None,
                int(ranks[index]) + 1 if placed >= 0 else None,
                "" if placed >= 0 else UnplacedReason(int(reasons[index])).label,
                "f" if connection.vendor == "postgresql" else False,
                "pending",
                "pending",
                "",
            )
        )
    summary = result.to_dict()
    with transaction.atomic():
        current = MatchRun.objects.select_for_update().get(pk=run.pk)
        if current.state != RunState.RUNNING or current.claim != claim:
            raise _LostClaim
        round_ = locked(round_)
        _copy_assignments(rows)
        now = timezone.now()
        MatchRun.objects.filter(pk=run.pk).update(
            state=RunState.DONE,
            finished_at=now,
            heartbeat_at=now,
            phase="done",
            summary=summary,
            input_fingerprint=summary["input_fingerprint"],
            output_fingerprint=summary["output_fingerprint"],
        )
        target = RoundStatus.PROPOSAL if run.kind == RunKind.REAL else RoundStatus.REVIEW
        move(None, round_, target, run=run.pk)
        if run.kind == RunKind.REAL:
            round_.current_run = run
            round_.save(update_fields=["current_run"])
        audit.record(
            actor=None,
            event=AuditEvent.ROUND_RUN_FINISHED,
            obj=round_,
            details={
                "run": run.pk,
                "kind": run.kind,
                "placed": summary["report"]["n_placed"],
                "students": summary["report"]["n_students"],
                "blocking_pairs": summary["certificate"]["blocking_pairs"],
                "output_fingerprint": summary["output_fingerprint"],
            },
        )
        if run.job_id:
            job = BackgroundJob.objects.get(pk=run.job_id)
            jobs.advance(job, done=max(0, 100 - job.done), cursor={"phase": "done"})
            jobs.finish(job, result={"run": run.pk, "placed": summary["report"]["n_placed"]})


def _fail(run: MatchRun, *, claim: uuid.UUID | None, error: str) -> bool:
    """Mark a run and its round failed, unless the run already finished. True if it did."""
    with transaction.atomic():
        current = MatchRun.objects.select_for_update().get(pk=run.pk)
        if current.state not in {RunState.QUEUED, RunState.RUNNING}:
            return False
        if claim is not None and current.claim != claim:
            return False
        round_ = locked(current.round)
        MatchRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, finished_at=timezone.now(), error=error[:2000]
        )
        if round_.status == RoundStatus.RUNNING:
            move(None, round_, RoundStatus.FAILED, run=run.pk)
            round_.failure_message = error[:2000]
            round_.save(update_fields=["failure_message"])
        audit.record(
            actor=None,
            event=AuditEvent.ROUND_RUN_FAILED,
            obj=round_,
            details={"run": run.pk, "error": error[:500]},
        )
        if current.job_id:
            job = BackgroundJob.objects.get(pk=current.job_id)
            jobs.fail(job, error=error)
    return True


def fail_stale_runs(*, stale_after_seconds: int | None = None) -> int:
    """Runs whose worker stopped beating (killed, out of memory, machine gone) are failed."""
    seconds = (
        settings.ROUNDS_STALE_AFTER_SECONDS if stale_after_seconds is None else stale_after_seconds
    )
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    failed = 0
    for run in MatchRun.objects.filter(state=RunState.RUNNING, heartbeat_at__lt=cutoff):
        if _fail(
            run,
            claim=None,
            error=_("De matching stopte zonder resultaat (geen teken van leven sinds %(t)s).")
            % {"t": timezone.localtime(run.heartbeat_at).strftime("%d-%m-%Y %H:%M:%S")},
        ):
            failed += 1
    return failed


def change_assignment(
    *, acting_user: Any, assignment: Assignment, place: Place | None, reason: str
) -> dict[str, Any]:
    """The coordinator moves one student to another place (or leaves them unplaced) in the
    proposal; the reason is logged, the certificate recomputed and stored with the run."""
    round_ = assignment.run.round
    require_school_staff(acting_user, round_)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de wijziging.")})
    with transaction.atomic():
        round_ = locked(round_)
        if round_.status != RoundStatus.PROPOSAL or round_.current_run_id != assignment.run_id:
            raise ValidationError(
                _("Alleen een voorstel dat nog niet gepubliceerd is, kan wijzigen.")
            )
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("participant__student__programme")
            .get(pk=assignment.pk)
        )
        if place is not None:
            if place.round_id != round_.pk or not place.active:
                raise ValidationError({"place": _("Deze plaats doet niet mee in de ronde.")})
            if place.qualification_id != assignment.participant.student.programme.qualification_id:
                raise ValidationError(
                    {"place": _("Deze plaats hoort niet bij de opleiding van de student.")}
                )
            taken = (
                Assignment.objects.filter(run_id=assignment.run_id, place=place)
                .exclude(pk=assignment.pk)
                .count()
            )
            if taken >= place.capacity:
                raise ValidationError({"place": _("Deze plaats is al vol.")})
        old_place_id = assignment.place_id
        assignment.place = place
        rank = None
        if place is not None:
            rank = (
                assignment.participant.preferences.filter(place=place)
                .values_list("rank", flat=True)
                .first()
            )
        assignment.rank = rank
        assignment.unplaced_reason = "" if place is not None else "manual"
        assignment.manual = True
        assignment.save(update_fields=["place", "rank", "unplaced_reason", "manual"])
        evaluation = recompute(round_, assignment.run)
        AssignmentChange.objects.create(
            assignment=assignment,
            old_place_id=old_place_id,
            new_place=place,
            reason=reason.strip(),
            changed_by=acting_user,
            blocking_pairs_after=evaluation["certificate"]["blocking_pairs"],
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.ROUND_ASSIGNMENT_CHANGED,
            obj=assignment,
            details={
                "from": old_place_id,
                "to": place.pk if place else None,
                "reason": reason.strip()[:500],
                "blocking_pairs": evaluation["certificate"]["blocking_pairs"],
            },
        )
    return evaluation


def recompute(round_: MatchingRound, run: MatchRun) -> dict[str, Any]:
    """Certificate and report of the run's stored assignments, saved in its summary."""
    loaded = engine_io.load_instance(round_)
    stored = dict(Assignment.objects.filter(run=run).values_list("participant_id", "place_id"))
    place_index = {pk: i for i, pk in enumerate(loaded.place_ids.tolist())}
    array = np.array(
        [
            -1 if stored.get(pk) is None else place_index.get(stored[pk], -1)
            for pk in loaded.participant_ids.tolist()
        ],
        dtype=np.int64,
    )
    config = MatchConfig(
        algorithm=engine_io.config_for(round_).algorithm,
        tie_breaking=engine_io.config_for(round_).tie_breaking,
        seed=run.seed,
    )
    evaluation = engine_io.evaluate(loaded.instance, array, config)
    summary = dict(run.summary)
    summary["certificate"] = evaluation.certificate.to_dict()
    summary["report"] = evaluation.report.to_dict()
    summary["manual_changes"] = int(summary.get("manual_changes", 0)) + 1
    MatchRun.objects.filter(pk=run.pk).update(summary=summary)
    run.summary = summary
    return summary


def publish_round(*, acting_user: Any, round_: MatchingRound) -> None:
    """Proposal → published: students and companies are told, companies by reference only."""
    require_school_staff(acting_user, round_)
    with transaction.atomic():
        round_ = locked(round_)
        run = round_.current_run
        if run is None:
            raise ValidationError(_("Er is nog geen voorstel om te publiceren."))
        certificate = run.summary.get("certificate", {})
        if not certificate.get("capacity_respected", False) or not certificate.get(
            "mutually_acceptable", False
        ):
            raise ValidationError(
                _(
                    "Het voorstel plaatst studenten boven de capaciteit of bij een plaats die "
                    "hen niet accepteert; pas het eerst aan."
                )
            )
        move(acting_user, round_, RoundStatus.PUBLISHED, run=run.pk)
        round_.published_at = timezone.now()
        round_.save(update_fields=["published_at"])
        audit.record(
            actor=acting_user, event=AuditEvent.ROUND_PUBLISHED, obj=round_, details={"run": run.pk}
        )
        enqueue_mails(_publication_mails(round_, run))


def _publication_mails(round_: MatchingRound, run: MatchRun) -> list[Mail]:
    from stagekans.companies.models import Trainer

    deadline = round_.acceptance_deadline.strftime("%d-%m-%Y")
    mails = []
    for pk, email, place_id in (
        Assignment.objects.filter(run=run, participant__student__user__isnull=False)
        .values_list("pk", "participant__student__user__email", "place_id")
        .iterator(chunk_size=5000)
    ):
        if not email:
            continue
        body = (
            _(
                "Er is een stageplaats voor je voorgesteld in '%(name)s'. Accepteer of weiger "
                "het voorstel tot en met %(deadline)s in Stagekans (Mijn matchingrondes)."
            )
            if place_id
            else _(
                "In '%(name)s' is nog geen plaats voor je gevonden. Je doet mee in de "
                "vervolgronde; je school neemt contact met je op."
            )
        ) % {"name": round_.name, "deadline": deadline}
        mails.append(
            Mail(
                to=email,
                subject=_("Uitslag matchingronde: %(name)s") % {"name": round_.name},
                body=body,
                dedup_key=f"round:{round_.pk}:published:{pk}",
            )
        )
    per_company = dict(
        Assignment.objects.filter(run=run, place__isnull=False)
        .values("place__company_id")
        .annotate(n=Count("id"))
        .values_list("place__company_id", "n")
    )
    for trainer_pk, email, company_id in Trainer.objects.filter(
        company_id__in=list(per_company)
    ).values_list("pk", "user__email", "company_id"):
        if not email:
            continue
        # Never a name: the company learns who the candidates are only after acceptance.
        mails.append(
            Mail(
                to=email,
                subject=_("Voorgestelde kandidaten: %(name)s") % {"name": round_.name},
                body=_(
                    "In de matchingronde '%(name)s' van %(school)s zijn %(n)s kandidaten aan uw "
                    "plaatsen voorgesteld. Bekijk hun geanonimiseerde profielen en accepteer of "
                    "weiger tot en met %(deadline)s in Stagekans (Matchingrondes)."
                )
                % {
                    "name": round_.name,
                    "school": round_.school.name,
                    "n": per_company[company_id],
                    "deadline": deadline,
                },
                dedup_key=f"round:{round_.pk}:published:company:{trainer_pk}",
            )
        )
    return mails
