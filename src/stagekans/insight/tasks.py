from __future__ import annotations

from celery import shared_task


@shared_task(name="insight.recompute", acks_late=True)
def recompute_task() -> int:
    """Nightly (and on demand): idempotent, a new run replaces the current one atomically."""
    from stagekans.insight.services.recompute import recompute

    return recompute(acting_user=None).pk
