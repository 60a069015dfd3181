"""Load benchmark: five journeys with locust against gunicorn on the national data set.

One command (from the repository root):

    .venv/bin/python bench/load/run.py [--results bench/RESULTS.md]

It migrates the database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/stagekans_bench,
created when missing), loads the demo data and the national data set (seed_national) when empty,
collects static files, starts gunicorn as in production (settings: bench/load/bench_settings.py =
production settings over plain HTTP on loopback; Redis cache; 2×cores+1 sync workers unless
--workers/--worker-class say otherwise) and runs locust headless, bounded in time, in rounds:

* scenario "zoek-API" and "zoekpagina": one journey each, at 8 and 32 clients — the targets;
* scenario "alle vijf": search page, search API, intake page, follow-with-code and the staff
  work queue together (equal shares of the clients), at 8 and 32 clients.

Scenarios are interleaved round by round and the figures are medians over the rounds. The load
average of the machine is recorded before and after each run: the machine is shared.
Targets (2-core machine, load generator included): 0 errors; at 32 clients search API ≥ 150
requests/s and search page ≥ 100 pages/s; at 8 clients p95 ≤ 100 ms (API) and ≤ 150 ms (page).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/stagekans_bench"

SCENARIOS: dict[str, list[str]] = {
    "zoek-API": ["SearchApi"],
    "zoekpagina": ["SearchPage"],
    "alle vijf": ["SearchPage", "SearchApi", "IntakePage", "FollowWithCode", "StaffQueue"],
}
TARGET_RPS_32 = {"zoek-API": 150.0, "zoekpagina": 100.0}
TARGET_P95_8 = {"zoek-API": 100.0, "zoekpagina": 150.0}


def tree_cpu_seconds(root_pid: int) -> float:
    """User + system CPU seconds of a process and its children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root_pid or ppid == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


@dataclass
class Run:
    scenario: str
    users: int
    rps: float
    requests: int
    failures: int
    p50: float
    p95: float
    load_before: float
    load_after: float
    app_cpu_ms: float = 0.0
    per_name: dict[str, tuple[int, int, float, float]] = field(default_factory=dict)


def sh(cmd: list[str], env: dict[str, str], **kwargs: object) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=REPO, env=env, check=True, **kwargs)  # type: ignore[call-overload]


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn antwoordt niet op {url}")


