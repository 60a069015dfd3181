"""Scheduled jobs of voorlichting (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task

from stagekans.voorlichting import services

logger = logging.getLogger(__name__)


@shared_task(name="voorlichting.send_reminders")
def send_reminders() -> int:
    enqueued = services.send_reminders()
    if enqueued:
        logger.info("voorlichting: enqueued %d reminders", enqueued)
    return enqueued
