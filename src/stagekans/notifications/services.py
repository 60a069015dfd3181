"""The outbox: write mails in the business transaction, send them after commit."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from stagekans.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# After this many failed attempts every further failure is logged as an ERROR (for alerting);
# the message is still retried every hour: mail about a decision must never be dropped.
ALERT_AFTER_ATTEMPTS = 10


def enqueue_mail(
    *, to: str, subject: str, body: str, dedup_key: str | None = None
) -> OutboxMessage:
    """Write one mail to the outbox inside the caller's transaction.

    The mail leaves only when that transaction commits (a rollback removes it with everything
    else). `dedup_key` makes enqueueing idempotent: a second call with the same key is a no-op.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue_mail() must be called inside the business transaction")
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
    transaction.on_commit(_trigger_drain)
    return message


def forget_mails(*, dedup_keys: list[str]) -> int:
    """Retention: delete outbox rows (sent or owed) that carry personal data, by dedup key."""
    if not dedup_keys:
        return 0
    deleted, _ = OutboxMessage.objects.filter(dedup_key__in=dedup_keys).delete()
    return deleted


def _trigger_drain() -> None:
    from stagekans.notifications.tasks import drain_outbox

    try:
        drain_outbox.delay()
    except Exception:  # broker down: the beat safety net and worker start drain later
        logger.exception("could not queue notifications.drain_outbox; the beat will retry")


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, … minutes, at most one hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _claim_one() -> OutboxMessage | None:
    qs = OutboxMessage.objects.filter(
        sent_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    else:
        qs = qs.select_for_update()
    return qs.first()


def send_due(*, limit: int = 500) -> int:
    """Send due outbox rows, one row per transaction. Returns how many were sent.

    The row stays locked while it is sent, so a second worker skips it; if this worker dies
    mid-send, the transaction rolls back and the row is owed again.
    """
    sent = 0
    for _ in range(limit):
        with transaction.atomic():
            message = _claim_one()
            if message is None:
                break
            message.attempts += 1
            try:
                EmailMessage(
                    subject=message.subject,
                    body=message.body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[message.to],
                ).send(fail_silently=False)
            except Exception as error:
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.next_attempt_at = timezone.now() + backoff(message.attempts)
                message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                log = logger.error if message.attempts >= ALERT_AFTER_ATTEMPTS else logger.warning
                log(
                    "outbox message %s failed (attempt %s): %s",
                    message.pk,
                    message.attempts,
                    message.last_error,
                )
                continue
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "last_error", "sent_at"])
            sent += 1
    return sent


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