def locust(
    scenario: str, users: int, seconds: int, host: str, env: dict[str, str], out: Path, server: int
) -> Run:
    prefix = out / f"{scenario.replace(' ', '_')}-{users}-{time.monotonic_ns()}"
    load_before = os.getloadavg()[0]
    cpu_before = tree_cpu_seconds(server)
    cmd = [
        str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
        "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "10", *SCENARIOS[scenario],
    ]  # fmt: skip
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(cmd, cwd=REPO, env=env, check=False, stdout=log, stderr=log)
    load_after = os.getloadavg()[0]
    cpu = tree_cpu_seconds(server) - cpu_before
    with open(f"{prefix}_stats.csv") as fh:
        rows = list(csv.DictReader(fh))
    per_name = {
        row["Name"]: (
            int(row["Request Count"]),
            int(row["Failure Count"]),
            float(row["Requests/s"]),
            _ms(row["95%"]),
        )
        for row in rows
        if row["Name"] != "Aggregated"
    }
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists() and int(total["Failure Count"]):
        print(failures_file.read_text()[:2000], flush=True)
    if not rows or int(total["Request Count"]) == 0:
        print(Path(f"{prefix}.log").read_text()[-3000:], flush=True)
    return Run(
        scenario=scenario,
        users=users,
        rps=float(total["Requests/s"]),
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p50=_ms(total["50%"]),
        p95=_ms(total["95%"]),
        load_before=load_before,
        load_after=load_after,
        app_cpu_ms=cpu * 1000 / max(int(total["Request Count"]), 1),
        per_name=per_name,
    )


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(runs: list[Run], args: argparse.Namespace, workers: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    loads = [r.load_before for r in runs] + [r.load_after for r in runs]
    extra = f" --worker-class {args.worker_class}" if args.worker_class != "sync" else ""
    lines = [
        f"### Load benchmark (locust), {now}",
        "",
        f"Command: `.venv/bin/python bench/load/run.py --rounds {args.rounds} --seconds "
        f"{args.seconds}{extra}`"
        f" · gunicorn {workers} · {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL and Redis and locust on the same machine.",
        f"Load average (1 min) during the runs: min {min(loads):.1f}, median "
        f"{median(loads):.1f}, max {max(loads):.1f} — the machine is shared with other engineers' "
        "test suites, so these figures are lower bounds of what the code does on an idle machine.",
        "",
        "| scenario | clients | requests/s (median) | p50 ms | p95 ms | gunicorn CPU ms/request | "
        "requests | errors | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    verdicts = []
    for scenario in SCENARIOS:
        for users in args.users:
            sel = [r for r in runs if r.scenario == scenario and r.users == users]
            if not sel:
                continue
            rps, p50, p95, cpu = (
                median([getattr(r, k) for r in sel]) for k in ("rps", "p50", "p95", "app_cpu_ms")
            )
            errors = sum(r.failures for r in sel)
            requests = sum(r.requests for r in sel)
            target, met = "0 errors", errors == 0
            if users == 32 and scenario in TARGET_RPS_32:
                target = f"≥ {TARGET_RPS_32[scenario]:.0f}/s, 0 errors"
                met = met and rps >= TARGET_RPS_32[scenario]
            if users == 8 and scenario in TARGET_P95_8:
                target = f"p95 ≤ {TARGET_P95_8[scenario]:.0f} ms, 0 errors"
                met = met and p95 <= TARGET_P95_8[scenario]
            verdicts.append(met)
            lines.append(
                f"| {scenario} | {users} | {rps:.1f} | {p50:.0f} | {p95:.0f} | {cpu:.1f} | "
                f"{requests:,} | {errors} | {target} | {'yes' if met else '**no**'} |"
            )
    lines.append("")
    mixed = [r for r in runs if r.scenario == "alle vijf"]
    if mixed:
        lines.append('Per journey in "alle vijf" (median over rounds; requests/s, p95 ms):')
        lines.append("")
        for users in args.users:
            sel = [r for r in mixed if r.users == users]
            names = sorted({n for r in sel for n in r.per_name})
            parts = []
            for name in names:
                rps = median([r.per_name[name][2] for r in sel if name in r.per_name])
                p95 = median([r.per_name[name][3] for r in sel if name in r.per_name])
                parts.append(f"{name} {rps:.1f}/s, p95 {p95:.0f} ms")
            lines.append(f"* {users} clients: " + "; ".join(parts))
        lines.append("")
    lines.append("Per run (scenario, clients, requests/s, p95 ms, load before → after):")
    lines.append("")
    for r in runs:
        lines.append(
            f"* {r.scenario}, {r.users}: {r.rps:.1f}/s, p95 {r.p95:.0f} ms, {r.failures} errors, "
            f"load {r.load_before:.1f} → {r.load_after:.1f}"
        )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8766")))
    parser.add_argument("--results", type=Path, help="append the figures to this file")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    database = os.environ.get("DATABASE_URL", DEFAULT_DB)
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    work = Path(tempfile.mkdtemp(prefix="stagekans-load-"))
    env = {
        **os.environ,
        "PYTHONPATH": f"{HERE}{os.pathsep}{REPO / 'src'}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": database,
        "CACHE_URL": redis,
        "CELERY_BROKER_URL": redis,
        "DJANGO_SECRET_KEY": os.urandom(32).hex(),
        "BACKGROUND_PSEUDONYM_KEY": os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        # Every simulated client comes from 127.0.0.1: the API throttles stay in the request
        # path (their cache round trips are part of the cost) but with rates this run never hits.
        "API_THROTTLE_RATES": ",".join(
            f"{scope}=1000000/min" for scope in ("anon", "user", "public-api", "stagemarkt-search")
        ),
        "BENCH_RUN_FILE": str(work / "run.json"),
    }
    manage = [str(BIN / "python"), str(REPO / "manage.py")]
    ensure_database(database)
    if not args.skip_seed:
        sh([*manage, "migrate", "--noinput", "-v0"], env)
        sh([*manage, "seed_demo", "--if-empty"], env, stdout=subprocess.DEVNULL)
        sh([*manage, "seed_national", "--if-empty"], env)
    sh([*manage, "collectstatic", "--noinput", "-v0"], env)
    sh([str(BIN / "python"), str(HERE / "prepare.py"), env["BENCH_RUN_FILE"]], env)

    host = f"http://127.0.0.1:{args.port}"
    workers = f"{args.workers} {args.worker_class} workers"
    gunicorn_cmd = [
        str(BIN / "gunicorn"), "stagekans.wsgi", "-b", f"127.0.0.1:{args.port}",
        "-w", str(args.workers), "--worker-class", args.worker_class, "--log-level", "warning",
    ]  # fmt: skip
    if args.worker_class == "gthread":
        gunicorn_cmd += ["--threads", str(args.threads)]
        workers += f" × {args.threads} threads"
    print("$", " ".join(gunicorn_cmd), flush=True)
    server = subprocess.Popen(gunicorn_cmd, cwd=REPO, env=env, start_new_session=True)
    runs: list[Run] = []
    try:
        wait_for(f"{host}/healthz")
        for scenario in args.scenarios:  # warm every worker's caches and connections
            locust(scenario, 8, 3, host, env, work, server.pid)
        for round_ in range(1, args.rounds + 1):
            for users in args.users:
                for scenario in args.scenarios:
                    run = locust(scenario, users, args.seconds, host, env, work, server.pid)
                    runs.append(run)
                    print(
                        f"ronde {round_}: {scenario:10} {users:3} clients: {run.rps:7.1f}/s "
                        f"p50 {run.p50:5.0f} ms p95 {run.p95:5.0f} ms fouten {run.failures} "
                        f"app-CPU {run.app_cpu_ms:.1f} ms/verzoek "
                        f"(load {run.load_before:.1f} → {run.load_after:.1f})",
                        flush=True,
                    )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    text = report(runs, args, workers)
    print()
    print(text)
    if args.results:
        with args.results.open("a") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
