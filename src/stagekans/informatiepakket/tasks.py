from __future__ import annotations

from celery import shared_task

from stagekans.informatiepakket import services


@shared_task(name="informatiepakket.send_reminders")
def send_reminders() -> int:
    return services.send_due_reminders()


@shared_task(name="informatiepakket.issue_version", acks_late=True)
def issue_version(version_id: int) -> int:
    """Idempotent: a re-run after a crash issues only to companies that lack the version."""
    return services.issue_version_in_batches(version_id=version_id)
