"""Writes for background-job progress. `advance` runs inside the chunk's own transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stagekans.jobs.models import BackgroundJob, JobState


def start(
    *, acting_user: Any, kind: str, label: str, total: int, subject: str = ""
) -> BackgroundJob:
    """Create the progress row in its own committed transaction (visible while the job runs)."""
    with transaction.atomic():
        return BackgroundJob.objects.create(
            kind=kind,
            label=label[:200],
            subject=subject,
            started_by=acting_user if getattr(acting_user, "pk", None) else None,
            total=total,
        )


def advance(
    job: BackgroundJob,
    *,
    done: int,
    cursor: dict[str, Any],
    errors: int = 0,
    last_error: str = "",
) -> None:
    """Count a committed chunk; call it inside that chunk's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("jobs.advance() belongs in the chunk's transaction")
    changes: dict[str, Any] = {
        "done": F("done") + done,
        "errors": F("errors") + errors,
        "cursor": cursor,
        "updated_at": timezone.now(),
    }
    if last_error:
        changes["last_error"] = last_error[:2000]
    BackgroundJob.objects.filter(pk=job.pk).update(**changes)
    job.done += done
    job.errors += errors
    job.cursor = cursor


def finish(job: BackgroundJob, *, result: dict[str, Any] | None = None) -> None:
    now = timezone.now()
    with transaction.atomic():
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=JobState.DONE, finished_at=now, updated_at=now, result=result or {}
        )
    job.state, job.finished_at = JobState.DONE, now


def fail(job: BackgroundJob, *, error: str) -> None:
    """The run stopped; committed chunks stay, `cursor` says where a new run resumes."""
    now = timezone.now()
    with transaction.atomic():
        BackgroundJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            finished_at=now,
            updated_at=now,
            last_error=error[:2000],
            errors=F("errors") + 1,
        )
    job.state, job.finished_at = JobState.FAILED, now
