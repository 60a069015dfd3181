"""The outbox at volume: bulk enqueue, batches over a few reused connections, attempts that
survive a crash (issue 10 finding 9), one drain at a time, constant queries per batch."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from celery.signals import before_task_publish
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stagekans.notifications import services, smtp
from stagekans.notifications.models import OutboxMessage
from stagekans.notifications.tests.backends import CountingBackend, WorkerCrash

pytestmark = pytest.mark.django_db

BACKENDS = "stagekans.notifications.tests.backends"


def _enqueue(n: int, prefix: str = "m") -> None:
    with transaction.atomic():
        services.enqueue_mails(
            services.Mail(
                to=f"{prefix}{i}@example.nl", subject=f"s{i}", body="b", dedup_key=f"{prefix}:{i}"
            )
            for i in range(n)
        )


def test_an_attempt_that_crashes_the_worker_is_counted_and_alerts(settings, caplog):
    """Finding 9: the attempt is committed before the send, so a mail that kills the worker is
    counted on every try and, after ALERT_AFTER_ATTEMPTS, logged as an ERROR."""
    settings.EMAIL_BACKEND = f"{BACKENDS}.CrashingBackend"
    with transaction.atomic():
        message = services.enqueue_mail(to="a@example.nl", subject="Besluit", body="...")
    with pytest.raises(WorkerCrash):
        services.send_due()
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is None
    assert message.next_attempt_at > timezone.now()  # not retried in a tight crash loop
    assert services.send_due() == 0  # backing off

    caplog.set_level(logging.WARNING, logger="stagekans.notifications.services")
    for _ in range(services.ALERT_AFTER_ATTEMPTS):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        with pytest.raises(WorkerCrash):
            services.send_due()
    message.refresh_from_db()
    assert message.attempts == services.ALERT_AFTER_ATTEMPTS + 1
    assert [r for r in caplog.records if r.levelname == "ERROR" and str(message.pk) in r.message]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert services.send_due() == 1
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == services.ALERT_AFTER_ATTEMPTS + 2
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("connections", [1, 4])
def test_batches_reuse_a_few_connections_for_the_whole_drain(settings, connections):
    """Each of OUTBOX_SMTP_CONNECTIONS connections is opened once per drain and sends its share
    of every batch; nothing is sent twice or left out."""
    settings.EMAIL_BACKEND = f"{BACKENDS}.CountingBackend"
    settings.OUTBOX_SMTP_CONNECTIONS = connections
    CountingBackend.opened = 0
    _enqueue(450)
    assert services.send_due(batch_size=200) == 450
    assert CountingBackend.opened == connections
    assert len(mail.outbox) == 450
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"m{i}@example.nl" for i in range(450))
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_a_small_batch_uses_one_connection(settings):
    settings.EMAIL_BACKEND = f"{BACKENDS}.CountingBackend"
    CountingBackend.opened = 0
    _enqueue(services.MIN_MESSAGES_PER_CONNECTION)
    assert services.send_due() == services.MIN_MESSAGES_PER_CONNECTION
    assert CountingBackend.opened == 1


@pytest.mark.parametrize("n", [20, 400])
def test_queries_per_drain_do_not_grow_with_the_number_of_mails(n, settings):
    _enqueue(n)
    with CaptureQueriesContext(connection) as queries:
        assert services.send_due(batch_size=1000) == n
    # claim (select + update), lock + mark sent, final empty claim; savepoints aside
    statements = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= 6, [q["sql"][:80] for q in statements]


@pytest.mark.parametrize("n", [10, 1500])
def test_enqueue_mails_is_set_based(n):
    _enqueue(5)  # already there
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        written = services.enqueue_mails(
            [services.Mail(to=f"m{i}@example.nl", subject="s", body="b", dedup_key=f"m:{i}")
             for i in range(n)]
            + [services.Mail(to="x@example.nl", subject="s", body="b", dedup_key="m:0")]
        )  # fmt: skip
    assert written == n - 5
    assert OutboxMessage.objects.count() == n
    statements = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    inserts = [q for q in statements if q["sql"].startswith("INSERT")]
    # one dedup look-up and one INSERT per chunk of 2,000 (SQLite splits an INSERT at its
    # parameter limit; PostgreSQL does not)
    rows_per_insert = connection.ops.bulk_batch_size(
        [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key], [None] * n
    )
    assert len(inserts) == -(-(n - 5) // rows_per_insert)
    assert len(statements) - len(inserts) <= 1 + n // 2000


def test_rerun_of_a_bulk_enqueue_writes_nothing():
    _enqueue(30)
    with transaction.atomic():
        assert (
            services.enqueue_mails(
                services.Mail(to=f"m{i}@example.nl", subject="s", body="b", dedup_key=f"m:{i}")
                for i in range(30)
            )
            == 0
        )
    assert OutboxMessage.objects.count() == 30


def test_one_transaction_queues_one_drain(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for i in range(50):
            services.enqueue_mail(to=f"a{i}@example.nl", subject="s", body="b")
        services.enqueue_mails([services.Mail(to="b@example.nl", subject="s", body="b")])
    assert len(callbacks) == 1


def test_with_a_shared_cache_at_most_one_drain_task_waits(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """100 committed transactions while no worker runs: one task in the broker, not 100."""
    from stagekans.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    published: list[str] = []

    def count(sender: str | None = None, **kwargs: object) -> None:
        published.append(str(sender))

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="memory://", task_always_eager=False)
    before_task_publish.connect(count, weak=False)
    try:
        for i in range(100):
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                services.enqueue_mail(to=f"a{i}@example.nl", subject="s", body="b")
        assert published.count("notifications.drain_outbox") == 1
        services.drain_started()  # the worker picks the task up …
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.enqueue_mail(to="late@example.nl", subject="s", body="b")
        assert published.count("notifications.drain_outbox") == 2  # … so a new mail queues one
    finally:
        before_task_publish.disconnect(count)
        app.conf.update(saved)


def test_a_second_drain_waits_for_the_first():
    """Another worker (here a thread with its own database connection) cannot drain while one
    drain holds the lock, and can once it is released."""
    import threading

    from django.db import connections

    def try_lock(results: list[bool]) -> None:
        try:
            with services.drain_lock() as acquired:
                results.append(acquired)
        finally:
            connections.close_all()

    _enqueue(3)
    while_held: list[bool] = []
    after: list[bool] = []
    with services.drain_lock() as first:
        assert first
        thread = threading.Thread(target=try_lock, args=(while_held,))
        thread.start()
        thread.join()
    thread = threading.Thread(target=try_lock, args=(after,))
    thread.start()
    thread.join()
    assert while_held == [False] and after == [True]
    assert services.drain() == 3


@pytest.mark.parametrize(
    "subject",
    [
        "Nieuw in uw informatiepakket: 'Veiligheid voor praktijkopleiders'",
        "Herinnering: lees de hand-out 'Werving en selectie' — geüpload op één dag",
        "Een heel lang onderwerp " * 8,
        "kort",
    ],
)
def test_cached_header_folding_gives_the_same_bytes(subject):
    """The drain folds repeated headers once (smtp.OutboxEmail); the bytes sent must equal
    those of a plain Django message."""
    from django.core.mail import EmailMessage

    fixed = {"Date": "Tue, 01 Dec 2026 23:00:00 -0000", "Message-ID": "<1@stagekans.test>"}
    for to in ("a@example.nl", "Ëlla <ella@exämple.nl>"):
        kwargs = {"subject": subject, "body": "Beste,\n\nTekst met é.\n", "to": [to]}
        django_message: Any = EmailMessage(headers=fixed, **kwargs).message()
        plain = django_message.as_bytes(linesep="\r\n")
        for _ in range(2):  # the second time from the cache
            cached: Any = smtp.OutboxEmail(headers=fixed, **kwargs).message()
            assert cached.as_bytes(linesep="\r\n") == plain
