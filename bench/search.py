"""Stagemarkt search benchmark: the national data set in PostgreSQL, searched through the API.

One command: `.venv/bin/python bench/search.py`. It creates the database `stagekans_bench` when
missing, migrates it, loads the national data set (seed_national) when empty, starts gunicorn
on the loopback interface, runs typical searches (crebo + place/postcode + 20 km + one
inclusivity feature) with 1 client and with 8 concurrent clients, and compares with the targets:
p95 ≤ 50 ms (1 client) and ≥ 100 searches/s (8 clients).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DB_NAME = "stagekans_bench"
PG = "postgres://postgres@127.0.0.1:5432"
HOST, PORT = "127.0.0.1", 8765
TARGET_P95_MS, TARGET_RPS = 50.0, 100.0
CREBOS = ["25655", "25651", "25480", "25604", "25138", "25169", "25254", "25464", "25178"]
FEATURES = ["begeleiding", "toegankelijk", "parttime", "prikkelarm"]


def run(cmd: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=REPO, env=env, check=True)


def ensure_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            print(f"database {DB_NAME} aangemaakt", flush=True)


def queries(n: int, seed: int) -> list[str]:
    """Typical searches: a crebo, a place or a postcode, 20 km, one feature."""
    sys.path.insert(0, str(REPO / "src"))
    from stagekans.geo.places import dutch_places

    places = list(dutch_places())
    weights = [p.population for p in places]
    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        pc4s = [row[0] for row in conn.execute("SELECT pc4 FROM geo_postcodearea ORDER BY pc4")]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        where = (
            rng.choices(places, weights=weights, k=1)[0].name
            if rng.random() < 0.5
            else f"{rng.choice(pc4s)} AB"
        )
        params = {
            "q": rng.choice(CREBOS),
            "waar": where,
            "straal": "20",
            "kenmerken": rng.choice(FEATURES),
        }
        out.append("/api/v1/stagemarkt/vacatures/?" + urllib.parse.urlencode(params))
    return out


def get(path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return (time.perf_counter() - started) * 1000, response.status, len(body)


def wait_for_server(proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn stopte voortijdig")
        try:
            if get("/api/v1/kwalificaties/")[1] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn kwam niet op tijd op")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run_clients(paths: list[str], clients: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    chunks = [paths[i::clients] for i in range(clients)]

    def worker(chunk: list[str]) -> None:
        nonlocal errors
        for path in chunk:
            ms, status, _size = get(path)
            with lock:
                latencies.append(ms)
                errors += status != 200

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=500, help="zoekvragen met 1 client")
    parser.add_argument("--concurrent", type=int, default=2000, help="zoekvragen met 8 clients")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "stagekans.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(REPO / "src"),
    }
    ensure_database()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "seed_national", "--if-empty"], env)
    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        companies = conn.execute("SELECT count(*) FROM companies_company").fetchone()[0]  # type: ignore[index]
        vacancies = conn.execute("SELECT count(*) FROM stagemarkt_vacancy").fetchone()[0]  # type: ignore[index]
    print(f"dataset: {companies:,} leerbedrijven, {vacancies:,} vacatures", flush=True)

    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "stagekans.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for_server(server)
        paths = queries(args.single + args.concurrent + 100, args.seed)
        warmup, single, concurrent = (
            paths[:100],
            paths[100 : 100 + args.single],
            paths[100 + args.single :],
        )
        run_clients(warmup, args.clients)
        sizes = [get(p)[2] for p in single[:50]]

        lat1, secs1, err1 = run_clients(single, 1)
        lat8, secs8, err8 = run_clients(concurrent, args.clients)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    p50_1, p95_1 = percentile(lat1, 50), percentile(lat1, 95)
    p50_8, p95_8 = percentile(lat8, 50), percentile(lat8, 95)
    rps1, rps8 = len(lat1) / secs1, len(lat8) / secs8
    print()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · {platform.platform()}")
    print(
        f"gunicorn: {args.workers} sync workers; responses ~{statistics.mean(sizes) / 1024:.1f} KiB"
    )
    print(
        f"1 client : {len(lat1)} zoekvragen, p50 {p50_1:.1f} ms, p95 {p95_1:.1f} ms, "
        f"{rps1:.0f}/s, fouten {err1}"
    )
    print(
        f"{args.clients} clients: {len(lat8)} zoekvragen, p50 {p50_8:.1f} ms, "
        f"p95 {p95_8:.1f} ms, {rps8:.0f}/s, fouten {err8}"
    )
    ok_p95, ok_rps = p95_1 <= TARGET_P95_MS, rps8 >= TARGET_RPS
    print(
        f"doel p95 ≤ {TARGET_P95_MS:.0f} ms (1 client): {'GEHAALD' if ok_p95 else 'NIET GEHAALD'}"
    )
    print(
        f"doel ≥ {TARGET_RPS:.0f} zoekvragen/s ({args.clients} clients): "
        f"{'GEHAALD' if ok_rps else 'NIET GEHAALD'}"
    )
    if err1 or err8:
        raise SystemExit("sommige zoekvragen gaven geen HTTP 200")


if __name__ == "__main__":
    main()
