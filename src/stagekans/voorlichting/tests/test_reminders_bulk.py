"""Voorlichting reminders at volume: keyset chunks, set-based duplicate check, same mails as one
at a time, resume after a crash, constant queries per chunk."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stagekans.jobs.models import BackgroundJob, JobState
from stagekans.notifications import services as outbox
from stagekans.notifications.models import OutboxMessage
from stagekans.testing import factories as f
from stagekans.voorlichting import selectors, services

pytestmark = pytest.mark.django_db


def reference_reminders(now: Any) -> None:
    """Before issue 18: every owing student in a list, one enqueue_mail (and look-up) each."""
    text = selectors.current_text(now)
    year, week, _weekday = timezone.localdate(now).isocalendar()
    with transaction.atomic():
        for student in list(selectors.not_informed_with_login()):
            mail = services.reminder_mail(
                email=student.user.email if student.user else "",
                given_name=student.given_name,
                student_id=student.pk,
                version=text.version,
                week=f"{year}-W{week:02d}",
            )
            outbox.enqueue_mail(
                to=mail.to, subject=mail.subject, body=mail.body, dedup_key=mail.dedup_key
            )


def _students(n: int) -> None:
    for _ in range(n):
        f.student_user(f.StudentFactory())


def _mails() -> list[tuple[str, str, str, str | None]]:
    return sorted(OutboxMessage.objects.values_list("to", "subject", "body", "dedup_key"))


class _Rollback(Exception):
    pass


def test_same_mails_as_one_at_a_time_and_no_second_mail_in_a_week():
    _students(7)
    reader = f.StudentFactory()
    services.acknowledge(
        acting_user=f.student_user(reader), student=reader, text=selectors.current_text()
    )
    now = timezone.now()
    with pytest.raises(_Rollback), transaction.atomic():
        reference_reminders(now)
        expected = _mails()
        raise _Rollback
    assert services.send_reminders(now=now, batch=3) == 7
    assert _mails() == expected
    job = BackgroundJob.objects.get(kind=services.REMINDER_JOB)
    assert job.state == JobState.DONE and job.done == job.total == 7
    assert services.send_reminders(now=now, batch=3) == 0
    assert OutboxMessage.objects.count() == 7


def test_a_crash_keeps_whole_chunks_and_a_rerun_completes(monkeypatch):
    _students(7)
    real = outbox.enqueue_mails
    calls = {"n": 0}

    def crash_in_second_chunk(mails: Any, **kwargs: Any) -> int:
        calls["n"] += 1
        written = real(mails, **kwargs)  # the chunk's mails are written …
        if calls["n"] == 2:
            raise RuntimeError("worker died in chunk 2")  # … and rolled back with it
        return written

    monkeypatch.setattr(services, "enqueue_mails", crash_in_second_chunk)
    with pytest.raises(RuntimeError):
        services.send_reminders(batch=3)
    assert OutboxMessage.objects.count() == 3
    job = BackgroundJob.objects.get(kind=services.REMINDER_JOB)
    assert job.state == JobState.FAILED and job.done == 3 and "chunk 2" in job.last_error
    monkeypatch.setattr(services, "enqueue_mails", real)
    assert services.send_reminders(batch=3) == 4
    assert OutboxMessage.objects.count() == 7


def test_queries_do_not_grow_with_the_number_of_students():
    def run() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.send_reminders(batch=10_000)
        return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])

    _students(3)
    small = run()
    OutboxMessage.objects.all().delete()
    _students(60)
    large = run()
    assert large == small
