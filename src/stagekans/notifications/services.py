"""The outbox: write mails in the business transaction, send them after commit.

Sending (`send_due`) works in batches: claim a batch with `SELECT … FOR UPDATE SKIP LOCKED`
and record the attempt in its own committed transaction (so a mail that crashes the worker is
counted and eventually alerts), then send the batch over a few SMTP connections at once
(threads overlap the waits for the server's replies) while the rows stay locked, and mark them
sent. One drain runs at a time (a PostgreSQL advisory lock); each business transaction queues
at most one drain task, and with a shared cache at most one drain task waits in the broker at
any moment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email._policybase import Compat32
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.utils import timezone

from stagekans.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many attempts every further failure (or unfinished attempt) is logged as an ERROR
# (for alerting); the message is still retried every hour: mail about a decision must never be
# dropped.
ALERT_AFTER_ATTEMPTS = 10
BATCH_SIZE = 200
# A batch is spread over at most settings.OUTBOX_SMTP_CONNECTIONS connections, each with at
# least this many messages.
MIN_MESSAGES_PER_CONNECTION = 25
# Key of the PostgreSQL advisory lock held by the one running drain ("outbox" in ASCII).
DRAIN_LOCK_KEY = 0x6F7574626F78
DRAIN_QUEUED_FLAG = "notifications:drain-queued"
DRAIN_QUEUED_TTL = 300  # seconds; a lost task costs at most this long, then the beat takes over
_LOCAL_CACHES = ("LocMemCache", "DummyCache")


@dataclass(frozen=True)
class Mail:
    """One mail for `enqueue_mails`."""

    to: str
    subject: str
    body: str
    dedup_key: str | None = None


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name}() must be called inside the business transaction")


def enqueue_mail(
    *, to: str, subject: str, body: str, dedup_key: str | None = None
) -> OutboxMessage:
    """Write one mail to the outbox inside the caller's transaction.

    The mail leaves only when that transaction commits (a rollback removes it with everything
    else). `dedup_key` makes enqueueing idempotent: a second call with the same key is a no-op.
    """
    _require_transaction("enqueue_mail")
    if dedup_key:
        existing = OutboxMessage.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject[:200],
        body=body,
        dedup_key=dedup_key or None,
        next_attempt_at=timezone.now(),
    )
    _schedule_drain()
    return message


def enqueue_mails(mails: Iterable[Mail], *, chunk_size: int = 2000) -> int:
    """Write many mails in the caller's transaction; returns how many were new.

    Set-based: one query per chunk finds the dedup keys already in the outbox, one INSERT writes
    the rest (`ON CONFLICT DO NOTHING` guards a key written concurrently). A key that occurs
    twice in `mails` is written once (the first wins).
    """
    _require_transaction("enqueue_mails")
    now = timezone.now()
    written = 0
    seen: set[str] = set()
    chunk: list[Mail] = []

    def flush() -> int:
        keys = [m.dedup_key for m in chunk if m.dedup_key]
        existing: set[str | None] = set()
        if keys:
            existing = set(
                OutboxMessage.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True)
            )
        rows = [
            OutboxMessage(
                to=m.to,
                subject=m.subject[:200],
                body=m.body,
                dedup_key=m.dedup_key or None,
                next_attempt_at=now,
            )
            for m in chunk
            if not m.dedup_key or m.dedup_key not in existing
        ]
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        return len(rows)

    for mail in mails:
        if mail.dedup_key:
            if mail.dedup_key in seen:
                continue
            seen.add(mail.dedup_key)
        chunk.append(mail)
        if len(chunk) >= chunk_size:
            written += flush()
            chunk = []
    if chunk:
        written += flush()
    if written:
        _schedule_drain()
    return written


def forget_mails(*, dedup_keys: list[str]) -> int:
    """Retention: delete outbox rows (sent or owed) that carry personal data, by dedup key."""
    if not dedup_keys:
        return 0
    deleted, _ = OutboxMessage.objects.filter(dedup_key__in=dedup_keys).delete()
    return deleted


class _DrainTrigger:
    """The after-commit callback; knows whether it has run."""

    def __init__(self) -> None:
        self.fired = False

    def __call__(self) -> None:
        self.fired = True
        _trigger_drain()


def _schedule_drain() -> None:
    """Queue one drain after the current transaction commits (once per transaction)."""
    conn = transaction.get_connection()
    if any(isinstance(e[1], _DrainTrigger) and not e[1].fired for e in conn.run_on_commit):
        return  # a drain is already due when this transaction commits
    transaction.on_commit(_DrainTrigger())


def _shared_cache() -> bool:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return not backend.endswith(_LOCAL_CACHES)


def _trigger_drain() -> None:
    from stagekans.notifications.tasks import drain_outbox

    if _shared_cache():
        try:
            if not cache.add(DRAIN_QUEUED_FLAG, "1", timeout=DRAIN_QUEUED_TTL):
                return  # a drain task is queued and has not started: it will see this mail
        except Exception:  # cache down: rather one task too many than a mail left waiting
            logger.warning("outbox: cache unavailable, queueing a drain task anyway")
    try:
        drain_outbox.delay()
    except Exception:  # broker down: the beat safety net and worker start drain later
        logger.exception("could not queue notifications.drain_outbox; the beat will retry")


def drain_started() -> None:
    """Called by the drain task when it starts: the next commit may queue a new task."""
    if _shared_cache():
        with contextlib.suppress(Exception):
            cache.delete(DRAIN_QUEUED_FLAG)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, … minutes, at most one hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


_local_drain_lock = threading.Lock()


@contextlib.contextmanager
def drain_lock() -> Iterator[bool]:
    """Yield True when this process may drain now (no other drain is running)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [DRAIN_LOCK_KEY])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [DRAIN_LOCK_KEY])
        return
    acquired = _local_drain_lock.acquire(blocking=False)
    try:
        yield acquired
    finally:
        if acquired:
            _local_drain_lock.release()


