"""kill -9 of the Celery worker while it drains 100 mails to an SMTP server: none is lost.

The outbox sends one row per transaction and marks it sent after the SMTP server accepted it;
a worker killed between the SMTP "250 OK" and the commit sends that one mail again after the
restart. So duplicates are possible (at most one per kill) and are counted and reported; a
lost mail is a failure.
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
KILL_AFTER = (25, 60)  # kill -9 once this many mails have arrived, then again

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


def _worker(env: dict[str, str], name: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = Path(tempfile.mkstemp(prefix=f"celery-{name}-", suffix=".log")[1])
    proc = subprocess.Popen(
        [
            PYTHON, "-m", "celery", "-A", "stagekans", "worker", "--pool=solo",
            "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel=INFO",
        ],
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
    kills = 0
    try:
        workers.append(_worker(env, "w0"))
        for threshold in KILL_AFTER:
            wait_until(lambda t=threshold: len(sink.subjects) >= t, f"{threshold} mails", 120)
            proc = workers[-1][0]
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            kills += 1
            arrived_at_kill = len(sink.subjects)
            assert arrived_at_kill < MAILS, "the worker finished before it could be killed"
            time.sleep(0.5)
            workers.append(_worker(env, f"w{kills}"))

        def all_sent() -> bool:
            with psycopg.connect(database) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM notifications_outboxmessage WHERE sent_at IS NULL"
                ).fetchone()
            return row is not None and row[0] == 0

        wait_until(all_sent, "every outbox row marked sent", 180)
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
        f"{MAILS} mails, {kills} × kill -9 of the worker: {len(unique & expected)} arrived, "
        f"{len(expected - unique)} lost, {duplicates} duplicate(s) ({twice})",
    )
    assert unique == expected, f"lost: {sorted(expected - unique)}"
    # At most the one mail in flight per kill can arrive twice.
    assert duplicates <= kills
