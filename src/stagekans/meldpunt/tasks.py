"""Scheduled jobs of the meldpunt (see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task

from stagekans.meldpunt import services

logger = logging.getLogger(__name__)


@shared_task(name="meldpunt.erase_expired_contacts")
def erase_expired_contacts() -> int:
    erased = services.erase_expired_contacts(acting_user=None)
    if erased:
        logger.info("meldpunt retention: erased contact details of %d reports", erased)
    return erased
