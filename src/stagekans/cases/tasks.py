from __future__ import annotations

from celery import shared_task

from stagekans.cases import services


@shared_task(name="cases.send_hearing_reminders")
def send_hearing_reminders() -> int:
    """Daily: remind parties whose hoor-en-wederhoor deadline is near (idempotent)."""
    return services.send_hearing_reminders()
