"""Scheduled work of the register."""

from __future__ import annotations

import logging

from celery import shared_task

from stagekans.register import selectors, services

logger = logging.getLogger(__name__)


@shared_task(name="register.expire_recognitions")
def expire_recognitions() -> int:
    """Mark every recognition whose period has ended as expired; each one its own transaction."""
    expired = 0
    for recognition in selectors.due_for_expiry().iterator():
        services.expire_recognition(acting_user=None, recognition=recognition)
        expired += 1
    logger.info("expired %d recognitions", expired)
    return expired
