"""Overdue-supervision job over the national placements (issue 11): target ≤ 30 s for 250k
running POKs.

One command (database seeded with `seed_national`, which loads 250k placements):

    DATABASE_URL=postgres://… .venv/bin/python bench/placements_overdue.py [--repeat 3]

Each run starts from "nobody alerted yet" (no overdue notices; the tables are
vacuumed first, as autovacuum would have done after earlier runs' rollbacks), runs the job
exactly as the Celery beat task does (`alert_overdue_contacts`, chunks of 20,000, set-based
claims, digest mails into the outbox, audit rows) and a second time (which must claim nothing),
then rolls everything back so runs are comparable and the database is unchanged. Inside the
bench's outer transaction each chunk is a savepoint instead of a commit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagekans.settings.dev")
TARGET_SECONDS = 30.0


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from stagekans.placements.models import OverdueNotice, Placement
    from stagekans.placements.services.overdue import alert_overdue_contacts
    from stagekans.placements.workflow import PlacementStatus

    # Runs roll back; clean up the row versions earlier runs left before timing.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE placements_placement")
        cursor.execute("VACUUM ANALYZE placements_overduenotice")
    running = Placement.objects.filter(status__in=["planned", "active"]).count()
    active = Placement.objects.filter(status=PlacementStatus.ACTIVE).count()
    print(f"database: {connection.settings_dict['NAME']} ({connection.vendor})")
    print(f"running placements: {running:,} (active with a signed POK: {active:,})")
    times = []
    # The job's "today" is the local date (Europe/Amsterdam); CURRENT_DATE is the server's.
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_DATE")
        offset = (timezone.localdate() - cursor.fetchone()[0]).days
    for run in range(args.repeat):
        load = os.getloadavg()
        try:
            with transaction.atomic():
                OverdueNotice.objects.all().delete()
                started = time.perf_counter()
                result = alert_overdue_contacts()
                seconds = time.perf_counter() - started
                again = alert_overdue_contacts()
                raise _Rollback((result, again, seconds))
        except _Rollback as done:
            result, again, seconds = done.args[0]
        times.append(seconds)
        # Checked by plain SQL that shares nothing with the job: every active placement due
        # before today is alerted, every one due more than 14 days before today escalated.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE next_contact_due < CURRENT_DATE + %s),"
                " count(*) FILTER (WHERE next_contact_due < CURRENT_DATE + %s - 14)"
                " FROM placements_placement WHERE status = 'active'",
                [offset, offset],
            )
            expect_alerted, expect_escalated = cursor.fetchone()
        checked = (result.alerted, result.escalated) == (expect_alerted, expect_escalated)
        if not checked:
            raise SystemExit(
                f"check FAILED: job {result.alerted}/{result.escalated}, "
                f"SQL {expect_alerted}/{expect_escalated}"
            )
        print(
            f"run {run + 1}: {seconds:.1f} s — {result.alerted:,} begeleider alerts, "
            f"{result.escalated:,} escalations, {result.mails:,} digest mails; second run "
            f"claimed {again.alerted + again.escalated}; checked by SQL: {checked} "
            f"(load {load[0]:.1f}/{load[1]:.1f}/"
            f"{load[2]:.1f})",
            flush=True,
        )
    median = statistics.median(times)
    met = "met" if median <= TARGET_SECONDS else "NOT met"
    print(
        f"median {median:.1f} s over {running:,} running POKs; "
        f"target ≤ {TARGET_SECONDS:.0f} s: {met}"
    )


if __name__ == "__main__":
    main()