def _due() -> Any:
    return OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())


def _claim(batch_size: int) -> dict[int, int]:
    """Record one more attempt on a batch of due rows, in its own committed transaction.

    Returns {id: attempts}. The rows' next attempt moves to the back-off moment now, so a row
    whose send never finishes (the worker died) is retried after the back-off and counted.
    """
    with transaction.atomic():
        qs = _due().order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        else:
            qs = qs.select_for_update()
        rows = list(qs.values_list("id", "attempts")[:batch_size])
        by_attempts: dict[int, list[int]] = defaultdict(list)
        for pk, attempts in rows:
            by_attempts[attempts + 1].append(pk)
        now = timezone.now()
        for attempts, ids in by_attempts.items():
            OutboxMessage.objects.filter(pk__in=ids).update(
                attempts=attempts, next_attempt_at=now + backoff(attempts)
            )
            if attempts > ALERT_AFTER_ATTEMPTS:
                logger.error(
                    "outbox messages %s: attempt %s (earlier attempts failed or did not finish)",
                    ids[:20],
                    attempts,
                )
    return {pk: attempts + 1 for pk, attempts in rows}


class _Sender:
    """One SMTP connection for a whole drain; reopened after an error."""

    def __init__(self) -> None:
        self.backend: Any = get_connection(fail_silently=False)
        self.is_open = False
        self.broken: Exception | None = None

    def send(self, message: EmailMessage) -> None:
        if self.broken is not None:
            raise self.broken
        if not self.is_open:
            try:
                self.backend.open()
            except Exception as error:  # server unreachable: fail the rest of this drain fast
                self.broken = error
                raise
            self.is_open = True
        try:
            self.backend.send_messages([message])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.is_open:
            with contextlib.suppress(Exception):
                self.backend.close()
        self.is_open = False


