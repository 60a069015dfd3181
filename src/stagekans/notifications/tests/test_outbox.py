"""The outbox in-process: written in the business transaction, sent after commit, retried."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from stagekans.notifications import services
from stagekans.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_enqueue_needs_a_transaction():
    with pytest.raises(RuntimeError):
        services.enqueue_mail(to="a@example.nl", subject="s", body="b")


def test_rollback_takes_the_mail_with_it():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.enqueue_mail(to="a@example.nl", subject="s", body="b")
        1 / 0  # noqa: B018
    assert not OutboxMessage.objects.exists()


def test_commit_triggers_the_drain_task_in_process(django_capture_on_commit_callbacks):
    # Embedded default: no broker, so the Celery task runs eagerly after commit.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.enqueue_mail(to="school@example.nl", subject="Onderwerp", body="Tekst")
    assert [m.to for m in mail.outbox] == [["school@example.nl"]]
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None and message.attempts == 1


def test_dedup_key_makes_enqueue_idempotent():
    with transaction.atomic():
        first = services.enqueue_mail(to="a@example.nl", subject="s", body="b", dedup_key="k1")
        second = services.enqueue_mail(to="a@example.nl", subject="s", body="b", dedup_key="k1")
    assert first.pk == second.pk
    assert services.send_due() == 1
    assert services.send_due() == 0
    assert len(mail.outbox) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_failed_send_keeps_the_row_for_a_retry_with_backoff(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    with transaction.atomic():
        services.enqueue_mail(to="a@example.nl", subject="s", body="b")
    assert services.send_due() == 0
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and message.attempts == 1
    assert "ConnectionRefused" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert services.send_due() == 0  # not due yet (backoff)
    assert OutboxMessage.objects.get().attempts == 1
    # the server is back and the backoff has passed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert services.send_due() == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2 and message.last_error == ""


def test_backoff_grows_and_is_capped():
    minutes = [services.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 10)]
    assert minutes == [1, 2, 4, 8, 60]


def test_beat_runs_the_drain_every_minute(settings):
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "notifications.drain_outbox"
    )
    assert entry["schedule"] == 60


def test_mail_is_never_dropped_after_many_failures(settings, caplog):
    """An SMTP outage longer than the back-off schedule must not lose a decision letter."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    with transaction.atomic():
        message = services.enqueue_mail(to="bedrijf@example.nl", subject="Besluit", body="...")
    for _ in range(services.ALERT_AFTER_ATTEMPTS + 2):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert services.send_due() == 0
    message.refresh_from_db()
    assert message.attempts == services.ALERT_AFTER_ATTEMPTS + 2 and message.sent_at is None
    assert any(r.levelname == "ERROR" for r in caplog.records)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert services.send_due() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
