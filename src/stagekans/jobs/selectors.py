"""Reads for background-job progress."""

from __future__ import annotations

from django.db.models import QuerySet

from stagekans.jobs.models import BackgroundJob, JobState


def latest(kind: str, subject: str = "") -> BackgroundJob | None:
    """The newest run of a job (for one subject), for the page that starts it."""
    qs: QuerySet[BackgroundJob] = BackgroundJob.objects.filter(kind=kind)
    if subject:
        qs = qs.filter(subject=subject)
    return qs.select_related("started_by").order_by("-started_at", "-id").first()


def resumable(kind: str, subject: str = "") -> BackgroundJob | None:
    """The newest run if it stopped before the end (a new run continues from its cursor)."""
    job = latest(kind, subject)
    return job if job is not None and job.state == JobState.FAILED else None
