"""The outbox: write mails in the business transaction, send them after commit.

Sending (`send_due`) works in batches: claim a batch with `SELECT … FOR UPDATE SKIP LOCKED`
and record the attempt in its own committed transaction (so a mail that crashes the worker is
counted and eventually alerts), then send the batch over a few mail connections at once
(threads overlap the waits for the server's replies) while the rows stay locked, and mark them
sent, with a fixed number of queries per batch. Over SMTP the mails go out as bytes built
without Django's MIME objects and pipelined (notifications/smtp.py). One drain runs at a time
(a PostgreSQL advisory lock); each business transaction queues at most one drain task, and with
a shared cache at most one drain task waits in the broker at any moment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection, transaction
from django.db.models import F, Lookup, Q
from django.utils import timezone

from stagekans.notifications import smtp
from stagekans.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many attempts every further failure (or unfinished attempt) is logged as an ERROR
# (for alerting); the message is still retried every hour: mail about a decision must never be
# dropped.
ALERT_AFTER_ATTEMPTS = 10
BATCH_SIZE = 500
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


class _AnyOf(Lookup):
    """`column = ANY(%s::bigint[])`: one parameter for a whole batch of keys, where `IN (%s, …)`
    makes psycopg parse a statement of a thousand placeholders per batch (PostgreSQL only)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = compiler.compile(self.lhs)
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, list(self.rhs))


def _pk_in(ids: list[int]) -> Any:
    if connection.vendor == "postgresql":
        return _AnyOf(F("pk"), ids)
    return Q(pk__in=ids)


def _due() -> Any:
    return OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())


@dataclass(frozen=True, slots=True)
class _Claimed:
    """A due row claimed for this attempt, with what is needed to send it."""

    pk: int
    attempts: int
    to: str
    subject: str
    body: str


def _claim(batch_size: int) -> list[_Claimed]:
    """Record one more attempt on a batch of due rows, in its own committed transaction.

    The rows' next attempt moves to the back-off moment now, so a row whose send never
    finishes (the worker died) is retried after the back-off and counted. One SELECT (rows
    locked with SKIP LOCKED, their text included) and one UPDATE per distinct attempt count
    (normally one), whatever the batch size.
    """
    with transaction.atomic():
        qs = _due().order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        else:
            qs = qs.select_for_update()
        rows = list(qs.values_list("id", "attempts", "to", "subject", "body")[:batch_size])
        by_attempts: dict[int, list[int]] = defaultdict(list)
        for pk, attempts, *_text in rows:
            by_attempts[attempts + 1].append(pk)
        now = timezone.now()
        for attempts, ids in by_attempts.items():
            OutboxMessage.objects.filter(_pk_in(ids)).update(
                attempts=attempts, next_attempt_at=now + backoff(attempts)
            )
            if attempts > ALERT_AFTER_ATTEMPTS:
                logger.error(
                    "outbox messages %s: attempt %s (earlier attempts failed or did not finish)",
                    ids[:20],
                    attempts,
                )
    return [_Claimed(pk, tries + 1, to, subject, body) for pk, tries, to, subject, body in rows]


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


