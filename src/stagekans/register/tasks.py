"""Scheduled work of the register."""

from __future__ import annotations

import logging

from celery import shared_task

from stagekans.register import selectors, services

logger = logging.getLogger(__name__)


@shared_task(name="register.expire_recognitions")
def expire_recognitions() -> int:
    """Mark every recognition whose period has ended as expired; each one its own transaction."""
    expired = failed = 0
    for recognition in list(selectors.due_for_expiry()):
        try:
            services.expire_recognition(acting_user=None, recognition=recognition)
        except Exception:  # one bad row must not stop the others; it is retried next run
            failed += 1
            logger.exception("could not expire recognition %s", recognition.pk)
            continue
        expired += 1
    logger.info("expired %d recognitions (%d failed)", expired, failed)
    return expired


@shared_task(name="register.run_import", acks_late=True)
def run_register_import(job_id: int) -> str:
    """Validate and write one uploaded register file (register.import_jobs)."""
    from stagekans.register.import_jobs import run_queued_import

    job = run_queued_import(job_id=job_id)
    return "" if job is None else str(job.state)
