"""Scheduled jobs of the support app (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task

from stagekans.support import services

logger = logging.getLogger(__name__)


@shared_task(name="support.anonymise_expired_signals")
def anonymise_expired_signals() -> int:
    anonymised = services.anonymise_expired_signals(acting_user=None)
    if anonymised:
        logger.info("school signal retention: anonymised %d signals", anonymised)
    return anonymised
