"""The register import as background work: an upload is stored and queued; a worker validates
and writes it (register.importer) while the page shows progress.

A 250k-row file takes minutes to check and write, longer than a web request may take. The
upload is kept in private storage under a random name and an "upload" job row records who
started it; the task is sent only after that row is committed (nothing to lose if the web
process dies), is acknowledged late (a crashed worker's task is delivered again) and is
idempotent: a second delivery of a finished job does nothing, and a rerun of a half-written
import resumes from the import job's cursor (importer.import_register).
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from stagekans.audit import services as audit
from stagekans.audit.models import AuditEvent
from stagekans.core.storage import private_storage, random_name
from stagekans.jobs import selectors as jobs_selectors
from stagekans.jobs import services as jobs
from stagekans.jobs.models import BackgroundJob, JobState
from stagekans.register.importer import IMPORT_JOB, import_register

UPLOAD_JOB = "register.import_upload"
# Errors kept on the job row for the page; the count is kept in full.
ERRORS_SHOWN = 500


def queue_import(*, acting_user: Any, text: str, source: str) -> BackgroundJob:
    """Store the uploaded CSV text and queue its import; returns the upload job."""
    from stagekans.register.tasks import run_register_import

    source = (source or "upload.csv")[:100]
    with transaction.atomic():
        name = private_storage().save(
            random_name("csv"), ContentFile(text.encode("utf-8", "surrogatepass"))
        )
        job = BackgroundJob.objects.create(
            kind=UPLOAD_JOB,
            label=(_("Controle en import van %(source)s") % {"source": source})[:200],
            subject=source,
            started_by=acting_user if getattr(acting_user, "pk", None) else None,
            cursor={"file": name},
        )
        audit.record(
            actor=acting_user,
            event=AuditEvent.REGISTER_IMPORT_QUEUED,
            obj=job,
            details={"source": source, "bytes": len(text)},
        )
        job_id = job.pk
        transaction.on_commit(lambda: run_register_import.delay(job_id))
    return job


def run_queued_import(*, job_id: int) -> BackgroundJob | None:
    """Run one queued upload: validate every row, then write in chunks (importer). Returns the
    upload job, or None when there is nothing (left) to do."""
    job = BackgroundJob.objects.filter(pk=job_id, kind=UPLOAD_JOB, state=JobState.RUNNING).first()
    if job is None:
        return None  # finished or failed already: a second delivery does nothing
    # A duplicate delivery running at the same time is harmless: the importer writes only what
    # is missing, under row locks, so the second run finds nothing left to do.
    name = str(job.cursor["file"])
    storage = private_storage()
    try:
        with storage.open(name, "rb") as handle:
            text = handle.read().decode("utf-8", "surrogatepass")
    except FileNotFoundError:
        jobs.fail(job, error=_("Het geüploade bestand is niet meer aanwezig; upload het opnieuw."))
        return job
    try:
        report = import_register(
            acting_user=job.started_by,
            text=text,
            source=job.subject,
            resume=jobs_selectors.resumable(IMPORT_JOB, job.subject),
        )
    except BaseException as exc:
        jobs.fail(job, error=f"{type(exc).__name__}: {exc}")
        raise
    result = {
        "ok": report.ok,
        "summary": report.summary(),
        "rows": report.rows,
        "error_count": len(report.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in report.errors[:ERRORS_SHOWN]
        ],
        "import_job": report.job.pk if report.job is not None else None,
    }
    BackgroundJob.objects.filter(pk=job.pk).update(
        total=report.rows, done=report.rows if report.ok else 0
    )
    if report.ok:
        jobs.finish(job, result=result)
        storage.delete(name)
    else:
        BackgroundJob.objects.filter(pk=job.pk).update(result=result)
        jobs.fail(job, error=report.summary())
        if not report.chunks_written:
            storage.delete(name)  # nothing written: nothing to resume from
    job.refresh_from_db()
    return job
