"""Precomputed aggregates for national staff pages.

Counting 250k companies or 500k students per page view takes seconds at national volume (the
SQL is fine; the data is large). A page that shows such figures reads a snapshot instead: one
row, computed by the same SQL in the background and refreshed every few minutes. The page says
when its figures were computed.

- `define(kind, compute)` registers how to compute a snapshot family; `compute(*params)`
  returns JSON-serialisable aggregates.
- `read(kind, *params)` returns the snapshot; when there is none yet it is computed in the
  request (once, for a new family or a new database); when it is older than
  STAGEKANS_SNAPSHOT_MAX_AGE seconds the stale figures are served and one refresh is queued
  (deduplicated through the cache), so a page view never waits for a recount.
- `refresh_due()` (Celery beat) recomputes every snapshot read in the last day that is older
  than the maximum age. With STAGEKANS_SNAPSHOT_MAX_AGE = 0 (the test settings) every read
  computes live.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from stagekans.core.models import AggregateSnapshot

logger = logging.getLogger(__name__)

_families: dict[str, Callable[..., Any]] = {}
READ_MARK_EVERY = dt.timedelta(hours=1)
KEEP_REFRESHING = dt.timedelta(days=1)


@dataclass(frozen=True)
class Snapshot:
    data: Any
    computed_at: dt.datetime
    stale: bool


def define(kind: str, compute: Callable[..., Any]) -> None:
    if ":" in kind:
        raise ValueError("a snapshot kind has no ':'")
    _families[kind] = compute


def name_of(kind: str, *params: Any) -> str:
    return ":".join([kind, *(str(p) for p in params)])


def _parse(name: str) -> tuple[str, list[str]]:
    kind, *params = name.split(":")
    return kind, params


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "STAGEKANS_SNAPSHOT_MAX_AGE", 300)))


def compute(name: str) -> AggregateSnapshot:
    """Recompute one snapshot now and store it (its own transaction)."""
    kind, params = _parse(name)
    started = time.perf_counter()
    data = _families[kind](*params)
    seconds = time.perf_counter() - started
    now = timezone.now()
    with transaction.atomic():
        snapshot, _created = AggregateSnapshot.objects.update_or_create(
            name=name,
            defaults={"data": data, "computed_at": now, "seconds": round(seconds, 3)},
            create_defaults={
                "data": data,
                "computed_at": now,
                "seconds": round(seconds, 3),
                "last_read_at": now,
            },
        )
    return snapshot


def read(kind: str, *params: Any) -> Snapshot:
    name = name_of(kind, *params)
    if kind not in _families:
        raise KeyError(f"unknown snapshot kind {kind!r}")
    now = timezone.now()
    if max_age() <= dt.timedelta(0):
        return Snapshot(_families[kind](*(str(p) for p in params)), now, stale=False)
    row = AggregateSnapshot.objects.filter(name=name).first()
    if row is None:
        row = compute(name)
        return Snapshot(row.data, row.computed_at, stale=False)
    if row.last_read_at is None or now - row.last_read_at > READ_MARK_EVERY:
        AggregateSnapshot.objects.filter(pk=row.pk).update(last_read_at=now)
    stale = now - row.computed_at > max_age()
    if stale:
        _queue_refresh(name)
    return Snapshot(row.data, row.computed_at, stale=stale)


def _queue_refresh(name: str) -> None:
    # One queued refresh per snapshot per maximum age, however many people open the page.
    if not cache.add(f"snapshot-refresh:{name}", 1, timeout=int(max_age().total_seconds())):
        return
    from stagekans.core.tasks import refresh_snapshot

    transaction.on_commit(lambda: refresh_snapshot.delay(name))


def refresh_due() -> int:
    """Recompute every snapshot that was read in the last day and is older than the maximum
    age; returns how many. One failing family does not stop the others."""
    now = timezone.now()
    names = list(
        AggregateSnapshot.objects.filter(
            last_read_at__gte=now - KEEP_REFRESHING, computed_at__lt=now - max_age()
        ).values_list("name", flat=True)
    )
    done = 0
    for name in names:
        if _parse(name)[0] not in _families:
            continue
        try:
            compute(name)
        except Exception:
            logger.exception("could not refresh snapshot %s", name)
            continue
        done += 1
    return done
