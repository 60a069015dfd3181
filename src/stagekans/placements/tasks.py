"""Scheduled jobs of placements (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task

from stagekans.placements.services.overdue import alert_overdue_contacts

logger = logging.getLogger(__name__)


@shared_task(name="placements.alert_overdue_contacts")
def alert_overdue_contacts_task() -> dict[str, int]:
    """Idempotent: a second run (or a retry after a crash) alerts nobody twice."""
    run = alert_overdue_contacts()
    if run.alerted or run.escalated:
        logger.info(
            "placements: %d overdue alerted, %d escalated, %d mails",
            run.alerted,
            run.escalated,
            run.mails,
        )
    return {"alerted": run.alerted, "escalated": run.escalated, "mails": run.mails}
