"""Fault tests: real PostgreSQL, Redis, gunicorn, Celery and SMTP, each started by the test.

Every run starts its OWN PostgreSQL (initdb into a temporary directory, another port) and its own
Redis (another port), so it may stop, kill and restart them without touching the shared
services on 5432/6379. The tests are marked `faults`: `make test` leaves them out, `.ci/run`
runs them (`pytest -m faults tests/faults`).

The application runs in subprocesses (gunicorn, celery) with production settings as far as
plain HTTP on loopback allows (tests/faults/fault_settings.py); the tests talk HTTP to it and
check the outcome in the database with psycopg, as an operator would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("STAGEKANS_PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: S110 - still starting: try again
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root; CI and the dev machines run as root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class OwnPostgres:
    """A throw-away PostgreSQL cluster in a temporary directory on a free port."""

    root: Path
    port: int
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        cmd = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args]
        subprocess.run(_as_postgres_user(cmd), check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if not (PG_BIN / "initdb").exists():
            pytest.skip(f"PostgreSQL server binaries missing in {PG_BIN}")
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        cmd = [
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        ]  # fmt: skip
        subprocess.run(_as_postgres_user(cmd), check=True, capture_output=True, timeout=120)
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c fsync=on -c max_connections=100"
        )
        self.options = options

    def start(self) -> None:
        self._ctl("-o", self.options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._ctl("-o", self.options, "-m", mode, "-w", "-t", "60", "restart")

    def is_up(self) -> bool:
        try:
            with psycopg.connect(self.url(), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False


@dataclass
class OwnRedis:
    root: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            pytest.skip("redis-server missing")
        self.proc = subprocess.Popen(
            [
                redis_server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.ping, "redis")

    def ping(self) -> bool:
        import redis

        return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None


@pytest.fixture(scope="session")
def own_postgres() -> Iterator[OwnPostgres]:
    """One cluster for the session, with a migrated template database `stagekans_template`."""
    root = Path(tempfile.mkdtemp(prefix="stagekans-faults-pg-"))
    pg = OwnPostgres(root=root, port=free_port())
    pg.init()
    pg.start()
    try:
        with psycopg.connect(pg.url(), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "stagekans_template"')
        env = app_env(database_url=pg.url("stagekans_template"))
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            timeout=900,
        )
        yield pg
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def database(own_postgres: OwnPostgres, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database for one test (a copy of the template); its URL."""
    name = f"fault_{request.node.name[:40].lower()}_{os.getpid()}".replace("-", "_")
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    with psycopg.connect(own_postgres.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "stagekans_template"')
    yield own_postgres.url(name)
    if own_postgres.is_up():
        with psycopg.connect(own_postgres.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    root = Path(tempfile.mkdtemp(prefix="stagekans-faults-redis-"))
    redis = OwnRedis(root=root, port=free_port())
    redis.start()
    yield redis
    redis.stop()
    shutil.rmtree(root, ignore_errors=True)


def app_env(*, database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{Path(__file__).parent}{os.pathsep}{REPO_ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "DJANGO_SECRET_KEY": "fault-tests-" + "k" * 60,
        "BACKGROUND_PSEUDONYM_KEY": "fault-tests-" + "p" * 40,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url or "redis://127.0.0.1:1/0",
        "CACHE_URL": redis_url or "locmemcache://",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STAGEKANS_TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


@pytest.fixture(scope="session")
def static_root() -> Iterator[Path]:
    """collectstatic once (production settings use the hashed-name manifest)."""
    root = Path(tempfile.mkdtemp(prefix="stagekans-faults-static-"))
    env = app_env(database_url="sqlite:///:memory:", STATIC_ROOT=str(root))
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    yield root
    shutil.rmtree(root, ignore_errors=True)


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.proc = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "stagekans.wsgi", "-b", f"127.0.0.1:{self.port}",
                "-w", str(workers), "--timeout", "60", "--graceful-timeout", "5",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{self.port}"
        import requests

        wait_until(
            lambda: requests.get(f"{self.base}/healthz", timeout=2).status_code == 200,
            "gunicorn",
        )

    def tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture
def gunicorn_factory(static_root: Path) -> Iterator[Callable[..., Gunicorn]]:
    started: list[Gunicorn] = []

    def start(env: dict[str, str], workers: int = 2) -> Gunicorn:
        server = Gunicorn({**env, "STATIC_ROOT": str(static_root)}, workers)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


class SmtpSink:
    """aiosmtpd handler that records each accepted message; slow on purpose, so a worker can
    be killed while it is in the middle of draining."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.subjects: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        from email import message_from_bytes
        from email.header import decode_header, make_header

        message = message_from_bytes(envelope.original_content or envelope.content)
        subject = str(make_header(decode_header(message.get("Subject", ""))))
        with self.lock:
            self.subjects.append(subject)
        return "250 OK"


@pytest.fixture
def smtp_sink() -> Iterator[tuple[SmtpSink, int]]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink(delay=0.05)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


def report_summary(request: pytest.FixtureRequest, text: str) -> None:
    """Print a line that ends up in the CI log (and in the JUnit properties)."""
    request.node.user_properties.append(("summary", text))
    sys.stderr.write(f"\n[fault-test] {request.node.name}: {text}\n")
