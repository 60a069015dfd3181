"""kill -9 of the Celery worker while it drains 100 mails to an SMTP server: none is lost.

The outbox commits each attempt first and marks rows sent when the SMTP server accepted them;
a worker killed before that commit leaves its rows owed, and they go out again after the
back-off (one minute), when the beat's next drain finds them. Mails the SMTP server had already
accepted are then sent a second time: duplicates are possible, and are counted and reported
(`[fault-test]` line); a lost mail is a failure. The test runs a worker and a beat, as
production does (README: exactly one beat).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.faults.conftest import PYTHON, REPO_ROOT, app_env, report_summary, wait_until

pytestmark = pytest.mark.faults

MAILS = 100
KILL_AFTER = 25  # kill -9 the worker once this many mails have arrived

ENQUEUE = f"""
import django
django.setup()
from django.db import transaction
from stagekans.notifications.services import enqueue_mail
with transaction.atomic():
    for i in range({MAILS}):
        enqueue_mail(
            to=f"ontvanger{{i}}@example.nl",
            subject=f"fault-mail {{i:03d}}",
            body="Storingstest: deze mail moet precies een keer aankomen.",
        )
"""


def _celery(env: dict[str, str], name: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = Path(tempfile.mkstemp(prefix=f"celery-{name}-", suffix=".log")[1])
    if name == "beat":
        args = ["beat", "-s", str(log.with_suffix(".schedule")), "--loglevel=INFO"]
    else:
        args = [
            "worker", "--pool=solo", "-n", f"{name}-{os.getpid()}@%h", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        ]  # fmt: skip
    proc = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "stagekans", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    return proc, log


def test_kill_9_of_the_worker_while_draining_loses_no_mail(request, database, own_redis, smtp_sink):
    sink, smtp_port = smtp_sink
    env = app_env(
        database_url=database, redis_url=own_redis.url, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}"
    )
    subprocess.run([PYTHON, "-c", ENQUEUE], cwd=REPO_ROOT, env=env, check=True, timeout=120)
    with psycopg.connect(database) as conn:
        (owed,) = conn.execute(  # type: ignore[misc]
            "SELECT count(*) FROM notifications_outboxmessage WHERE sent_at IS NULL"
        ).fetchone()
    assert owed == MAILS

    workers: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        workers.append(_celery(env, "beat"))
        workers.append(_celery(env, "w0"))
        wait_until(lambda: len(sink.subjects) >= KILL_AFTER, f"{KILL_AFTER} mails", 120)
        proc = workers[-1][0]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        killed_at = time.monotonic()
        arrived_at_kill = len(sink.subjects)
        assert arrived_at_kill < MAILS, "the worker finished before it could be killed"
        time.sleep(0.5)
        workers.append(_celery(env, "w1"))

        def all_sent() -> bool:
            with psycopg.connect(database) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM notifications_outboxmessage WHERE sent_at IS NULL"
                ).fetchone()
            return row is not None and row[0] == 0

        wait_until(all_sent, "every outbox row marked sent", 300)
        recovered_after = time.monotonic() - killed_at
        wait_until(lambda: len(set(sink.subjects)) >= MAILS, "every mail at the SMTP server", 30)
    except AssertionError:
        logs = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for _p, log in workers)
        raise AssertionError(f"received {len(sink.subjects)} mails\n{logs}") from None
    finally:
        for proc, _log in workers:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()

    expected = {f"fault-mail {i:03d}" for i in range(MAILS)}
    received = sink.subjects
    unique = set(received)
    duplicates = len(received) - len(unique)
    twice = ", ".join(sorted(s for s in unique if received.count(s) > 1)) or "none"
    report_summary(
        request,
        f"{MAILS} mails, kill -9 of the worker after {arrived_at_kill} had arrived: "
        f"{len(unique & expected)} arrived, {len(expected - unique)} lost, {duplicates} "
        f"duplicate(s) ({twice}); all sent {recovered_after:.0f} s after the kill",
    )
    assert unique == expected, f"lost: {sorted(expected - unique)}"
    # Only mails that had arrived before the kill can arrive again, and only once.
    assert duplicates <= arrived_at_kill
    assert max(received.count(s) for s in unique) <= 2
