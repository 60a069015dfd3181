from __future__ import annotations

from celery import shared_task

from stagekans.rounds.services import running


@shared_task(name="rounds.run_matching", acks_late=True)
def run_matching(run_id: int) -> str:
    """Idempotent: only a queued run is executed; a redelivered message finds it claimed,
    done or failed and does nothing."""
    return running.execute_run(run_id=run_id)


@shared_task(name="rounds.fail_stale_runs")
def fail_stale_runs() -> int:
    return running.fail_stale_runs()
