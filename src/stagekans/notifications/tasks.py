"""Draining the outbox: after each commit that wrote mail, every minute (beat), at worker start."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from stagekans.notifications import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.drain_outbox")
def drain_outbox() -> int:
    """One drain at a time sends everything due (see services.drain)."""
    services.drain_started()
    sent = services.drain()
    if sent:
        logger.info("outbox: sent %d mails", sent)
    return sent


@worker_ready.connect
def _drain_at_worker_start(**kwargs: Any) -> None:
    """A worker that starts (e.g. after a crash of the previous one) sends what is still owed."""
    drain_outbox.delay()
