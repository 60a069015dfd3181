"""Background work of the core: refreshing precomputed aggregates (core/snapshots.py)."""

from __future__ import annotations

from celery import shared_task

from stagekans.core import snapshots


@shared_task(name="core.refresh_snapshot")
def refresh_snapshot(name: str) -> None:
    snapshots.compute(name)


@shared_task(name="core.refresh_due_snapshots")
def refresh_due_snapshots() -> int:
    return snapshots.refresh_due()
