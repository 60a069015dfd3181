"""Retention of school signals: personal data no longer than needed.

A signal may name a student and describes what happened to them. `SCHOOL_SIGNAL_RETENTION_DAYS`
after the school closed it, `anonymise_expired_signals` erases what can identify anyone: the
texts (what was observed, the conversation with the company) and the links to the student and
to the staff member who logged it. Left behind are school, company, dates, grounds, phase and
outcome, so the counts per company for SBB stay the same. Open signals are never touched.

Like the meldpunt's retention (`meldpunt.services.erase_expired_contacts`) it anonymises rather
than deletes, runs daily from Celery beat and resumes where a crashed run stopped. It is
set-based: one UPDATE per chunk of signals, each chunk in its own transaction with one audit
row holding the count, so a national backlog is neither one long transaction nor one query per
signal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stagekans.audit.models import AuditEvent
from stagekans.audit.services import record
from stagekans.support.models import SchoolSignal

CHUNK_SIZE = 1000


def expired_signals(*, now: dt.datetime, days: int) -> Any:
    """Closed signals past the retention period that still hold personal data."""
    return SchoolSignal.objects.filter(
        closed_at__isnull=False,
        closed_at__lte=now - dt.timedelta(days=days),
        anonymised_at__isnull=True,
    )


def anonymise_expired_signals(
    *,
    acting_user: Any = None,
    now: dt.datetime | None = None,
    days: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Anonymise every closed signal older than the retention period; returns how many.

    `acting_user` is None for the scheduled job. Idempotent: an anonymised signal is never
    selected again, so a second run finds nothing and writes no audit row.
    """
    now = now or timezone.now()
    days = settings.SCHOOL_SIGNAL_RETENTION_DAYS if days is None else days
    if days < 1:
        raise ValueError("SCHOOL_SIGNAL_RETENTION_DAYS must be at least 1")
    total = 0
    while True:
        with transaction.atomic():
            # Lock the chunk: a school cannot change a closed signal, but two runs of the job
            # (beat plus a manual call) must not both count it.
            ids = list(
                expired_signals(now=now, days=days)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:chunk_size]
            )
            if not ids:
                return total
            count = SchoolSignal.objects.filter(pk__in=ids, anonymised_at__isnull=True).update(
                observed="",
                conversation="",
                student=None,
                logged_by=None,
                anonymised_at=now,
                updated_at=now,
            )
            record(
                actor=acting_user,
                event=AuditEvent.SCHOOL_SIGNALS_ANONYMISED,
                obj=None,
                details={
                    "count": count,
                    "retention_days": days,
                    "closed_before": (now - dt.timedelta(days=days)).isoformat(),
                    "first_id": ids[0],
                    "last_id": ids[-1],
                },
            )
            total += count