class _Sender:
    """One mail connection for a whole drain; reopened after an error.

    With Django's SMTP backend the mails go out as bytes over its `smtplib` connection
    (`smtp.message_bytes`, `smtp.send_pipelined`: the same bytes and envelope the backend
    would send, with less work and fewer round trips); any other backend (locmem in tests,
    console, file) gets Django messages through `send_messages`.
    """

    def __init__(self) -> None:
        self.backend: Any = get_connection(fail_silently=False)
        self.raw_smtp = type(self.backend) is SmtpBackend
        self.is_open = False
        self.broken: Exception | None = None

    def open(self) -> None:
        if self.broken is not None:
            raise self.broken
        if not self.is_open:
            try:
                self.backend.open()
            except Exception as error:  # server unreachable: fail the rest of this drain fast
                self.broken = error
                raise
            self.is_open = True

    def close(self) -> None:
        if self.is_open:
            with contextlib.suppress(Exception):
                self.backend.close()
        self.is_open = False

    def send_slice(self, mails: list[_Claimed]) -> list[tuple[int, str]]:
        """Send some mails in order over this connection; returns [(id, error or "")]."""
        if self.raw_smtp:
            return self._send_raw(mails)
        results: list[tuple[int, str]] = []
        for mail in mails:
            try:
                self.open()
            except Exception as error:
                results.append((mail.pk, _describe(error)))
                continue
            message = smtp.OutboxEmail(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mail.to],
            )
            try:
                self.backend.send_messages([message])
            except Exception as error:
                self.close()
                results.append((mail.pk, _describe(error)))
                continue
            results.append((mail.pk, ""))
        return results

    def _send_raw(self, mails: list[_Claimed]) -> list[tuple[int, str]]:
        results: list[tuple[int, str]] = []
        from_email = settings.DEFAULT_FROM_EMAIL
        deliveries: list[smtp.Delivery] = []
        for mail in mails:
            try:
                content = smtp.message_bytes(
                    to=mail.to, subject=mail.subject, body=mail.body, from_email=from_email
                )
                recipient = smtp.envelope_address(mail.to)
            except Exception as error:  # e.g. a header with a newline: this mail only
                results.append((mail.pk, _describe(error)))
                continue
            deliveries.append(smtp.Delivery(mail.pk, recipient, content))
        while deliveries:
            try:
                self.open()
            except Exception as error:
                results.extend((d.pk, _describe(error)) for d in deliveries)
                break
            try:
                done, handled = smtp.send_pipelined(
                    self.backend.connection, sender=from_email, deliveries=deliveries
                )
            except Exception as error:  # not an SMTP reply: give up on this connection
                self.close()
                results.extend((d.pk, _describe(error)) for d in deliveries)
                break
            results.extend(done)
            if handled < len(deliveries):  # the connection was lost: reconnect for the rest
                self.close()
            deliveries = deliveries[handled:]
        return results


def _send_all(senders: list[_Sender], mails: list[_Claimed]) -> list[tuple[int, str]]:
    """Send a batch over several connections at once: much of a send is waiting for the
    server's replies, so a few connections in threads overlap those waits. Each connection
    sends its share in order; with one connection (small batches) nothing runs in a thread."""
    wanted = max(1, min(len(senders), len(mails) // MIN_MESSAGES_PER_CONNECTION))
    if wanted == 1:
        return senders[0].send_slice(mails)
    slices = [mails[i::wanted] for i in range(wanted)]
    with ThreadPoolExecutor(max_workers=wanted, thread_name_prefix="outbox-smtp") as pool:
        parts = list(pool.map(_Sender.send_slice, senders[:wanted], slices))
    return [result for part in parts for result in part]


def _send_batch(claimed: list[_Claimed], senders: list[_Sender]) -> int:
    """Send the claimed rows that nobody else took meanwhile; returns how many were sent.

    One SELECT locks the rows (SKIP LOCKED), one UPDATE marks the sent ones, and one UPDATE per
    distinct error records the failures: the queries do not grow with the batch.
    """
    with transaction.atomic():
        qs = OutboxMessage.objects.filter(
            _pk_in([mail.pk for mail in claimed]), sent_at__isnull=True
        ).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        else:
            qs = qs.select_for_update()
        current = dict(qs.values_list("id", "attempts"))
        # a row claimed again by another drain after a lease ran out has a newer attempt
        outgoing = [mail for mail in claimed if current.get(mail.pk) == mail.attempts]
        attempts = {mail.pk: mail.attempts for mail in outgoing}
        sent_ids: list[int] = []
        failed: dict[str, list[int]] = defaultdict(list)
        for pk, last_error in _send_all(senders, outgoing):
            if last_error:
                failed[last_error].append(pk)
            else:
                sent_ids.append(pk)
        for last_error, ids in failed.items():
            OutboxMessage.objects.filter(_pk_in(ids)).update(last_error=last_error)
            alerting = [pk for pk in ids if attempts[pk] >= ALERT_AFTER_ATTEMPTS]
            retrying = [pk for pk in ids if attempts[pk] < ALERT_AFTER_ATTEMPTS]
            for log, group in ((logger.error, alerting), (logger.warning, retrying)):
                if group:
                    log(
                        "outbox messages %s (%d, attempts %s) failed: %s",
                        group[:20],
                        len(group),
                        sorted({attempts[pk] for pk in group}),
                        last_error,
                    )
        if sent_ids:
            OutboxMessage.objects.filter(_pk_in(sent_ids)).update(
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