class _Compat32FoldCache(Compat32):
    """The standard header folding (compat32, what Django's messages use), remembered per
    value: a national mailing repeats its subject, sender and MIME headers in every message,
    and folding them again is most of the CPU time of turning a message into bytes. The bytes
    are the same as without the cache (the folding of a str is a pure function)."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if isinstance(value, str):
            return _fold_str(self.linesep, self.max_line_length, sanitize, name, value)
        return super()._fold(name, value, sanitize)  # type: ignore[misc]


_COMPAT32 = Compat32()


@functools.lru_cache(maxsize=2048)
def _fold_str(
    linesep: str, max_line_length: int | None, sanitize: bool, name: str, value: str
) -> str:
    policy = _COMPAT32.clone(linesep=linesep, max_line_length=max_line_length)
    return Compat32._fold(policy, name, value, sanitize)  # type: ignore[attr-defined]


_FOLD_CACHE_POLICY = _Compat32FoldCache()


class _OutboxEmail(EmailMessage):
    """An EmailMessage whose MIME message folds its headers through `_FOLD_CACHE_POLICY`."""

    def message(self, **kwargs: Any) -> Any:
        msg = super().message(**kwargs)
        msg.policy = _FOLD_CACHE_POLICY
        return msg


def _send_slice(sender: _Sender, messages: list[tuple[int, EmailMessage]]) -> list[tuple[int, str]]:
    """Send some messages in order over one connection; returns [(id, error or "")]."""
    results: list[tuple[int, str]] = []
    for pk, message in messages:
        try:
            sender.send(message)
        except Exception as error:
            results.append((pk, f"{type(error).__name__}: {error}"[:2000]))
            continue
        results.append((pk, ""))
    return results


def _send_all(
    senders: list[_Sender], messages: list[tuple[int, EmailMessage]]
) -> list[tuple[int, str]]:
    """Send a batch over several SMTP connections at once: most of a send is waiting for the
    server's replies, so a few connections in threads overlap those waits. Each connection
    sends its share in order; with one connection (small batches) nothing runs in a thread."""
    wanted = max(1, min(len(senders), len(messages) // MIN_MESSAGES_PER_CONNECTION))
    if wanted == 1:
        return _send_slice(senders[0], messages)
    slices = [messages[i::wanted] for i in range(wanted)]
    with ThreadPoolExecutor(max_workers=wanted, thread_name_prefix="outbox-smtp") as pool:
        parts = list(pool.map(_send_slice, senders[:wanted], slices))
    return [result for part in parts for result in part]


def _send_batch(claimed: dict[int, int], senders: list[_Sender]) -> int:
    """Send the claimed rows that nobody else took meanwhile; returns how many were sent."""
    sent_ids: list[int] = []
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(pk__in=list(claimed), sent_at__isnull=True).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        else:
            qs = qs.select_for_update()
        attempts: dict[int, int] = {}
        outgoing: list[tuple[int, EmailMessage]] = []
        for message in qs.only("id", "to", "subject", "body", "attempts"):
            if message.attempts != claimed[message.pk]:
                continue  # claimed again by another drain after a lease ran out
            attempts[message.pk] = message.attempts
            outgoing.append(
                (
                    message.pk,
                    _OutboxEmail(
                        subject=message.subject,
                        body=message.body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[message.to],
                    ),
                )
            )
        for pk, last_error in _send_all(senders, outgoing):
            if not last_error:
                sent_ids.append(pk)
                continue
            OutboxMessage.objects.filter(pk=pk).update(last_error=last_error)
            log = logger.error if attempts[pk] >= ALERT_AFTER_ATTEMPTS else logger.warning
            log("outbox message %s failed (attempt %s): %s", pk, attempts[pk], last_error)
        if sent_ids:
            OutboxMessage.objects.filter(pk__in=sent_ids).update(
                sent_at=timezone.now(), last_error=""
            )
    return len(sent_ids)


def send_due(*, limit: int | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Send every due outbox row (at most `limit`), in batches. Returns how many were sent.

    Per batch: the attempt is committed first (`_claim`), then the batch is sent over a few
    SMTP connections at once with its rows locked, and marked sent in that transaction. If the
    worker dies mid-send, the rows are owed again after the back-off and the attempt is counted.
    """
    sent = 0
    handled = 0
    senders = [_Sender() for _ in range(max(1, int(settings.OUTBOX_SMTP_CONNECTIONS)))]
    try:
        while limit is None or handled < limit:
            size = batch_size if limit is None else min(batch_size, limit - handled)
            claimed = _claim(size)
            if not claimed:
                break
            handled += len(claimed)
            sent += _send_batch(claimed, senders)
            if any(sender.broken is not None for sender in senders):
                break  # the mail server is unreachable: the rest waits for the back-off
    finally:
        for sender in senders:
            sender.close()
    return sent


def drain() -> int:
    """The drain task's work: send what is due unless another drain runs; returns mails sent.

    After releasing the lock it looks once more, so a mail committed while the other drain was
    finishing is not left for the beat.
    """
    total = 0
    for _round in range(3):
        with drain_lock() as acquired:
            if not acquired:
                return total
            total += send_due()
        if not _due().exists():
            break
    return total


@transaction.atomic
def record_outbox_view(*, acting_user: Any, message: OutboxMessage) -> None:
    """Reading a mail's text is reading personal data: audited, like every other such view."""
    from stagekans.audit.models import AuditEvent
    from stagekans.audit.services import record

    record(
        actor=acting_user,
        event=AuditEvent.OUTBOX_MESSAGE_VIEWED,
        obj=message,
        details={"to_domain": message.to.rsplit("@", 1)[-1]},
    )
